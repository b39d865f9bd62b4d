using System;
using System.Collections.Generic;

namespace Zpd;

/// <summary>
/// One output stream of a job (stdout or stderr) addressed by absolute byte offsets: bytes
/// [<see cref="Start"/>, <see cref="End"/>) are held. It keeps at least the last <c>bound</c>
/// bytes and drops whole older segments beyond that, so memory is bounded by <c>bound</c> plus one
/// segment whatever the job writes. Followers read by offset; one that falls behind
/// <see cref="Start"/> resumes at <see cref="Start"/> (the gap is counted in <see cref="Dropped"/>).
/// </summary>
internal sealed class OutputBuffer
{
    private readonly List<(long Offset, byte[] Data)> _segments = new();
    private readonly long _bound;

    public OutputBuffer(long bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        _bound = bound;
    }

    /// <summary>Offset of the oldest byte held.</summary>
    public long Start => _segments.Count > 0 ? _segments[0].Offset : End;

    /// <summary>Offset one past the newest byte (= total bytes ever appended).</summary>
    public long End { get; private set; }

    /// <summary>Bytes held now.</summary>
    public long Length => End - Start;

    /// <summary>Bytes dropped because nobody needed them and the bound was reached.</summary>
    public long Dropped { get; private set; }

    /// <summary>Appends a segment (the buffer keeps the array: callers pass a fresh one).</summary>
    public void Append(byte[] data)
    {
        if (data.Length == 0)
            return;
        _segments.Add((End, data));
        End += data.Length;
        while (_segments.Count > 1 && End - _segments[1].Offset >= _bound)
        {
            Dropped += _segments[0].Data.Length;
            _segments.RemoveAt(0);
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> bytes from <paramref name="offset"/> (or from <see cref="Start"/>
    /// when that is later); empty at <see cref="End"/>. <paramref name="actualOffset"/> is where the bytes begin.
    /// </summary>
    public ReadOnlyMemory<byte> Read(long offset, int max, out long actualOffset)
    {
        actualOffset = Math.Max(offset, Start);
        if (actualOffset >= End || max <= 0)
            return ReadOnlyMemory<byte>.Empty;
        foreach (var (segmentOffset, data) in _segments)
        {
            if (actualOffset < segmentOffset + data.Length)
            {
                var from = (int)(actualOffset - segmentOffset);
                return data.AsMemory(from, Math.Min(max, data.Length - from));
            }
        }
        return ReadOnlyMemory<byte>.Empty;
    }
}
