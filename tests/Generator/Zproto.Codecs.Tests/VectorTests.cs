using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;
using Zproto.Cli.Json;
using Zproto.Codecs.Tests.Protocols;

namespace Zproto.Codecs.Tests;

/// <summary>Golden vectors from the reference zproto C codec, both ways through the generated codecs.</summary>
public class VectorTests
{
    public static TheoryData<string, int> Vectors()
    {
        var data = new TheoryData<string, int>();
        foreach (var protocol in new[] { "zproto_example", "zpipes_msg", "zccp_msg" })
        {
            var vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Vectors, protocol + ".json")))!.AsArray();
            for (var i = 0; i < vectors.Count; i++)
                data.Add(protocol, i);
        }
        return data;
    }

    internal static Type ProtocolType(string protocol) => protocol switch
    {
        "zproto_example" => typeof(ZprotoExample),
        "zpipes_msg" => typeof(ZpipesMsg),
        "zccp_msg" => typeof(ZccpMsg),
        _ => throw new ArgumentException(protocol),
    };

    private static JsonObject Vector(string protocol, int index) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Vectors, protocol + ".json")))!.AsArray()[index]!.AsObject();

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encode_matches_reference_frames(string protocol, int index)
    {
        var vector = Vector(protocol, index);
        var message = MessageJson.FromJson(ProtocolType(protocol), (string)vector["message"]!, vector["fields"]!.AsObject());
        var frames = Codecs.EncodeFrames(ProtocolType(protocol), message);
        var expected = vector["frames"]!.AsArray().Select(f => (string)f!).ToArray();
        Assert.Equal(expected, frames.Select(f => Convert.ToHexStringLower(f.Span)).ToArray());
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decode_matches_reference_fields(string protocol, int index)
    {
        var vector = Vector(protocol, index);
        var frames = vector["frames"]!.AsArray().Select(f => (ReadOnlyMemory<byte>)Convert.FromHexString((string)f!)).ToArray();
        Assert.True(Codecs.TryDecode(ProtocolType(protocol), frames, out var message, out var error), error.ToString());
        Assert.Equal(FieldNames.Key((string)vector["message"]!), FieldNames.Key(MessageJson.MessageName(message!)));
        var expected = (vector["decoded_fields"] ?? vector["fields"])!.AsObject();
        var actual = MessageJson.ToJson(message!);
        JsonAssert.EqualFields(expected, actual);
    }
}
