using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace Zproto.Benchmarks;

/// <summary>
/// The reference C codec's golden vectors (copied into tests/reference/vectors): the benchmarks
/// take their field values from the "typical" variants, so the numbers are for the same messages the
/// codec tests prove byte-identical, non-ASCII strings included.
/// </summary>
internal static class GoldenVectors
{
    private static readonly string s_directory = FindVectors();

    /// <summary>The vector of <paramref name="message"/> and <paramref name="variant"/> in <c>{protocol}.json</c>.</summary>
    public static GoldenVector Find(string protocol, string message, string variant = "typical")
    {
        var vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(s_directory, protocol + ".json")))!.AsArray();
        var vector = vectors.Select(v => v!.AsObject()).FirstOrDefault(v =>
            string.Equals((string?)v["message"], message, StringComparison.OrdinalIgnoreCase) &&
            (string?)v["variant"] == variant)
            ?? throw new InvalidOperationException($"no {variant} {message} vector in {protocol}.json");
        return new GoldenVector(
            vector["fields"]!.AsObject(),
            vector["frames"]!.AsArray().Select(f => Convert.FromHexString((string)f!)).ToArray());
    }

    /// <summary>Throws unless <paramref name="actual"/> holds the same octets as <paramref name="expected"/>; benchmarks call it in setup, so a run never measures a codec that is wrong.</summary>
    public static void CheckSame(string what, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        if (!expected.SequenceEqual(actual))
            throw new InvalidOperationException($"{what}: encoded {Convert.ToHexStringLower(actual)}, reference {Convert.ToHexStringLower(expected)}");
    }

    /// <summary>The octets <paramref name="writer"/> holds after an encode that reported <paramref name="count"/> (taken after the call, not before).</summary>
    public static ReadOnlySpan<byte> Written(ArrayBufferWriter<byte> writer, int count) =>
        count == writer.WrittenCount ? writer.WrittenSpan : throw new InvalidOperationException($"encode reported {count} octets but wrote {writer.WrittenCount}");

    private static string FindVectors()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        if (dir is null)
            throw new InvalidOperationException("Zproto.Net.sln not found above " + AppContext.BaseDirectory);
        return Path.Combine(dir.FullName, "tests", "reference", "vectors");
    }
}

/// <summary>One golden vector: field values as the JSON spells them, and the reference codec's frames.</summary>
internal sealed record GoldenVector(JsonObject Fields, byte[][] Frames)
{
    public string String(string name) => (string)Fields[name]!;

    public ulong Number(string name) => Fields[name]!.GetValue<ulong>();

    public byte[] Hex(string name) => Convert.FromHexString((string)Fields[name]!);

    public string[] Strings(string name) => Fields[name]!.AsArray().Select(s => (string)s!).ToArray();
}
