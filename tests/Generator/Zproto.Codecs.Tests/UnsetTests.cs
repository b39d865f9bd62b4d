using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;
using Zproto.Cli.Json;
using Zproto.Codecs.Tests.Protocols;

namespace Zproto.Codecs.Tests;

/// <summary>
/// "Unset" in C# (the decision these tests pin down): a field is unset when the record keeps its
/// default, so <c>new X()</c> is the all-unset message and encodes to the C encoder's unset bytes.
/// The defaults are the values the C decoder gives back (empty strings, lists and hashes, an empty
/// chunk, the zero uuid), with two exceptions that cannot round-trip by nature:
/// - <c>octets</c>: the default is empty (unset), encoded as zeros, decoded as that many zero octets;
/// - <c>msg</c>: the default is null (unset), encoded as one empty frame, decoded as that one frame.
/// A <c>frame</c> field's default is the empty frame, which is also what C sends for an unset frame.
/// </summary>
public class UnsetTests
{
    public static TheoryData<string, int> UnsetVectors()
    {
        var data = new TheoryData<string, int>();
        foreach (var protocol in new[] { "zproto_example", "zpipes_msg", "zccp_msg" })
        {
            var vectors = Load(protocol);
            for (var i = 0; i < vectors.Count; i++)
            {
                if ((string)vectors[i]!["variant"]! == "unset")
                    data.Add(protocol, i);
            }
        }
        return data;
    }

    private static JsonArray Load(string protocol) => JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Vectors, protocol + ".json")))!.AsArray();

    [Theory]
    [MemberData(nameof(UnsetVectors))]
    public void New_record_encodes_to_the_unset_vector_frames(string protocol, int index)
    {
        var vector = Load(protocol)[index]!;
        var codec = BinaryCodecs.Get(protocol);
        var message = Activator.CreateInstance(BinaryCodecs.MessageType(protocol, (string)vector["message"]!))!;
        var expected = vector["frames"]!.AsArray().Select(f => (string)f!).ToArray();
        Assert.Equal(expected, codec.EncodeFrames(message).Select(f => Convert.ToHexStringLower(f.Span)).ToArray());
        // The vector's nulls mean "leave the default": building it from JSON gives the same bytes, and the
        // same record except for octets, where the vector spells C's unset value (zeros) out.
        var fromJson = MessageJson.FromJson(codec.Protocol, (string)vector["message"]!, vector["fields"]!.AsObject());
        Frames.Equal(codec.EncodeFrames(message), codec.EncodeFrames(fromJson));
        if (!RoundTripPropertyTests.FieldPaths(message.GetType(), "octets").Any())
            Assert.Equal(message, fromJson);
    }

    [Theory]
    [MemberData(nameof(UnsetVectors))]
    public void Unset_vector_frames_decode_to_the_C_decoders_values_and_re_encode_identically(string protocol, int index)
    {
        var vector = Load(protocol)[index]!;
        var codec = BinaryCodecs.Get(protocol);
        var frames = vector["frames"]!.AsArray().Select(f => (ReadOnlyMemory<byte>)Convert.FromHexString((string)f!)).ToArray();
        Assert.True(codec.TryDecode(frames, out var decoded, out var error), error.ToString());
        JsonAssert.EqualFields((vector["decoded_fields"] ?? vector["fields"])!.AsObject(), MessageJson.ToJson(decoded!));
        Frames.Equal(frames, codec.EncodeFrames(decoded!)); // "reencode_identical": true
        Assert.Equal(Defaulted(protocol, (string)vector["message"]!), decoded);
    }

    [Theory]
    [MemberData(nameof(RoundTripPropertyTests.AllMessages), MemberType = typeof(RoundTripPropertyTests))]
    public void Default_record_decodes_back_to_itself_except_octets_and_msg(string protocol, string message)
    {
        var codec = BinaryCodecs.Get(protocol);
        var record = Activator.CreateInstance(BinaryCodecs.MessageType(protocol, message))!;
        var frames = codec.EncodeFrames(record);
        Assert.True(codec.TryDecode(frames, out var decoded, out var error), error.ToString());
        Assert.Equal(Defaulted(protocol, message), decoded);
        Frames.Equal(frames, codec.EncodeFrames(decoded!));
    }

    [Fact]
    public void Unset_BINARY_differs_from_its_decoding_only_in_octets_and_msg()
    {
        var unset = new ZprotoExample.Binary();
        Assert.True(unset.Flags.IsEmpty);
        Assert.Null(unset.Content);
        Assert.True(unset.Address.IsEmpty);
        Assert.Equal(Guid.Empty, unset.Identifier);
        Assert.True(ZprotoExample.TryDecode(ZprotoExample.EncodeFrames(unset), out var decoded, out var error), error.ToString());
        Assert.NotEqual<ZprotoExample.Message>(unset, decoded);
        Assert.Equal(new ZprotoExample.Binary { Flags = new byte[4], Content = [ReadOnlyMemory<byte>.Empty] }, decoded);
        // An empty msg is different from an unset one: no frames at all.
        Assert.Equal(2, ZprotoExample.EncodeFrames(new ZprotoExample.Binary { Content = [] }).Length);
        Assert.Equal(3, ZprotoExample.EncodeFrames(unset).Length);
    }

    /// <summary><c>new X()</c> as it comes back from the wire: octets as zeros, an unset msg as one empty frame.</summary>
    private static object Defaulted(string protocol, string message)
    {
        var codec = BinaryCodecs.Get(protocol);
        object record = WireGen.Normalised(Activator.CreateInstance(BinaryCodecs.MessageType(protocol, message))!);
        foreach (var path in RoundTripPropertyTests.FieldPaths(record.GetType(), "octets"))
            record = RoundTripPropertyTests.WithField(record, path, (ReadOnlyMemory<byte>)new byte[codec.Facts.Size(path)]);
        return record;
    }
}
