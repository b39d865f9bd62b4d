using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;
using Zproto.Cli.Json;

namespace Zproto.Cli.Tests;

/// <summary>
/// Every golden vector of the reference C codec through <c>zproto encode</c> and <c>zproto decode</c>,
/// in-process: the CLI compiles the generated codec once per protocol and keeps it loaded.
/// </summary>
public class VectorTests
{
    public static readonly string[] Protocols = ["zproto_example", "zpipes_msg", "zccp_msg"];

    public static TheoryData<string, int> Vectors()
    {
        var data = new TheoryData<string, int>();
        foreach (var protocol in Protocols)
        {
            for (var i = 0; i < Texts(protocol).Length; i++)
                data.Add(protocol, i);
        }
        return data;
    }

    private static readonly ConcurrentDictionary<string, string[]> s_vectors = new();

    /// <summary>
    /// The vectors of <paramref name="protocol"/>, each freshly parsed from text kept after the first
    /// read (the files hold megabytes of hex; a JsonNode tree is not safe to share between threads).
    /// </summary>
    internal static JsonObject[] Load(string protocol) => [.. Texts(protocol).Select(text => JsonNode.Parse(text)!.AsObject())];

    internal static JsonObject Vector(string protocol, int index) => JsonNode.Parse(Texts(protocol)[index])!.AsObject();

    private static string[] Texts(string protocol) =>
        s_vectors.GetOrAdd(protocol, p => [.. JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Vectors, p + ".json")))!.AsArray().Select(v => v!.ToJsonString())]);

    internal static string ModelOf(string protocol) => Repository.Model(protocol + ".xml");

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encode_prints_the_reference_frames(string protocol, int index)
    {
        var vector = Vector(protocol, index);
        // The whole vector object is accepted as the JSON input; only "message" and "fields" count.
        var result = Zproto.Run("encode", "--model", ModelOf(protocol), "--json", vector.ToJsonString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stderr);
        var expected = vector["frames"]!.AsArray().Select(f => (string)f!).ToArray();
        Assert.Equal(expected, result.StdoutLines);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decode_prints_the_reference_fields(string protocol, int index)
    {
        var vector = Vector(protocol, index);
        var frames = vector["frames"]!.AsArray().Select(f => (string)f!);
        var result = Zproto.Run(["decode", "--model", ModelOf(protocol), .. frames]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stderr);
        var line = Assert.Single(result.StdoutLines);
        var output = JsonNode.Parse(line)!.AsObject();
        Assert.Equal(FieldNames.Key((string)vector["message"]!), FieldNames.Key((string)output["message"]!));
        JsonAssert.EqualFields((vector["decoded_fields"] ?? vector["fields"])!.AsObject(), output["fields"]!.AsObject());
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decoded_json_encodes_back_to_the_same_frames(string protocol, int index)
    {
        var vector = Vector(protocol, index);
        var frames = vector["frames"]!.AsArray().Select(f => (string)f!).ToArray();
        var decoded = Zproto.Run(["decode", "--model", ModelOf(protocol), .. frames]);
        Assert.Equal(0, decoded.ExitCode);
        var encoded = Zproto.RunWithInput(decoded.Stdout, "encode", "--model", ModelOf(protocol), "--json", "-");
        Assert.True(encoded.ExitCode == 0, encoded.ToString());
        // A hash decodes in wire order, so even the C encoder's hash order comes back unchanged.
        Assert.Equal(frames, encoded.StdoutLines);
    }
}
