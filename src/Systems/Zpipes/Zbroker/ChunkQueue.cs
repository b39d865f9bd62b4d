using System;
using System.Collections.Generic;

namespace Zbroker;

/// <summary>
/// A reader's pending bytes as the chunks writers sent, so reads of any size can be cut across
/// write boundaries. A read that fits in the head chunk is a slice of it (no copy); one that spans
/// chunks is copied into a new array. A partly read chunk stays at the head for the next read.
/// </summary>
internal sealed class ChunkQueue
{
    private readonly Queue<ReadOnlyMemory<byte>> _chunks = new();
    private int _headOffset;

    /// <summary>Bytes queued.</summary>
    public long Count { get; private set; }

    /// <summary>Appends a chunk (empty chunks carry nothing and are skipped).</summary>
    public void Enqueue(ReadOnlyMemory<byte> chunk)
    {
        if (chunk.IsEmpty)
            return;
        _chunks.Enqueue(chunk);
        Count += chunk.Length;
    }

    /// <summary>Removes and returns the first <paramref name="size"/> bytes; <paramref name="size"/> must not exceed <see cref="Count"/>.</summary>
    public ReadOnlyMemory<byte> Take(int size)
    {
        if (size < 0 || size > Count)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"the queue holds {Count} bytes");
        if (size == 0)
            return ReadOnlyMemory<byte>.Empty;
        var head = _chunks.Peek()[_headOffset..];
        if (head.Length >= size)
        {
            Consume(size, head.Length);
            return head[..size];
        }
        var result = new byte[size];
        var filled = 0;
        while (filled < size)
        {
            head = _chunks.Peek()[_headOffset..];
            var n = Math.Min(head.Length, size - filled);
            head.Span[..n].CopyTo(result.AsSpan(filled));
            filled += n;
            Consume(n, head.Length);
        }
        return result;
    }

    /// <summary>Forgets every queued byte.</summary>
    public void Clear()
    {
        _chunks.Clear();
        _headOffset = 0;
        Count = 0;
    }

    private void Consume(int n, int headLength)
    {
        Count -= n;
        if (n == headLength)
        {
            _chunks.Dequeue();
            _headOffset = 0;
        }
        else
        {
            _headOffset += n;
        }
    }
}
