using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace Zproto.Cli.Tests;

/// <summary>A copy of zproto_example with <c>strings = "utf8"</c>, written once for the class.</summary>
public sealed class Utf8ExampleModel : IDisposable
{
    private readonly TempDirectory _directory = new();

    public Utf8ExampleModel()
    {
        var original = File.ReadAllText(Repository.Model("zproto_example.xml"));
        const string Signature = "\n    signature = \"0\"\n";
        if (!original.Contains(Signature, StringComparison.Ordinal))
            throw new InvalidOperationException("models/zproto_example.xml no longer has the signature line this copy extends");
        Path = _directory.File("zproto_example.xml", original.Replace(Signature, Signature + "    strings = \"utf8\"\n", StringComparison.Ordinal));
    }

    /// <summary>The utf8-mode model file.</summary>
    public string Path { get; }

    public void Dispose() => _directory.Dispose();
}

/// <summary>
/// <c>zproto encode</c>/<c>decode</c> on models with <c>strings = "utf8"</c>: their Utf8Text fields
/// (messages, composite types, list items) are JSON strings exactly as the default mode's strings
/// are, so both modes turn the same JSON into the same frames and back.
/// </summary>
public class Utf8StringsTests(Utf8ExampleModel utf8) : IClassFixture<Utf8ExampleModel>
{
    private static readonly string s_utf16 = Repository.Model("zproto_example.xml");

    // Every message of zproto_example, each in four variants (typical, max, empty, unset).
    private const int ExampleVectors = 16;

    private static string[] Frames(JsonObject vector) => [.. vector["frames"]!.AsArray().Select(f => (string)f!)];

    [Fact]
    public void The_copy_is_in_utf8_mode()
    {
        // Without the option the tests below would compare the default mode with itself.
        using var output = new TempDirectory();
        var generated = Zproto.Run("generate", utf8.Path, "--output", output.Path);
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var messages = File.ReadAllText(Directory.GetFiles(output.Path, "*.Messages.g.cs").Single());
        Assert.Contains("public global::Zproto.Wire.Utf8Text Host { get; init; }", messages, StringComparison.Ordinal);
        Assert.Contains("public global::Zproto.Wire.Utf8Text Forename { get; init; }", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_gives_the_default_modes_frames_for_every_golden_vector()
    {
        var vectors = VectorTests.Load("zproto_example");
        Assert.Equal(ExampleVectors, vectors.Length);
        foreach (var vector in vectors)
        {
            var json = vector.ToJsonString();
            var expected = Zproto.Run("encode", "--model", s_utf16, "--json", json);
            var actual = Zproto.Run("encode", "--model", utf8.Path, "--json", json);
            Assert.True(actual.ExitCode == 0, $"{vector["message"]} {vector["variant"]}: {actual}");
            Assert.Empty(actual.Stderr);
            Assert.Equal(expected.StdoutLines, actual.StdoutLines);
            Assert.Equal(Frames(vector), actual.StdoutLines);
        }
    }

    [Fact]
    public void Decode_gives_the_default_modes_json_for_every_golden_vector()
    {
        var vectors = VectorTests.Load("zproto_example");
        Assert.Equal(ExampleVectors, vectors.Length);
        foreach (var vector in vectors)
        {
            var frames = Frames(vector);
            var expected = Zproto.Run(["decode", "--model", s_utf16, .. frames]);
            var actual = Zproto.Run(["decode", "--model", utf8.Path, .. frames]);
            Assert.True(actual.ExitCode == 0, $"{vector["message"]} {vector["variant"]}: {actual}");
            Assert.Empty(actual.Stderr);
            Assert.Equal(expected.Stdout, actual.Stdout);
            var output = JsonNode.Parse(Assert.Single(actual.StdoutLines))!.AsObject();
            JsonAssert.EqualFields((vector["decoded_fields"] ?? vector["fields"])!.AsObject(), output["fields"]!.AsObject());

            var encoded = Zproto.RunWithInput(actual.Stdout, "encode", "--model", utf8.Path, "--json", "-");
            Assert.True(encoded.ExitCode == 0, encoded.ToString());
            Assert.Equal(frames, encoded.StdoutLines);
        }
    }

    [Fact]
    public void Decode_rejects_invalid_utf8_in_a_message_field_with_one_line_naming_it()
    {
        // LOG: sequence 0, version 3 (constant), level .. time 0, host ff fe 00, empty data.
        var result = Zproto.Run("decode", "--model", utf8.Path, "aaa00100000003000000000000000000000000000003fffe0000000000");
        AssertInvalidUtf8(result, "host");
    }

    [Fact]
    public void Decode_rejects_invalid_utf8_in_a_composite_field_with_one_line_naming_it()
    {
        var typical = VectorTests.Load("zproto_example").Single(v => (string)v["message"]! == "TYPES" && (string)v["variant"]! == "typical");
        var frame = Convert.FromHexString(Assert.Single(Frames(typical)));
        // aa a0, id 4, sequence (2 octets), then client.forename: its length, its first octet.
        Assert.True(frame[5] > 0, "the typical TYPES vector should have a client forename");
        frame[6] = 0xFF;
        var result = Zproto.Run("decode", "--model", utf8.Path, Convert.ToHexStringLower(frame));
        AssertInvalidUtf8(result, "client.forename");
    }

    [Fact]
    public void Every_malformed_reference_case_fails_or_decodes_exactly_as_in_the_default_mode()
    {
        var cases = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(Repository.Vectors, "zproto_example.invalid.json")))!.AsArray();
        Assert.Equal(28, cases.Count);
        var rejected = 0;
        foreach (var c in cases)
        {
            var frames = c!["frames"]!.AsArray().Select(f => (string)f!).ToArray();
            var expected = Zproto.Run(["decode", "--model", s_utf16, .. frames]);
            var actual = Zproto.Run(["decode", "--model", utf8.Path, .. frames]);
            Assert.True(expected.ToString() == actual.ToString(), $"{c["case"]}: default mode\n{expected}\nutf8 mode\n{actual}");
            if (actual.ExitCode == 1)
                rejected++;
        }
        // Only the valid baseline and an absent msg decode (see InvalidVectorTests).
        Assert.Equal(cases.Count - cases.Count(c => InvalidVectorTests.Accepted((string)c!["case"]!)), rejected);
    }

