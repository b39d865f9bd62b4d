using System;
using System.Collections.Generic;
using Remctl.Protocol;

namespace Remctl;

/// <summary>
/// The output of one command, in write order, across all streams. Thread-safe: a handler may write
/// from several tasks (the exec handler reads stdout and stderr concurrently). Sealed once the
/// reply is built; later writes throw, because they could no longer reach the requester.
/// </summary>
internal sealed class RemctlOutput
{
    private readonly object _lock = new();
    private readonly List<Chunk> _chunks = [];
    private bool _sealed;

    /// <summary>Total octets written so far.</summary>
    public long Length { get; private set; }

    /// <summary>Appends one chunk: it becomes its own OUTPUT triple. Empty writes are dropped.</summary>
    public void Write(long stream, ReadOnlySpan<byte> data) => Append(stream, data, coalesce: false);

    /// <summary>Appends to the last chunk when it is on the same stream, else starts a new one.
    /// For producers whose chunking means nothing (pipe reads), to keep the frame count low.</summary>
    public void Append(long stream, ReadOnlySpan<byte> data) => Append(stream, data, coalesce: true);

    private void Append(long stream, ReadOnlySpan<byte> data, bool coalesce)
    {
        if (data.IsEmpty)
            return;
        lock (_lock)
        {
            if (_sealed)
                throw new InvalidOperationException("The command's reply has already been sent; output written after the handler completed cannot be delivered.");
            if (coalesce && _chunks.Count > 0 && _chunks[^1] is { Stream: var last } chunk && last == stream && chunk.Open)
            {
                chunk.Add(data);
            }
            else
            {
                var created = new Chunk(stream, data.Length) { Open = coalesce };
                created.Add(data);
                _chunks.Add(created);
            }
            Length += data.Length;
        }
    }

    /// <summary>Seals the output and returns it as OUTPUT items, in write order.</summary>
    public IReadOnlyList<RemctlMsg.Reply.OutputItem> Seal()
    {
        lock (_lock)
        {
            _sealed = true;
            var items = new RemctlMsg.Reply.OutputItem[_chunks.Count];
            for (var i = 0; i < items.Length; i++)
                items[i] = new RemctlMsg.Reply.OutputItem { Stream = _chunks[i].Stream, Data = _chunks[i].Data };
            return items;
        }
    }

    /// <summary>A growable buffer for one chunk.</summary>
    private sealed class Chunk(long stream, int capacity)
    {
        private byte[] _buffer = new byte[capacity];
        private int _length;

        public long Stream { get; } = stream;

        /// <summary>Whether later coalescing appends may extend it (explicit writes stay whole).</summary>
        public bool Open { get; init; }

        public ReadOnlyMemory<byte> Data => _buffer.AsMemory(0, _length);

        public void Add(ReadOnlySpan<byte> data)
        {
            if (_buffer.Length - _length < data.Length)
            {
                var grown = new byte[Math.Max(checked(_length + data.Length), checked(_buffer.Length * 2))];
                _buffer.AsSpan(0, _length).CopyTo(grown);
                _buffer = grown;
            }
            data.CopyTo(_buffer.AsSpan(_length));
            _length += data.Length;
        }
    }
}
