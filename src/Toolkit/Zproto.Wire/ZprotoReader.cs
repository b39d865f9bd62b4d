using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Zproto.Wire;

/// <summary>
/// Reads zproto wire values from one frame (or one datagram). Every read checks the remaining
/// length first, so a truncated or lying frame ends in a <see cref="DecodeError"/>, never in an
/// exception or an over-read. Counts are checked against the octets left before anything is
/// allocated, so a count of 0xFFFFFFFF costs nothing.
/// </summary>
public ref struct ZprotoReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    // The same octets as _buffer when the caller handed over memory it owns (frames as received):
    // Utf8Text values then point into it instead of copying. Empty otherwise.
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly bool _shared;
    private readonly int _frame;
    private int _position;
    private DecodeError _error;

    /// <summary>Starts reading <paramref name="buffer"/>, which is frame number <paramref name="frame"/> of its message.</summary>
    public ZprotoReader(ReadOnlySpan<byte> buffer, int frame = 0)
    {
        _buffer = buffer;
        _memory = default;
        _shared = false;
        _frame = frame;
        _position = 0;
        _error = default;
    }

    /// <summary>
    /// Starts reading <paramref name="buffer"/>; <see cref="Utf8Text"/> values read from it are views
    /// over <paramref name="buffer"/> (valid while its memory is), not copies.
    /// </summary>
    public ZprotoReader(ReadOnlyMemory<byte> buffer, int frame = 0)
        : this(buffer.Span, frame)
    {
        _memory = buffer;
        _shared = true;
    }

    /// <summary>Octets consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Octets left.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>The octets not read yet.</summary>
    public readonly ReadOnlySpan<byte> Unread => _buffer.Slice(_position);

    /// <summary>The failure recorded by the last read that returned false.</summary>
    public readonly DecodeError Error => _error;

    /// <summary>Records a failure at <paramref name="offset"/> and returns false, for use in generated checks.</summary>
    public bool Fail(DecodeErrorKind kind, string field, int offset, long value = -1)
    {
        _error = new DecodeError(kind, field, _frame, offset, value);
        return false;
    }

    /// <summary>Records a failure found outside this frame (a missing or extra frame) and returns false.</summary>
    public bool Fail(DecodeError error)
    {
        _error = error;
        return false;
    }

    private bool Need(int count, string field) =>
        _buffer.Length - _position >= count || FailTruncated(field);

    // The failure path of every read, kept out of line so the reads themselves stay small enough to
    // inline into the generated decoder: one length check per field, no call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailTruncated(string field) => Fail(DecodeErrorKind.Truncated, field, _position);

    /// <summary>Skips <paramref name="count"/> octets the caller has already examined (a pub-sub topic).</summary>
    public void Skip(int count) => _position = Math.Min(_buffer.Length, _position + Math.Max(0, count));

    // _position never passes _buffer.Length, so each Slice(_position) below is in range, and the
    // TryRead*BigEndian call is the only length check.

    /// <summary>Reads a 1-octet number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNumber1(string field, out byte value)
    {
        if ((uint)_position < (uint)_buffer.Length)
        {
            value = _buffer[_position++];
            return true;
        }
        value = 0;
        return FailTruncated(field);
    }

    /// <summary>Reads a 2-octet big-endian number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNumber2(string field, out ushort value)
    {
        if (BinaryPrimitives.TryReadUInt16BigEndian(_buffer.Slice(_position), out value))
        {
            _position += 2;
            return true;
        }
        return FailTruncated(field);
    }

    /// <summary>Reads a 4-octet big-endian number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNumber4(string field, out uint value)
    {
        if (BinaryPrimitives.TryReadUInt32BigEndian(_buffer.Slice(_position), out value))
        {
            _position += 4;
            return true;
        }
        return FailTruncated(field);
    }

    /// <summary>Reads an 8-octet big-endian number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNumber8(string field, out ulong value)
    {
        if (BinaryPrimitives.TryReadUInt64BigEndian(_buffer.Slice(_position), out value))
        {
            _position += 8;
            return true;
        }
        return FailTruncated(field);
    }

    /// <summary>Reads a signed 1-octet number (two's complement).</summary>
    public bool TryReadInteger1(string field, out sbyte value)
    {
        var ok = TryReadNumber1(field, out var raw);
        value = unchecked((sbyte)raw);
        return ok;
    }

    /// <summary>Reads a signed 2-octet big-endian number.</summary>
    public bool TryReadInteger2(string field, out short value)
    {
        var ok = TryReadNumber2(field, out var raw);
        value = unchecked((short)raw);
        return ok;
    }

    /// <summary>Reads a signed 4-octet big-endian number.</summary>
    public bool TryReadInteger4(string field, out int value)
    {
        var ok = TryReadNumber4(field, out var raw);
        value = unchecked((int)raw);
        return ok;
    }

    /// <summary>Reads a signed 8-octet big-endian number.</summary>
    public bool TryReadInteger8(string field, out long value)
    {
        var ok = TryReadNumber8(field, out var raw);
        value = unchecked((long)raw);
        return ok;
    }

    /// <summary>Reads a boolean octet: 0 or 1, anything else is invalid.</summary>
    public bool TryReadBoolean(string field, out bool value)
    {
        var start = _position;
        value = false;
        if (!TryReadNumber1(field, out var raw))
            return false;
        if (raw > 1)
            return Fail(DecodeErrorKind.InvalidValue, field, start, raw);
        value = raw == 1;
        return true;
    }

    /// <summary>Reads <paramref name="octets"/> octets (1 to 8) of packed bit fields as one big-endian number.</summary>
    public bool TryReadBits(string field, int octets, out ulong value)
    {
        value = 0;
        if (!Need(octets, field))
            return false;
        for (var i = 0; i < octets; i++)
            value = (value << 8) | _buffer[_position + i];
        _position += octets;
        return true;
    }

    /// <summary>Reads a <c>string</c>: 1-octet length, then UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadString(string field, out string value)
    {
        value = string.Empty;
        var start = _position;
        if (!TryReadNumber1(field, out var length))
            return false;
        return TryReadUtf8(field, start, length, out value);
    }

    /// <summary>Reads a <c>longstr</c>: 4-octet length, then UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadLongstr(string field, out string value)
    {
        value = string.Empty;
        var start = _position;
        if (!TryReadNumber4(field, out var length))
            return false;
        return TryReadUtf8(field, start, length, out value);
    }

    private bool TryReadUtf8(string field, int start, uint length, out string value)
    {
        value = string.Empty;
        if (length > (uint)(_buffer.Length - _position))
            return Fail(DecodeErrorKind.Truncated, field, start, length);
        if (length == 0)
            return true;
        var bytes = _buffer.Slice(_position, (int)length);
        if (Ascii.IsValid(bytes))
        {
            // Most protocol text is ASCII: one vectorized check, then one widening copy. Latin-1 maps
            // each octet to the char of the same value, which for ASCII is the UTF-8 meaning, and its
            // GetString allocates and widens with no count pass and no delegate (measured 20 % less
            // than string.Create with Ascii.ToUtf16 for LOG's two strings: --codec-profile).
            value = Encoding.Latin1.GetString(bytes);
        }
        else if (!TryTranscode(bytes, out value))
        {
            return Fail(DecodeErrorKind.InvalidUtf8, field, start);
        }
        _position += (int)length;
        return true;
    }

    // One strict pass validates and transcodes non-ASCII text (validating first and then converting
    // read it three times). UTF-16 never needs more chars than the UTF-8 has octets.
    private static bool TryTranscode(ReadOnlySpan<byte> bytes, out string value)
    {
        value = string.Empty;
        char[]? rented = null;
        var chars = bytes.Length <= StackLimit ? stackalloc char[bytes.Length] : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        try
        {
            if (Utf8.ToUtf16(bytes, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
                return false;
            value = new string(chars.Slice(0, written));
            return true;
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Reads a <c>string</c> that the model fixes at <paramref name="expected"/> (its UTF-8 octets):
    /// compared where it lies, not decoded.
    /// </summary>
    public bool TryReadConstantString(string field, ReadOnlySpan<byte> expected)
    {
        var start = _position;
        return TryReadNumber1(field, out var length) && TryMatch(field, start, length, expected);
    }

    /// <summary>Reads a <c>longstr</c> that the model fixes at <paramref name="expected"/> (see <see cref="TryReadConstantString"/>).</summary>
    public bool TryReadConstantLongstr(string field, ReadOnlySpan<byte> expected)
    {
        var start = _position;
        return TryReadNumber4(field, out var length) && TryMatch(field, start, length, expected);
    }

    // A mismatch is reported as a decoder that transcoded the text would: invalid UTF-8 first, then
    // the constant, both at the length prefix.
    private bool TryMatch(string field, int start, uint length, ReadOnlySpan<byte> expected)
    {
        if (length > (uint)(_buffer.Length - _position))
            return Fail(DecodeErrorKind.Truncated, field, start, length);
        var bytes = _buffer.Slice(_position, (int)length);
        if (!bytes.SequenceEqual(expected))
            return Fail(Utf8.IsValid(bytes) ? DecodeErrorKind.ConstantMismatch : DecodeErrorKind.InvalidUtf8, field, start);
        _position += (int)length;
        return true;
    }

    /// <summary>Reads a <c>string</c> as <see cref="Utf8Text"/>: validated, not transcoded (a view when the reader was given memory, else a copy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUtf8String(string field, out Utf8Text value)
    {
        value = default;
        var start = _position;
        return TryReadNumber1(field, out var length) && TryReadUtf8Text(field, start, length, out value);
    }

    /// <summary>Reads a <c>longstr</c> as <see cref="Utf8Text"/> (see <see cref="TryReadUtf8String"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUtf8Longstr(string field, out Utf8Text value)
    {
        value = default;
        var start = _position;
        return TryReadNumber4(field, out var length) && TryReadUtf8Text(field, start, length, out value);
    }

    private bool TryReadUtf8Text(string field, int start, uint length, out Utf8Text value)
    {
        value = default;
        if (length > (uint)(_buffer.Length - _position))
            return Fail(DecodeErrorKind.Truncated, field, start, length);
        if (length == 0)
            return true;
        var bytes = _buffer.Slice(_position, (int)length);
        // ASCII is valid UTF-8, and Ascii.IsValid checks short text in half of Utf8.IsValid's time
        // (LOG's two strings: --codec-profile), so the full check runs only for other text.
        if (!Ascii.IsValid(bytes) && !Utf8.IsValid(bytes))
            return Fail(DecodeErrorKind.InvalidUtf8, field, start);
        value = Utf8Text.FromValidated(_shared ? _memory.Slice(_position, (int)length) : bytes.ToArray());
        _position += (int)length;
        return true;
    }

    // Strings up to this many octets transcode through the stack; longer ones through a pooled buffer.
    private const int StackLimit = 1024;

    /// <summary>Reads <c>strings</c>: 4-octet count, then each item as a <c>longstr</c>.</summary>
    public bool TryReadStrings(string field, out IReadOnlyList<string> value)
    {
        value = Array.Empty<string>();
        var start = _position;
        if (!TryReadNumber4(field, out var count))
            return false;
        // Each item needs at least its 4-octet length.
        if (count > (uint)(Remaining / 4))
            return Fail(DecodeErrorKind.Truncated, field, start, count);
        if (count == 0)
            return true;
        var items = new string[count];
        for (var i = 0; i < items.Length; i++)
        {
            if (!TryReadLongstr(field, out items[i]))
                return false;
        }
        value = items;
        return true;
    }

    /// <summary>Reads a <c>hash</c>: 4-octet count, then per entry a <c>string</c> key and a <c>longstr</c> value. A repeated key is invalid.</summary>
    public bool TryReadHash(string field, out ZprotoHash value)
    {
        value = ZprotoHash.Empty;
        var start = _position;
        if (!TryReadNumber4(field, out var count))
            return false;
        // Each entry needs at least a 1-octet key length and a 4-octet value length.
        if (count > (uint)(Remaining / 5))
            return Fail(DecodeErrorKind.Truncated, field, start, count);
        if (count == 0)
            return true;
        var entries = new KeyValuePair<string, string>[count];
        HashSet<string>? seen = count > 8 ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < entries.Length; i++)
        {
            var entryStart = _position;
            if (!TryReadString(field, out var key) || !TryReadLongstr(field, out var item))
                return false;
            if (seen is not null ? !seen.Add(key) : ContainsKey(entries, i, key))
                return Fail(DecodeErrorKind.InvalidValue, field, entryStart);
            entries[i] = new KeyValuePair<string, string>(key, item);
        }
        value = ZprotoHash.FromTrusted(entries);
        return true;
    }

    private static bool ContainsKey(KeyValuePair<string, string>[] entries, int count, string key)
    {
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    // The one copy a bulk field makes out of a lent frame. The copy overwrites the whole array, so it
    // skips the zeroing ToArray does first: a second pass over every octet of a large chunk.
    private static byte[] Own(ReadOnlySpan<byte> octets)
    {
        var copy = GC.AllocateUninitializedArray<byte>(octets.Length);
        octets.CopyTo(copy);
        return copy;
    }

    /// <summary>Reads a <c>chunk</c>: 4-octet length, then that many octets (copied).</summary>
    public bool TryReadChunk(string field, out ReadOnlyMemory<byte> value)
    {
        value = ReadOnlyMemory<byte>.Empty;
        var start = _position;
        if (!TryReadNumber4(field, out var length))
            return false;
        if (length > (uint)Remaining)
            return Fail(DecodeErrorKind.Truncated, field, start, length);
        value = length == 0 ? ReadOnlyMemory<byte>.Empty : Own(_buffer.Slice(_position, (int)length));
        _position += (int)length;
        return true;
    }

    /// <summary>Reads <c>octets</c> of a fixed <paramref name="size"/> (copied).</summary>
    public bool TryReadOctets(string field, int size, out ReadOnlyMemory<byte> value)
    {
        value = ReadOnlyMemory<byte>.Empty;
        if (!Need(size, field))
            return false;
        value = _buffer.Slice(_position, size).ToArray();
        _position += size;
        return true;
    }

    /// <summary>Reads a <c>uuid</c>: 16 octets in RFC 4122 (network) order.</summary>
    public bool TryReadUuid(string field, out Guid value)
    {
        value = Guid.Empty;
        if (!Need(16, field))
            return false;
        value = new Guid(_buffer.Slice(_position, 16), bigEndian: true);
        _position += 16;
        return true;
    }

    /// <summary>Reads the rest of the frame as UTF-8 text (no length prefix).</summary>
    public bool TryReadRestString(string field, out string value) =>
        TryReadUtf8(field, _position, (uint)Remaining, out value);

    /// <summary>Reads the rest of the frame as octets (no length prefix, copied).</summary>
    public bool TryReadRestBytes(string field, out ReadOnlyMemory<byte> value)
    {
        value = Remaining == 0 ? ReadOnlyMemory<byte>.Empty : Own(_buffer.Slice(_position));
        _position = _buffer.Length;
        return true;
    }

    /// <summary>
    /// Reads the rest of the frame as a list of frames packed the way CZMQ's 2011 <c>zmsg_encode</c>
    /// did (used by VTX NOM-1): each frame is a 1-octet length (0–253), or <c>FE</c> and a 2-octet
    /// length, or <c>FF</c> and a 4-octet length, followed by its octets.
    /// </summary>
    public bool TryReadPackedFrames(string field, out IReadOnlyList<ReadOnlyMemory<byte>> value)
    {
        value = Array.Empty<ReadOnlyMemory<byte>>();
        var frames = new List<ReadOnlyMemory<byte>>();
        while (Remaining > 0)
        {
            var start = _position;
            uint length = _buffer[_position++];
            // A cut-short FE or FF length is reported where the frame's length prefix starts.
            if (length == 0xFE)
            {
                if (!TryReadNumber2(field, out var l2)) return Fail(DecodeErrorKind.Truncated, field, start);
                length = l2;
            }
            else if (length == 0xFF)
            {
                if (!TryReadNumber4(field, out var l4)) return Fail(DecodeErrorKind.Truncated, field, start);
                length = l4;
            }
            if (length > (uint)Remaining)
                return Fail(DecodeErrorKind.Truncated, field, start, length);
            frames.Add(length == 0 ? ReadOnlyMemory<byte>.Empty : Own(_buffer.Slice(_position, (int)length)));
            _position += (int)length;
        }
        value = frames;
        return true;
    }

    /// <summary>
    /// Reads a <c>list</c>: 4-octet count, then each item with <paramref name="readItem"/>. Every item
    /// kind takes at least <paramref name="minItemSize"/> octets, which bounds the count before allocation.
    /// </summary>
    public bool TryReadList<T>(string field, int minItemSize, ItemReader<T> readItem, out IReadOnlyList<T> value)
    {
        value = Array.Empty<T>();
        var start = _position;
        if (!TryReadNumber4(field, out var count))
            return false;
        if (count > (uint)(Remaining / Math.Max(1, minItemSize)))
            return Fail(DecodeErrorKind.Truncated, field, start, count);
        if (count == 0)
            return true;
        var items = new T[count];
        for (var i = 0; i < items.Length; i++)
        {
            if (!readItem(ref this, out items[i]))
                return false;
        }
        value = items;
        return true;
    }

    /// <summary>Checks that every octet was consumed; octets after the last field are an error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadEnd(string field)
    {
        return Remaining == 0 || Fail(DecodeErrorKind.TrailingBytes, field, _position, Remaining);
    }
}
