using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Zproto.Wire;

namespace Zproto.Codecs.Tests;

/// <summary>
/// FsCheck generators for wire values, and a reflective generator for whole messages built from
/// the generated records' [ZprotoField] attributes, property types and the model's field facts.
/// Every value it makes is encodable: strings within 255 octets, octets of their exact size, bit
/// fields within their widths, datagrams within their limit. Out-of-range values are made by the
/// tests that expect an EncodeException.
/// </summary>
internal static class WireGen
{
    // ---- text -------------------------------------------------------------------------------

    /// <summary>One Unicode scalar value (never a lone surrogate): ASCII (with controls and NUL), 2-, 3- and 4-octet UTF-8.</summary>
    public static Gen<Rune> Rune { get; } = Gen.Frequency(
        (4, Gen.Choose(0x20, 0x7E)),
        (1, Gen.Choose(0x00, 0x7F)),
        (2, Gen.Choose(0x80, 0x7FF)),
        (2, Gen.Choose(0x800, 0xFFFF).Where(c => c is < 0xD800 or > 0xDFFF)),
        (2, Gen.Choose(0x10000, 0x10FFFF))).Select(c => new Rune(c));

    /// <summary>Text of at most <paramref name="maxOctets"/> UTF-8 octets; exactly that many when <paramref name="exact"/>.</summary>
    public static Gen<string> Text(int minOctets, int maxOctets, bool exact = false) =>
        from target in Gen.Choose(minOctets, maxOctets)
        from runes in Gen.ArrayOf(Rune, target)
        select Build(runes, target, exact);

    /// <summary>Text of exactly <paramref name="octets"/> UTF-8 octets, multi-octet characters included.</summary>
    public static Gen<string> ExactText(int octets) => Text(octets, octets, exact: true);

    private static string Build(Rune[] runes, int target, bool exact)
    {
        var sb = new StringBuilder();
        var octets = 0;
        foreach (var r in runes)
        {
            if (octets + r.Utf8SequenceLength > target)
                continue;
            sb.Append(r.ToString());
            octets += r.Utf8SequenceLength;
        }
        if (exact)
            sb.Append('x', target - octets);
        return sb.ToString();
    }

    /// <summary>A <c>string</c>: 0–255 octets, often short, sometimes exactly 255 or empty.</summary>
    public static Gen<string> ShortString { get; } = Gen.Frequency(
        (6, Text(0, 24)),
        (3, Text(0, 255)),
        (1, ExactText(255)),
        (1, Gen.Constant("")));

    /// <summary>A <c>longstr</c>: usually short, sometimes hundreds of octets, rarely 70,000 octets.</summary>
    public static Gen<string> LongString { get; } = Gen.Frequency(
        (8, Text(0, 40)),
        (3, Text(0, 600)),
        (1, Gen.Constant("")),
        (1, Gen.Choose(0, 10).Select(i => i == 0 ? new string('\u00e9', 35_000) : "long"))); // 70,000 octets of 2-octet UTF-8, rarely

