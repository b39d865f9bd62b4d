using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Zproto.Echo;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>The send-side encoder: small frames through its reused buffer, large ones straight into
/// libzmq's memory (shared by reference when one encoding goes to several peers), the same bytes either way.</summary>
public sealed class OutgoingMessageTests : IDisposable
{
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    [Theory]
    [InlineData(16)]            // the reused managed buffer
    [InlineData(8 * 1024)]      // libzmq's memory from here on
    [InlineData(1024 * 1024)]
    public void One_encoding_sent_to_two_peers_and_copied_for_a_backlog_carries_the_same_bytes(int bodySize)
    {
        var body = new byte[bodySize];
        new Random(bodySize).NextBytes(body);
        var message = new EchoMsg.Echo { Sequence = 7, Body = body };
        var expected = EchoMsg.EncodeFrames(message);
        var endpoint = $"inproc://outgoing-{bodySize}-{Guid.NewGuid():N}";
        using var first = new ZmqSocket(_context, ZmqSocketType.Pull);
        first.Bind(endpoint + "-a");
        using var second = new ZmqSocket(_context, ZmqSocketType.Pull);
        second.Bind(endpoint + "-b");
        using var toFirst = new ZmqSocket(_context, ZmqSocketType.Push);
        toFirst.Connect(endpoint + "-a");
        using var toSecond = new ZmqSocket(_context, ZmqSocketType.Push);
        toSecond.Connect(endpoint + "-b");

        using var outgoing = new OutgoingMessage<EchoMsg, EchoMsg.Message>();
        outgoing.Encode(message);
        Assert.True(outgoing.TrySend(toFirst));
        var copy = outgoing.ToFrames();
        Assert.True(outgoing.TrySend(toSecond));
        outgoing.Release();
        // The next message reuses the encoder; the frames already queued are libzmq's.
        outgoing.Encode(new EchoMsg.Echo { Sequence = 8 });

        Assert.Equal(expected.Length, copy.Length);
        Assert.True(expected[0].Span.SequenceEqual(copy[0].Span), "the backlog copy differs");
        foreach (var socket in new[] { first, second })
        {
            socket.ReceiveTimeout = TimeSpan.FromSeconds(5);
            var frames = new List<byte[]>();
            Assert.True(socket.TryReceiveMultipart(frames));
            Assert.Equal(expected.Length, frames.Count);
            Assert.True(expected[0].Span.SequenceEqual(frames[0]), "a sent frame differs");
            Assert.True(EchoMsg.TryDecode(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray(), out var decoded, out _));
            Assert.True(body.AsSpan().SequenceEqual(((EchoMsg.Echo)decoded).Body.Span));
        }
    }
}
