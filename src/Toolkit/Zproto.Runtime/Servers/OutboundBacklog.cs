using System;
using System.Collections.Generic;

namespace Zproto.Runtime.Servers;

/// <summary>
/// Replies to one peer that libzmq refused because the peer's send queue was full (its
/// <c>ZMQ_SNDHWM</c> reached: the peer does not read). They wait here, in order, until the queue has
/// room; every later reply to the peer queues behind them. Owner thread only.
/// </summary>
internal sealed class OutboundBacklog
{
    // Per reply, on top of its frames: the array, the queue slot and the memory headers.
    internal const int OverheadBytes = 64;

    private readonly Queue<ReadOnlyMemory<byte>[]> _replies = new();

    /// <summary>Replies waiting.</summary>
    public int Count => _replies.Count;

    /// <summary>Bytes waiting: the replies' frames plus <see cref="OverheadBytes"/> each.</summary>
    public long Bytes { get; private set; }

    /// <summary>The peer is in the server's list of waiting peers.</summary>
    public bool Waiting { get; set; }

    /// <summary>A retry sent nothing: the peer is retried on a timer (and when it sends), not on POLLOUT.</summary>
    public bool Stalled { get; set; }

    /// <summary>The stalled peer's current retry interval; doubles up to a bound while retries send nothing.</summary>
    public int BackoffMilliseconds { get; set; }

    /// <summary>A timed retry is scheduled.</summary>
    public bool RetryScheduled { get; set; }

    /// <summary>The session was ended for a full backlog: later replies are not kept.</summary>
    public bool Ended { get; set; }

    public static long SizeOf(ReadOnlyMemory<byte>[] frames)
    {
        long size = OverheadBytes;
        foreach (var frame in frames)
            size += frame.Length;
        return size;
    }

    public void Enqueue(ReadOnlyMemory<byte>[] frames)
    {
        _replies.Enqueue(frames);
        Bytes += SizeOf(frames);
    }

    public ReadOnlyMemory<byte>[] Peek() => _replies.Peek();

    public void Dequeue() => Bytes -= SizeOf(_replies.Dequeue());

    public void Clear()
    {
        _replies.Clear();
        Bytes = 0;
    }
}
