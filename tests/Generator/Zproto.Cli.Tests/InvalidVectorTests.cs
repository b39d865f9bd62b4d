using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;
using Zproto.Cli.Json;

namespace Zproto.Cli.Tests;

/// <summary>
/// The malformed inputs of the reference codecs (<c>*.invalid.json</c>, <c>*.invalid.2014codec.json</c>)
/// through <c>zproto decode</c>. The project's decisions (see tests/reference/vectors/README.md): every
/// truncation, bad signature, unknown id and constant mismatch is rejected, and so are trailing
/// octets, extra frames, invalid UTF-8 and duplicate hash keys, which the C codec accepts. Only the
/// valid baseline and an absent msg (zero frames: an empty msg) decode.
/// </summary>
public partial class InvalidVectorTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Repository.Vectors, "*.invalid*.json").Order(StringComparer.Ordinal))
        {
            foreach (var c in JsonNode.Parse(File.ReadAllText(file))!.AsArray())
                data.Add(Path.GetFileName(file), (string)c!["case"]!);
        }
        return data;
    }

    private static JsonObject Case(string file, string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Vectors, file)))!.AsArray()
            .Select(c => c!.AsObject()).First(c => (string)c["case"]! == name);

    private static string ModelOf(string file) => Repository.Model(file[..file.IndexOf('.')] + ".xml");

    internal static bool Accepted(string name) =>
        name.StartsWith("valid baseline", StringComparison.Ordinal) || name.Contains("msg field content absent", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_rejects_malformed_frames_with_one_line_naming_field_and_offset(string file, string name)
    {
        var vector = Case(file, name);
        var frames = vector["frames"]!.AsArray().Select(f => (string)f!);
        var result = Zproto.Run(["decode", "--model", ModelOf(file), .. frames]);
        if (Accepted(name))
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            if (vector["decoded_fields"] is JsonObject expected)
            {
                var output = JsonNode.Parse(Assert.Single(result.StdoutLines))!.AsObject();
                Assert.Equal(FieldNames.Key((string)vector["decoded_message"]!), FieldNames.Key((string)output["message"]!));
                JsonAssert.EqualFields(expected, output["fields"]!.AsObject());
            }
            return;
        }

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.Matches(ErrorLine(), line);
        var reasons = Expected(name);
        Assert.True(reasons.Any(r => line.Contains(r, StringComparison.Ordinal)), $"'{line}' should say one of: {string.Join(" | ", reasons)}");
    }

    /// <summary>The words of <see cref="Zproto.Wire.DecodeError.Message"/> each kind of case must produce.</summary>
    private static string[] Expected(string name) => name switch
    {
        _ when name.StartsWith("bad signature", StringComparison.Ordinal) => ["bad signature"],
        _ when name.StartsWith("unknown message id", StringComparison.Ordinal) => ["unknown message id"],
        _ when name.Contains("constant", StringComparison.Ordinal) => ["constant field carries"],
        _ when name.StartsWith("trailing garbage", StringComparison.Ordinal) => ["unexpected octet"],
        _ when name.StartsWith("extra (unexpected) 2nd frame", StringComparison.Ordinal) => ["unexpected frame"],
        _ when name.Contains("invalid UTF-8", StringComparison.Ordinal) => ["not valid UTF-8"],
        _ when name.Contains("duplicate key", StringComparison.Ordinal) => ["invalid value"],
        _ when name.Contains("missing", StringComparison.Ordinal) => ["frame is missing"],
        // Every other case is a truncation: a value cut short, or a length or count past the end.
        _ => ["cut short", "runs past the end", "frame is missing"],
    };

    [GeneratedRegex(@"^zproto decode: field '[^']+' \(frame \d+, offset \d+\): .+$")]
    private static partial Regex ErrorLine();
}
