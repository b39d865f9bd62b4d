using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using System.Text.Unicode;

namespace Zproto.Wire;

/// <summary>
/// Writes zproto wire values into a span that the caller sized with <see cref="WireSize"/>.
/// Sizes (and limits such as 255 octets for a <c>string</c>) are checked by <see cref="WireSize"/>
/// before anything is written, so the writer itself only copies.
/// </summary>
public ref struct ZprotoWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    /// <summary>Starts writing at the beginning of <paramref name="buffer"/>.</summary>
    public ZprotoWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Octets written so far.</summary>
    public readonly int Position => _position;

    /// <summary>Writes a 1-octet number.</summary>
    public void WriteNumber1(byte value) => _buffer[_position++] = value;

    /// <summary>Writes a 2-octet big-endian number.</summary>
    public void WriteNumber2(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(_position), value);
        _position += 2;
    }

    /// <summary>Writes a 4-octet big-endian number.</summary>
    public void WriteNumber4(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(_position), value);
        _position += 4;
    }

    /// <summary>Writes an 8-octet big-endian number.</summary>
    public void WriteNumber8(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.Slice(_position), value);
        _position += 8;
    }

    /// <summary>Writes a signed 1-octet number.</summary>
    public void WriteInteger1(sbyte value) => WriteNumber1(unchecked((byte)value));

    /// <summary>Writes a signed 2-octet big-endian number.</summary>
    public void WriteInteger2(short value) => WriteNumber2(unchecked((ushort)value));

    /// <summary>Writes a signed 4-octet big-endian number.</summary>
    public void WriteInteger4(int value) => WriteNumber4(unchecked((uint)value));

    /// <summary>Writes a signed 8-octet big-endian number.</summary>
    public void WriteInteger8(long value) => WriteNumber8(unchecked((ulong)value));

    /// <summary>Writes a boolean as one octet, 0 or 1.</summary>
    public void WriteBoolean(bool value) => _buffer[_position++] = value ? (byte)1 : (byte)0;

    /// <summary>Writes the low <paramref name="octets"/> octets of <paramref name="value"/>, most significant first (packed bit fields).</summary>
    public void WriteBits(ulong value, int octets)
    {
        for (var i = octets - 1; i >= 0; i--)
        {
            _buffer[_position + i] = unchecked((byte)value);
            value >>= 8;
        }
        _position += octets;
    }

    /// <summary>Writes a <c>string</c>: 1-octet length, then UTF-8 (length checked by <see cref="WireSize.String(string, string)"/>).</summary>
    public void WriteString(string? value)
    {
        var count = WriteUtf8(value, _position + 1);
        _buffer[_position] = (byte)count;
        _position += 1 + count;
    }

    /// <summary>Writes a <c>longstr</c>: 4-octet length, then UTF-8.</summary>
    public void WriteLongstr(string? value)
    {
        var count = WriteUtf8(value, _position + 4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(_position), (uint)count);
        _position += 4 + count;
    }

    /// <summary>Writes a <c>string</c> held as UTF-8: 1-octet length, then the octets (length checked by <see cref="WireSize.String(Utf8Text, string)"/>).</summary>
    public void WriteString(Utf8Text value)
    {
        _buffer[_position] = (byte)value.Length;
        value.Span.CopyTo(_buffer.Slice(_position + 1));
        _position += 1 + value.Length;
    }

    /// <summary>Writes a <c>longstr</c> held as UTF-8: 4-octet length, then the octets.</summary>
    public void WriteLongstr(Utf8Text value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(_position), (uint)value.Length);
        value.Span.CopyTo(_buffer.Slice(_position + 4));
        _position += 4 + value.Length;
    }

    // Utf8.FromUtf16 directly (what Encoding.UTF8.GetBytes ends in, without its dispatch), with the
    // same replacement of lone surrogates that WireSize's Encoding.UTF8.GetByteCount counted.
    private int WriteUtf8(string? value, int at)
    {
        if (string.IsNullOrEmpty(value))
            return 0;
        Utf8.FromUtf16(value, _buffer.Slice(at), out _, out var written);
        return written;
    }

    /// <summary>Writes <c>strings</c>: 4-octet count, then each item as a <c>longstr</c>.</summary>
    public void WriteStrings(IReadOnlyList<string>? value)
    {
        var count = value?.Count ?? 0;
        WriteNumber4((uint)count);
        for (var i = 0; i < count; i++)
            WriteLongstr(value![i]);
    }

    /// <summary>Writes a <c>hash</c> in the entries' order.</summary>
    public void WriteHash(ZprotoHash? value)
    {
        if (value is null)
        {
            WriteNumber4(0);
            return;
        }
        WriteNumber4((uint)value.Count);
        foreach (var entry in value.Entries)
        {
            WriteString(entry.Key);
            WriteLongstr(entry.Value);
        }
    }

    /// <summary>Writes a <c>chunk</c>: 4-octet length, then the octets.</summary>
    public void WriteChunk(ReadOnlySpan<byte> value)
    {
        WriteNumber4((uint)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes octets with no length prefix (<c>octets</c> of a checked size, or a rest-of-frame value).</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer.Slice(_position));
        _position += value.Length;
    }

    /// <summary>Writes <c>octets</c> of a fixed size; an empty (unset) value is written as zeros, as zproto's C codec does.</summary>
    public void WriteOctets(ReadOnlySpan<byte> value, int size)
    {
        if (value.IsEmpty)
            _buffer.Slice(_position, size).Clear();
        else
            value.CopyTo(_buffer.Slice(_position, size));
        _position += size;
    }

    /// <summary>Writes a <c>list</c>: 4-octet count, then each item with <paramref name="writeItem"/>.</summary>
    public void WriteList<T>(IReadOnlyList<T>? items, ItemWriter<T> writeItem)
    {
        var count = items?.Count ?? 0;
        WriteNumber4((uint)count);
        for (var i = 0; i < count; i++)
            writeItem(ref this, items![i]);
    }

    /// <summary>Writes UTF-8 text with no length prefix (a rest-of-frame string).</summary>
    public void WriteRestString(string? value) =>
        _position += Encoding.UTF8.GetBytes(value ?? string.Empty, _buffer.Slice(_position));

    /// <summary>Writes a <c>uuid</c> as 16 octets in RFC 4122 (network) order.</summary>
    public void WriteUuid(Guid value)
    {
        value.TryWriteBytes(_buffer.Slice(_position, 16), bigEndian: true, out _);
        _position += 16;
    }

    /// <summary>
    /// Writes frames packed as CZMQ's 2011 <c>zmsg_encode</c> (see <see cref="ZprotoReader.TryReadPackedFrames"/>).
    /// Null (an unset <c>msg</c>) is written as one empty frame, an empty list as nothing.
    /// </summary>
    public void WritePackedFrames(IReadOnlyList<ReadOnlyMemory<byte>>? frames)
    {
        if (frames is null)
        {
            WriteNumber1(0);
            return;
        }
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i].Span;
            if (frame.Length < 0xFE)
            {
                WriteNumber1((byte)frame.Length);
            }
            else if (frame.Length <= 0xFFFF)
            {
                WriteNumber1(0xFE);
                WriteNumber2((ushort)frame.Length);
            }
            else
            {
                WriteNumber1(0xFF);
                WriteNumber4((uint)frame.Length);
            }
            WriteRaw(frame);
        }
    }
}
