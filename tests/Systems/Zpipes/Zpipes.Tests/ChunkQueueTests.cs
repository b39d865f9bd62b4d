using System;
using System.Linq;
using Xunit;
using Zbroker;
using Zpipes.Tests.Infrastructure;

namespace Zpipes.Tests;

/// <summary>The reader's queue: reads cut across write boundaries, with and without copying.</summary>
public sealed class ChunkQueueTests
{
    [Fact]
    public void Take_within_the_head_chunk_slices_without_copying()
    {
        var chunk = Bytes.Ascii("CHUNK1");
        var queue = new ChunkQueue();
        queue.Enqueue(chunk);
        var first = queue.Take(2);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first, out var segment));
        Assert.Same(chunk, segment.Array);
        Assert.Equal("CH", Bytes.Text(first));
        Assert.Equal(4, queue.Count);
    }

    [Fact]
    public void Take_across_chunks_joins_them_and_keeps_the_rest_of_the_last()
    {
        var queue = new ChunkQueue();
        foreach (var s in new[] { "CHUNK1", "CHUNK2", "CHUNK3" })
            queue.Enqueue(Bytes.Ascii(s));
        Assert.Equal("C", Bytes.Text(queue.Take(1)));
        Assert.Equal("HUNK1CHUNK", Bytes.Text(queue.Take(10)));
        Assert.Equal(7, queue.Count);
        Assert.Equal("2CHUNK3", Bytes.Text(queue.Take(7)));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Empty_chunks_are_skipped_and_clear_forgets_everything()
    {
        var queue = new ChunkQueue();
        queue.Enqueue(ReadOnlyMemory<byte>.Empty);
        Assert.Equal(0, queue.Count);
        queue.Enqueue(new byte[] { 1, 2, 3 });
        queue.Clear();
        Assert.Equal(0, queue.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Take(1));
    }

    [Fact]
    public void Random_cuts_return_the_bytes_in_order()
    {
        var random = new Random(3);
        var data = new byte[10_000];
        random.NextBytes(data);
        var queue = new ChunkQueue();
        for (var offset = 0; offset < data.Length;)
        {
            var n = Math.Min(random.Next(1, 700), data.Length - offset);
            queue.Enqueue(data.AsMemory(offset, n));
            offset += n;
        }
        var output = new System.Collections.Generic.List<byte>();
        while (queue.Count > 0)
            output.AddRange(queue.Take((int)Math.Min(queue.Count, random.Next(1, 900))).ToArray());
        Assert.True(data.SequenceEqual(output));
    }
}
