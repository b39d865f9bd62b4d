using System;
using System.Collections.Generic;
using System.Text;

namespace Zproto.Wire;

/// <summary>
/// Encoded sizes of zproto wire values. These are also where limits are enforced: a value that
/// cannot be encoded as it stands throws <see cref="EncodeException"/> here, before any octet is
/// written, so nothing is ever truncated.
/// </summary>
public static class WireSize
{
    /// <summary>The most UTF-8 octets a <c>string</c> can hold.</summary>
    public const int MaxStringLength = 255;

    /// <summary>Size of a <c>string</c>: 1 + UTF-8 octets, which must be at most 255.</summary>
    public static int String(string? value, string field)
    {
        var count = value is null ? 0 : Encoding.UTF8.GetByteCount(value);
        return 1 + CheckStringLength(count, field);
    }

    /// <summary>
    /// The largest upper bound (<see cref="StringBound"/> and <see cref="LongstrBound"/>) for which a
    /// generated encoder asks an <c>IBufferWriter</c> for that many octets instead of measuring exactly.
    /// </summary>
    public const int DirectWriteLimit = 4096;

    /// <summary>
    /// At least <see cref="String(string, string)"/>, without counting UTF-8: a UTF-16 unit never
    /// takes more than 3 octets. A value that could exceed 255 octets is counted, so the limit is
    /// still enforced before anything is written.
    /// </summary>
    public static int StringBound(string? value, string field) =>
        value is null ? 1 : value.Length <= MaxStringLength / 3 ? 1 + 3 * value.Length : String(value, field);

    /// <summary>At least <see cref="Longstr(string)"/>, without counting UTF-8 (see <see cref="StringBound"/>).</summary>
    public static int LongstrBound(string? value) =>
        value is null ? 4 : value.Length <= (int.MaxValue - 4) / 3 ? 4 + 3 * value.Length : Longstr(value);

    /// <summary>Size of a <c>longstr</c>: 4 + UTF-8 octets.</summary>
    public static int Longstr(string? value) => 4 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    /// <summary>Size of a <c>string</c> held as UTF-8: 1 + its octets, which must be at most 255.</summary>
    public static int String(Utf8Text value, string field) => 1 + CheckStringLength(value.Length, field);

    private static int CheckStringLength(int count, string field) =>
        count <= MaxStringLength ? count : throw new EncodeException(field, $"string is {count} UTF-8 octets; a zproto string holds at most {MaxStringLength} (use longstr)");

    /// <summary>Size of a <c>longstr</c> held as UTF-8: 4 + its octets.</summary>
    public static int Longstr(Utf8Text value) => checked(4 + value.Length);

    /// <summary>Size of rest-of-frame UTF-8 text.</summary>
    public static int RestString(string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(value);

    /// <summary>
    /// Size of a pub-sub topic: its UTF-8 octets (the 00 terminator is counted with the prefix). A
    /// topic holding U+0000 cannot be encoded: the receiver would end the topic there.
    /// </summary>
    public static int Topic(string? value)
    {
        if (value is null)
            return 0;
        if (value.Contains('\0', StringComparison.Ordinal))
            throw new EncodeException("topic", "a pub-sub topic cannot hold U+0000, which terminates it on the wire");
        return Encoding.UTF8.GetByteCount(value);
    }

    /// <summary>Size of <c>strings</c>: 4 + each item as a <c>longstr</c>.</summary>
    public static int Strings(IReadOnlyList<string>? value)
    {
        var size = 4;
        if (value is null)
            return size;
        for (var i = 0; i < value.Count; i++)
            size = checked(size + Longstr(value[i]));
        return size;
    }

    /// <summary>Size of a <c>hash</c>: 4 + per entry a <c>string</c> key and a <c>longstr</c> value.</summary>
    public static int Hash(ZprotoHash? value, string field)
    {
        var size = 4;
        if (value is null)
            return size;
        foreach (var entry in value.Entries)
            size = checked(size + String(entry.Key, field) + Longstr(entry.Value));
        return size;
    }

    /// <summary>Size of a <c>chunk</c>: 4 + octets.</summary>
    public static int Chunk(ReadOnlyMemory<byte> value) => checked(4 + value.Length);

    /// <summary>Size of <c>octets</c>: always <paramref name="size"/>; a value of another length is an error, except empty (unset), which is written as zeros.</summary>
    public static int Octets(ReadOnlyMemory<byte> value, int size, string field)
    {
        if (value.Length != size && value.Length != 0)
            throw new EncodeException(field, $"octets field holds {value.Length} octets; the model fixes it at {size}");
        return size;
    }

    /// <summary>Size of a <c>list</c>: 4 + each item's size.</summary>
    public static int List<T>(IReadOnlyList<T>? items, Func<T, int> itemSize)
    {
        var size = 4;
        if (items is null)
            return size;
        for (var i = 0; i < items.Count; i++)
            size = checked(size + itemSize(items[i]));
        return size;
    }

    /// <summary>
    /// Size of frames packed as CZMQ's 2011 <c>zmsg_encode</c>. Null (an unset <c>msg</c>) is one
    /// empty frame, as for a <c>msg</c> sent as frames; an empty list is no frames.
    /// </summary>
    public static int PackedFrames(IReadOnlyList<ReadOnlyMemory<byte>>? frames)
    {
        var size = 0;
        if (frames is null)
            return 1;
        for (var i = 0; i < frames.Count; i++)
        {
            var length = frames[i].Length;
            size = checked(size + length + (length < 0xFE ? 1 : length <= 0xFFFF ? 3 : 5));
        }
        return size;
    }

    /// <summary>Checks a number against the largest value its bit width holds.</summary>
    public static void Bits(ulong value, int bits, string field)
    {
        if (bits < 64 && value >> bits != 0)
            throw new EncodeException(field, $"value {value} does not fit in {bits} bit(s)");
    }

    /// <summary>Checks a signed number against the range its bit width holds (two's complement).</summary>
    public static void SignedBits(long value, int bits, string field)
    {
        if (bits < 64 && (value < -(1L << (bits - 1)) || value >= 1L << (bits - 1)))
            throw new EncodeException(field, $"value {value} does not fit in {bits} signed bit(s)");
    }

    /// <summary>Checks a whole message against a protocol's size limit (datagram protocols).</summary>
    public static int Limit(int size, int limit, string message)
    {
        if (size > limit)
            throw new EncodeException(message, $"message is {size} octets; the protocol allows at most {limit}");
        return size;
    }
}
