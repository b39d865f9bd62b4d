using System.Collections.Generic;
using System.Linq;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

/// <summary><see cref="ZmqSocket.TryReceiveMultipart(List{byte[]}, long, out long, bool)"/>: a message is
/// kept up to a byte limit and the rest of it is taken and released, never copied.</summary>
public sealed class LimitedReceiveTests
{
    [Fact]
    public void Frames_past_the_limit_are_counted_but_not_kept_and_the_next_message_is_whole()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull) { ReceiveTimeout = Frames.Patience };
        pull.Bind("inproc://limited-receive");
        using var push = new ZmqSocket(context, ZmqSocketType.Push);
        push.Connect("inproc://limited-receive");

        // Ten frames of 100 octets against a limit of 250: two frames fit, the third crosses it.
        push.SendMultipart(Enumerable.Range(0, 10).Select(i => (System.ReadOnlyMemory<byte>)Enumerable.Repeat((byte)i, 100).ToArray()).ToArray());
        push.SendMultipart(Frames.Of("next", "message"));

        var frames = new List<byte[]>();
        Assert.True(pull.TryReceiveMultipart(frames, maxBytes: 250, out var total));
        Assert.Equal(1000, total);
        Assert.Equal(2, frames.Count);
        Assert.All(frames[1], octet => Assert.Equal(1, octet));

        Assert.True(pull.TryReceiveMultipart(frames, maxBytes: 250, out total));
        Assert.Equal(11, total);
        Assert.Equal(["next", "message"], Frames.Texts(frames));
    }

    [Fact]
    public void Nothing_waiting_returns_false_without_blocking()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull);
        pull.Bind("inproc://limited-receive-empty");
        var frames = new List<byte[]>();
        Assert.False(pull.TryReceiveMultipart(frames, maxBytes: 10, out var total, dontWait: true));
        Assert.Equal(0, total);
        Assert.Empty(frames);
    }
}