    /// <summary><c>strings</c>: 0 to 1,000 items.</summary>
    public static Gen<IReadOnlyList<string>> StringList { get; } = Gen.Frequency(
        (6, Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(LongString, n))),
        (2, Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(Text(0, 12), n))),
        (1, Gen.Choose(0, 1000).SelectMany(n => Gen.ArrayOf(Text(0, 4), n))),
        (1, Gen.Constant(Array.Empty<string>()))).Select(a => (IReadOnlyList<string>)a);

    /// <summary>A <c>hash</c> with unique keys (each a <c>string</c>, so at most 255 octets): usually a few entries, up to 600.</summary>
    public static Gen<ZprotoHash> Hash { get; } = Gen.Frequency(
        (6, Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Gen.Zip(ShortString, Gen.Frequency((4, Text(0, 30)), (1, LongString))), n))),
        (2, Gen.Choose(0, 100).SelectMany(n => Gen.ArrayOf(Gen.Zip(Text(0, 12), Text(0, 20)), n))),
        (1, Gen.Choose(0, 600).SelectMany(n => Gen.ArrayOf(Gen.Zip(Text(1, 6), Text(0, 4)), n))),
        (1, Gen.Constant(Array.Empty<(string, string)>())))
        .Select(pairs => ZprotoHash.Create(pairs
            .DistinctBy(p => p.Item1, StringComparer.Ordinal)
            .Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))));

    // ---- binary -----------------------------------------------------------------------------

    /// <summary>Random octets of a length drawn from <paramref name="length"/>; filled from a seed so a megabyte costs one draw.</summary>
    public static Gen<byte[]> Bytes(Gen<int> length) =>
        from n in length
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select Fill(n, seed);

    public static byte[] Fill(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A <c>chunk</c>: small, sometimes kilobytes, occasionally up to 1 MiB.</summary>
    public static Gen<ReadOnlyMemory<byte>> Chunk { get; } = Bytes(Gen.Frequency(
        (6, Gen.Choose(0, 64)),
        (3, Gen.Choose(0, 4096)),
        (1, Gen.Choose(0, 1 << 20)),
        (1, Gen.Constant(0)))).Select(b => (ReadOnlyMemory<byte>)b);

    /// <summary>A <c>frame</c>: often empty or small, sometimes 70,000 octets.</summary>
    public static Gen<ReadOnlyMemory<byte>> Frame { get; } = Bytes(Gen.Frequency(
        (3, Gen.Constant(0)),
        (8, Gen.Choose(0, 300)),
        (1, Gen.Constant(70_000)))).Select(b => (ReadOnlyMemory<byte>)b);

    /// <summary>A <c>msg</c>: null (unset), no frames, or 1–10 frames including empty ones.</summary>
    public static Gen<IReadOnlyList<ReadOnlyMemory<byte>>?> Msg { get; } = Gen.Frequency(
        (1, Gen.Constant<IReadOnlyList<ReadOnlyMemory<byte>>?>(null)),
        (1, Gen.Constant<IReadOnlyList<ReadOnlyMemory<byte>>?>(Array.Empty<ReadOnlyMemory<byte>>())),
        (6, Gen.Choose(1, 10).SelectMany(n => Gen.ArrayOf(Frame, n)).Select(a => (IReadOnlyList<ReadOnlyMemory<byte>>?)a)));

    /// <summary>Frames packed into a datagram, trimmed so that the packed size is at most <paramref name="budget"/>.</summary>
    public static Gen<IReadOnlyList<ReadOnlyMemory<byte>>?> PackedMsg(int budget) => Gen.Frequency(
        (1, Gen.Constant<IReadOnlyList<ReadOnlyMemory<byte>>?>(null)),
        (1, Gen.Constant<IReadOnlyList<ReadOnlyMemory<byte>>?>(Array.Empty<ReadOnlyMemory<byte>>())),
        (2, Bytes(Gen.Choose(budget - 3 - 40, budget - 3)).Select(b => (IReadOnlyList<ReadOnlyMemory<byte>>?)new ReadOnlyMemory<byte>[] { b })),
        (6, Gen.Choose(1, 10).SelectMany(n => Gen.ArrayOf(Bytes(Gen.Frequency((2, Gen.Constant(0)), (6, Gen.Choose(0, 60)), (2, Gen.Choose(250, 300)))), n))
            .Select(frames => (IReadOnlyList<ReadOnlyMemory<byte>>?)Trim(frames, budget))));

    private static ReadOnlyMemory<byte>[] Trim(byte[][] frames, int budget)
    {
        var kept = new List<ReadOnlyMemory<byte>>();
        foreach (var f in frames)
        {
            kept.Add(f);
            if (WireSize.PackedFrames(kept) > budget)
            {
                kept.RemoveAt(kept.Count - 1);
                break;
            }
        }
        return kept.ToArray();
    }

    public static Gen<Guid> Uuid { get; } = Bytes(Gen.Constant(16)).Select(b => new Guid(b, bigEndian: true));

    // ---- numbers ----------------------------------------------------------------------------

    private static Gen<ulong> Unsigned(int bits)
    {
        var max = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var uniform = bits <= 30
            ? Gen.Choose(0, (int)max).Select(v => (ulong)v)
            : Gen.Zip(Gen.Choose(0, (1 << 16) - 1), Gen.Zip(Gen.Choose(0, (1 << 16) - 1), Gen.Zip(Gen.Choose(0, (1 << 16) - 1), Gen.Choose(0, (1 << 16) - 1))))
                .Select(t => (((ulong)(uint)t.Item1 << 48) | ((ulong)(uint)t.Item2.Item1 << 32) | ((ulong)(uint)t.Item2.Item2.Item1 << 16) | (uint)t.Item2.Item2.Item2) & max);
        return Gen.Frequency(
            (6, uniform),
            (1, Gen.Elements(0UL, 1UL, max, max - 1, max >> 1, (max >> 1) + 1)),
            (1, Gen.Choose(0, 255).Select(v => (ulong)v & max)));
    }

    // ---- messages ---------------------------------------------------------------------------

    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, ZprotoFieldAttribute Field)[]> s_fields = new();

    /// <summary>Every wire property of a record in wire order (constants included; they cannot be set).</summary>
    public static IReadOnlyList<(PropertyInfo Property, ZprotoFieldAttribute Field)> Fields(Type type) =>
        s_fields.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, a: p.GetCustomAttribute<ZprotoFieldAttribute>()))
            .Where(x => x.a is not null)
            .OrderBy(x => x.a!.Order)
            .Select(x => (x.p, x.a!))
            .ToArray());

    /// <summary>A generator of random, encodable messages of <paramref name="messageType"/>.</summary>
    public static Gen<object> Message(IBinaryCodec codec, Type messageType)
    {
        // A datagram's variable part must fit in what the fixed part leaves.
        var budget = codec.Facts.MaxSize > 0 ? codec.Facts.MaxSize - codec.GetEncodedLength(Activator.CreateInstance(messageType)!) : int.MaxValue;
        if (codec.Facts.MaxSize > 0 && HasPackedMsg(codec, messageType))
            budget += 1; // an unset (null) msg packs as one empty frame, which the default instance counts
        return Record(codec, messageType, budget);
    }

    private static bool HasPackedMsg(IBinaryCodec codec, Type type) =>
        Fields(type).Any(f => f.Field.Type == "msg" && codec.Facts.IsPacked(f.Field.Name));

    private static Gen<object> Record(IBinaryCodec codec, Type type, int budget)
    {
        var settable = Fields(type).Where(f => !f.Field.IsConstant && f.Property.CanWrite).ToArray();
        var gens = settable.Select(f => Value(codec, f.Property.PropertyType, f.Field, budget)).ToList();
        // A pub-sub message's topic is not a model field; any text without U+0000 (its terminator) goes.
        var topic = type.GetProperty("Topic") is { CanWrite: true } t && t.GetCustomAttribute<ZprotoFieldAttribute>() is null ? t : null;
        if (topic is not null)
            gens.Add(Gen.Frequency((1, Gen.Constant("")), (4, Text(0, 30))).Select(s => (object?)s.Replace("\0", "", StringComparison.Ordinal)));
        return Gen.CollectToArray(gens).Select(values =>
        {
            var instance = Activator.CreateInstance(type)!;
            for (var i = 0; i < settable.Length; i++)
                settable[i].Property.SetValue(instance, AsPropertyValue(settable[i].Property.PropertyType, values[i]));
            topic?.SetValue(instance, values[^1]);
            return instance;
        });
    }

    private static Gen<object?> Signed(Type type, int bits)
    {
        if (bits == 0)
            bits = type == typeof(sbyte) ? 8 : type == typeof(short) ? 16 : type == typeof(int) ? 32 : 64;
        // Two's complement of an unsigned draw: the whole range, extremes included.
        return Unsigned(bits).Select(v => (object?)Convert.ChangeType(bits == 64 ? unchecked((long)v) : (long)(v << (64 - bits)) >> (64 - bits), type, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A list of 0–12 items (sometimes 200) drawn from <paramref name="item"/>, as an array of <paramref name="itemType"/>.</summary>
    private static Gen<object?> ListOf(Type itemType, Gen<object?> item) =>
        Gen.Frequency((6, Gen.Choose(0, 12)), (1, Gen.Choose(0, 200)), (1, Gen.Constant(0)))
            .SelectMany(n => Gen.ArrayOf(item, n))
            .Select(items =>
            {
                var array = Array.CreateInstance(itemType, items.Length);
                for (var i = 0; i < items.Length; i++)
                    array.SetValue(AsPropertyValue(itemType, items[i]), i);
                return (object?)array;
            });

    private static Gen<object?> ListItem(IBinaryCodec codec, Type itemType, string kind, int budget) => kind switch
    {
        "string" => ShortString.Select(s => (object?)s),
        "longstr" => Text(0, 60).Select(s => (object?)s),
        "chunk" => Bytes(Gen.Choose(0, 64)).Select(b => (object?)(ReadOnlyMemory<byte>)b),
        "uuid" => Uuid.Select(g => (object?)g),
        "boolean" or "bool" => Gen.Elements(true, false).Select(b => (object?)b),
        "hash" or "dictionary" => Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Zip(Text(0, 10), Text(0, 10)), n))
            .Select(pairs => (object?)ZprotoHash.Create(pairs.DistinctBy(p => p.Item1, StringComparer.Ordinal).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)))),
        "strings" => Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(Text(0, 10), n)).Select(a => (object?)(IReadOnlyList<string>)a),
        _ when itemType.IsEnum => Gen.Elements(Enum.GetValues(itemType).Cast<object?>().ToArray()),
        _ when Fields(itemType).Any() => Record(codec, itemType, budget).Select(o => (object?)o),
        _ => throw new NotSupportedException($"no generator for list items of '{kind}' ({itemType.Name})"),
    };

    private static Gen<object?> Value(IBinaryCodec codec, Type type, ZprotoFieldAttribute field, int budget)
    {
        var name = field.Name;
        switch (field.Type)
        {
            case "number":
            {
                var bits = codec.Facts.Bits(name);
                if (bits == 0)
                    bits = type == typeof(byte) ? 8 : type == typeof(ushort) ? 16 : type == typeof(uint) ? 32 : 64;
                return Unsigned(bits).Select(v => (object?)Convert.ChangeType(v, type, System.Globalization.CultureInfo.InvariantCulture));
            }
            case "integer":
                return Signed(type, codec.Facts.Bits(name));
            case "boolean":
            case "bool":
                return Gen.Elements(true, false).Select(b => (object?)b);
            case "chunk" when codec.Facts.IsRest(name):
                return Bytes(Gen.Frequency((4, Gen.Choose(0, 40)), (1, Gen.Choose(0, Math.Min(budget, 5000))))).Select(b => (object?)(ReadOnlyMemory<byte>)b);
            case "list":
            {
                var itemType = type.GetGenericArguments()[0];
                return ListOf(itemType, ListItem(codec, itemType, codec.Facts.Item(name), budget));
            }
            case "string" when codec.Facts.IsRest(name):
                return Gen.Frequency((6, Text(0, Math.Min(budget, 60))), (2, Text(0, budget)), (1, ExactText(budget))).Select(s => (object?)s);
            case "string":
                return ShortString.Select(s => (object?)s);
            case "longstr":
                return LongString.Select(s => (object?)s);
            case "strings":
                return StringList.Select(s => (object?)s);
            case "hash":
            case "dictionary":
                return Hash.Select(h => (object?)h);
            case "chunk":
                return Chunk.Select(c => (object?)c);
            case "octets":
                return Bytes(Gen.Constant(codec.Facts.Size(name))).Select(b => (object?)(ReadOnlyMemory<byte>)b);
            case "uuid":
                return Uuid.Select(g => (object?)g);
            case "frame":
                return Frame.Select(f => (object?)f);
            case "msg" when codec.Facts.IsPacked(name):
                return PackedMsg(budget).Select(m => (object?)m);
            case "msg":
                return Msg.Select(m => (object?)m);
            default:
                if (type.IsEnum)
                    return Gen.Elements(Enum.GetValues(type).Cast<object?>().ToArray());
                if (Fields(type).Any())
                    return Record(codec, type, budget).Select(o => (object?)o);
                throw new NotSupportedException($"no generator for field '{name}' of type '{field.Type}' ({type.Name})");
        }
    }

    /// <summary>
    /// Text drawn as a string, for a property of <paramref name="type"/>: a model with
    /// <c>strings = "utf8"</c> holds it as <see cref="Utf8Text"/> (reflection applies no implicit conversion).
    /// </summary>
    public static object? AsPropertyValue(Type type, object? value) =>
        type == typeof(Utf8Text) && value is string text ? Utf8Text.FromString(text) : value;

    /// <summary>
    /// What a message decodes back to: the same record, except that an unset (null) <c>msg</c>
    /// comes back as the one empty frame it was encoded as.
    /// </summary>
    public static object Normalised(object message)
    {
        object? copy = null;
        foreach (var (property, field) in Fields(message.GetType()))
        {
            if (field.Type == "msg" && property.GetValue(message) is null)
            {
                copy ??= message.GetType().GetMethod("<Clone>$")!.Invoke(message, null)!;
                property.SetValue(copy, new ReadOnlyMemory<byte>[] { ReadOnlyMemory<byte>.Empty });
            }
        }
        return copy ?? message;
    }

    /// <summary>Frames as hex, for readable assertion messages.</summary>
    public static string[] Hex(IEnumerable<ReadOnlyMemory<byte>> frames) =>
        frames.Select(f => f.Length > 600 ? Convert.ToHexStringLower(f.Span[..300]) + $"...({f.Length} octets)..." + Convert.ToHexStringLower(f.Span[^300..]) : Convert.ToHexStringLower(f.Span)).ToArray();
}
