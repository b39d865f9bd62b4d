using System;
using System.Linq;
using System.Text;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

/// <summary><see cref="ZmqMessageBuffer"/>: frames read in place in libzmq's memory, held until released.</summary>
public sealed class MessageBufferTests : IDisposable
{
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _pull;
    private readonly ZmqSocket _push;

    public MessageBufferTests()
    {
        var endpoint = $"inproc://message-buffer-{Guid.NewGuid():N}";
        _pull = new ZmqSocket(_context, ZmqSocketType.Pull) { ReceiveTimeout = Frames.Patience };
        _pull.Bind(endpoint);
        _push = new ZmqSocket(_context, ZmqSocketType.Push);
        _push.Connect(endpoint);
    }

    public void Dispose()
    {
        _push.Dispose();
        _pull.Dispose();
        _context.Dispose();
    }

    [Fact]
    public void A_message_arrives_whole_with_its_frames_in_order()
    {
        using var buffer = new ZmqMessageBuffer();
        _push.SendMultipart(Frames.Of("one", "", "three"));

        Assert.True(buffer.TryReceive(_pull));

        Assert.Equal(3, buffer.Count);
        Assert.Equal(8, buffer.TotalBytes);
        Assert.False(buffer.IsTruncated);
        Assert.Equal("one", Encoding.UTF8.GetString(buffer[0]));
        Assert.True(buffer[1].IsEmpty);
        Assert.Equal("three", Encoding.UTF8.GetString(buffer.ToArray(2)));
    }

    [Fact]
    public void Nothing_waiting_returns_false_and_leaves_the_buffer_empty()
    {
        using var buffer = new ZmqMessageBuffer();
        _push.SendMultipart(Frames.Of("earlier"));
        Assert.True(buffer.TryReceive(_pull));

        Assert.False(buffer.TryReceive(_pull, dontWait: true));

        Assert.Equal(0, buffer.Count);
        Assert.Equal(0, buffer.TotalBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.ToArray(0));
    }

    [Fact]
    public void Frames_past_the_limit_are_counted_but_not_held_and_the_next_message_is_whole()
    {
        using var buffer = new ZmqMessageBuffer();
        // Ten frames of 100 octets against a limit of 250: two frames fit, the third crosses it.
        _push.SendMultipart(Enumerable.Range(0, 10).Select(i => (ReadOnlyMemory<byte>)Enumerable.Repeat((byte)i, 100).ToArray()).ToArray());
        _push.SendMultipart(Frames.Of("next", "message"));

        Assert.True(buffer.TryReceive(_pull, maxBytes: 250));
        Assert.True(buffer.IsTruncated);
        Assert.Equal(1000, buffer.TotalBytes);
        Assert.Equal(2, buffer.Count);
        Assert.All(buffer.ToArray(1), octet => Assert.Equal(1, octet));

        Assert.True(buffer.TryReceive(_pull, maxBytes: 250));
        Assert.False(buffer.IsTruncated);
        Assert.Equal(11, buffer.TotalBytes);
        Assert.Equal(["next", "message"], Enumerable.Range(0, buffer.Count).Select(i => Encoding.UTF8.GetString(buffer[i])));
    }

    [Fact]
    public void Many_frames_small_and_large_keep_their_bytes_while_the_slots_grow()
    {
        // Small frames live inside the zmq_msg_t itself, so growing the slots must move them, not copy
        // the structs; 100 frames pass both the initial and the retained slot counts.
        var sent = Enumerable.Range(0, 100).Select(i => Enumerable.Repeat((byte)i, i % 2 == 0 ? 5 : 300).ToArray()).ToArray();
        using var buffer = new ZmqMessageBuffer();
        for (var round = 0; round < 2; round++)
        {
            _push.SendMultipart(sent.Select(f => (ReadOnlyMemory<byte>)f).ToArray());

            Assert.True(buffer.TryReceive(_pull));

            Assert.Equal(sent.Length, buffer.Count);
            for (var i = 0; i < sent.Length; i++)
                Assert.Equal(sent[i], buffer.ToArray(i));
        }
    }

    [Fact]
    public void A_lent_memory_reads_the_frame_until_release_and_throws_after()
    {
        using var buffer = new ZmqMessageBuffer();
        _push.SendMultipart(Frames.Of("a frame larger than thirty-three octets, kept outside the struct", "tiny"));
        Assert.True(buffer.TryReceive(_pull));
        var large = buffer.Lend(0);
        var small = buffer.Lend(1);

        Assert.Equal("a frame larger than thirty-three octets, kept outside the struct", Encoding.UTF8.GetString(large.Span));
        Assert.Equal("tiny", Encoding.UTF8.GetString(small.Span));

        buffer.Release();

        Assert.Equal(0, buffer.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => large.Span.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => small.Span.Length);
    }

    [Fact]
    public void Receiving_allocates_nothing_once_the_slots_exist()
    {
        using var buffer = new ZmqMessageBuffer();
        var message = Frames.Of("routing", "a body of a few dozen octets, as a request would be");
        const int Messages = 1000;
        _push.SendMultipart(message);
        Assert.True(buffer.TryReceive(_pull));
        _ = buffer.Lend(1);
        for (var i = 0; i < Messages; i++)
            _push.SendMultipart(message);

        var before = GC.GetAllocatedBytesForCurrentThread();
        long octets = 0;
        for (var i = 0; i < Messages; i++)
        {
            Assert.True(buffer.TryReceive(_pull));
            octets += buffer.Lend(1).Length + buffer[0].Length;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Messages * (7L + 51), octets);
        // Less than one octet per message: any per-message allocation would cost at least 24 B each
        // (24,000 B here). A one-off of a few dozen octets is the runtime's (tiering on this thread),
        // not the buffer's.
        Assert.InRange(allocated, 0, Messages - 1);
    }

    [Fact]
    public void A_disposed_buffer_refuses_to_receive()
    {
        var buffer = new ZmqMessageBuffer();
        _push.SendMultipart(Frames.Of("held"));
        Assert.True(buffer.TryReceive(_pull));

        buffer.Dispose();
        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.TryReceive(_pull, dontWait: true));
    }
}