    [Fact]
    public void Encode_rejects_a_string_over_255_octets_as_in_the_default_mode()
    {
        var json = new JsonObject { ["message"] = "TYPES", ["fields"] = new JsonObject { ["client_forename"] = new string('\u00e9', 128) } }.ToJsonString();
        var expected = Zproto.Run("encode", "--model", s_utf16, "--json", json);
        var actual = Zproto.Run("encode", "--model", utf8.Path, "--json", json);
        Assert.True(actual.ExitCode == 1, actual.ToString());
        Assert.Empty(actual.Stdout);
        Assert.Contains("client.forename", Assert.Single(actual.StderrLines), StringComparison.Ordinal);
        Assert.Equal(expected.Stderr, actual.Stderr);
    }

    private static void AssertInvalidUtf8(RunResult result, string field)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"zproto decode: field '{field}' (frame 0, offset ", line, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_of_strings_and_of_composites_with_strings_round_trip_as_in_the_default_mode()
    {
        using var temp = new TempDirectory();
        var utf16Model = temp.File("tags_utf16.xml", TestModels.StringLists(""));
        var utf8Model = temp.File("tags_utf8.xml", TestModels.StringLists(" strings = \"utf8\""));
        const string Json = """{"message": "TAGGED", "fields": {"tags": ["a", "", "h\u00e9llo \ud83d\ude00"], "people": [{"name": "\u65e5\u672c", "notes": "x"}, {"name": "", "notes": ""}]}}""";

        var expected = Zproto.Run("encode", "--model", utf16Model, "--json", Json);
        Assert.True(expected.ExitCode == 0, expected.ToString());
        var frames = Zproto.Run("encode", "--model", utf8Model, "--json", Json);
        Assert.True(frames.ExitCode == 0, frames.ToString());
        Assert.Equal(expected.StdoutLines, frames.StdoutLines);

        var decoded = Zproto.Run(["decode", "--model", utf8Model, .. frames.StdoutLines]);
        Assert.True(decoded.ExitCode == 0, decoded.ToString());
        Assert.Equal(Zproto.Run(["decode", "--model", utf16Model, .. frames.StdoutLines]).Stdout, decoded.Stdout);
        Assert.Equal(
            """{"message":"TAGGED","fields":{"tags":["a","","héllo \uD83D\uDE00"],"people":[{"name":"日本","notes":"x"},{"name":"","notes":""}]}}""",
            Assert.Single(decoded.StdoutLines));
    }

    [Fact]
    public void A_lone_surrogate_in_the_json_is_rejected_as_in_the_default_mode()
    {
        using var temp = new TempDirectory();
        const string Json = """{"message": "TAGGED", "fields": {"tags": ["\ud800"]}}""";
        var expected = Zproto.Run("encode", "--model", temp.File("tags_utf16.xml", TestModels.StringLists("")), "--json", Json);
        var actual = Zproto.Run("encode", "--model", temp.File("tags_utf8.xml", TestModels.StringLists(" strings = \"utf8\"")), "--json", Json);
        Assert.True(actual.ExitCode == 1, actual.ToString());
        Assert.Empty(actual.Stdout);
        Assert.StartsWith("zproto encode: message 'TAGGED': field 'tags': ", Assert.Single(actual.StderrLines), StringComparison.Ordinal);
        Assert.Equal(expected.Stderr, actual.Stderr);
    }
}
