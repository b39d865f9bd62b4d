using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Zproto.Wire;

namespace Zproto.Codecs.Tests;

/// <summary>
/// Property tests over every message of every binary model (zproto_example, zpipes_msg, zccp_msg,
/// zp_msg, vtx_nom1): random values round-trip to an equal record and to identical frames, and
/// values that cannot be encoded throw <see cref="EncodeException"/> naming the field, never
/// truncating. Generators are built from the generated records, so a new message is covered
/// without a new test.
/// </summary>
public class RoundTripPropertyTests
{
    internal static readonly Config Quick = Config.QuickThrowOnFailure.WithQuietOnSuccess(true);

    public static TheoryData<string, string> AllMessages()
    {
        var data = new TheoryData<string, string>();
        foreach (var (codec, type) in BinaryCodecs.Messages())
            data.Add(codec.Name, BinaryCodecs.MessageName(type));
        return data;
    }

    /// <summary>(protocol, message, field path) for every settable <c>string</c> (1-octet length) field, composite parts included.</summary>
    public static TheoryData<string, string, string> ShortStringFields()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (codec, type) in BinaryCodecs.Messages())
        {
            foreach (var path in FieldPaths(type, "string").Where(p => !codec.Facts.IsRest(p.Split('.')[^1])))
                data.Add(codec.Name, BinaryCodecs.MessageName(type), path);
        }
        return data;
    }

    public static TheoryData<string, string, string> FieldsOfType(string wireType)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (codec, type) in BinaryCodecs.Messages())
        {
            foreach (var path in FieldPaths(type, wireType))
                data.Add(codec.Name, BinaryCodecs.MessageName(type), path);
        }
        return data;
    }

    public static TheoryData<string, string, string> HashFields()
    {
        var data = FieldsOfType("hash");
        foreach (var row in FieldsOfType("dictionary"))
            data.Add((string)row[0], (string)row[1], (string)row[2]);
        return data;
    }

    public static TheoryData<string, string, string> OctetsFields() => FieldsOfType("octets");

    [Theory]
    [MemberData(nameof(AllMessages))]
    public void Random_values_round_trip_to_an_equal_record_and_identical_frames(string protocol, string message)
    {
        var codec = BinaryCodecs.Get(protocol);
        var gen = WireGen.Message(codec, BinaryCodecs.MessageType(protocol, message));
        Check.One(Quick.WithMaxTest(200), Prop.ForAll(gen.ToArbitrary(), (object m) => AssertRoundTrip(codec, m)));
    }

    [Theory]
    [MemberData(nameof(ShortStringFields))]
    public void String_of_exactly_255_octets_encodes_and_round_trips(string protocol, string message, string field)
    {
        var codec = BinaryCodecs.Get(protocol);
        var type = BinaryCodecs.MessageType(protocol, message);
        foreach (var text in new[] { new string('x', 255), new string('\u00e9', 127) + "x", new string('\u20ac', 85), string.Concat(Enumerable.Repeat("\U0001F600", 63)) + "xyz" })
        {
            Assert.Equal(255, Encoding.UTF8.GetByteCount(text));
            var m = WithField(Activator.CreateInstance(type)!, field, text);
            AssertRoundTrip(codec, m);
            // The length octet says 255: nothing was cut.
            byte[] needle = [0xFF, .. Encoding.UTF8.GetBytes(text)];
            Assert.True(codec.EncodeFrames(m)[0].Span.IndexOf(needle) >= 0, "the 255-octet string is not in the frame whole");
        }
    }

    [Theory]
    [MemberData(nameof(ShortStringFields))]
    public void String_over_255_octets_is_an_EncodeException_naming_the_field_never_a_truncation(string protocol, string message, string field)
    {
        var codec = BinaryCodecs.Get(protocol);
        var type = BinaryCodecs.MessageType(protocol, message);
        // 256 octets, but multi-octet text: often far fewer than 255 chars, which proves octets are counted.
        var overLong = Gen.Frequency((3, WireGen.ExactText(256)), (1, WireGen.Text(256, 2000, exact: true)), (1, Gen.Constant(new string('\u20ac', 86))));
        var arb = Gen.Zip(WireGen.Message(codec, type), overLong).ToArbitrary();
        Check.One(Quick.WithMaxTest(25), Prop.ForAll(arb, (ValueTuple<object, string> t) =>
        {
            Assert.True(Encoding.UTF8.GetByteCount(t.Item2) > 255);
            AssertEncodeFails(codec, WithField(t.Item1, field, t.Item2), field);
        }));
    }

    [Theory]
    [MemberData(nameof(HashFields))]
    public void Hash_key_over_255_octets_is_an_EncodeException_naming_the_field(string protocol, string message, string field)
    {
        var codec = BinaryCodecs.Get(protocol);
        var m = Activator.CreateInstance(BinaryCodecs.MessageType(protocol, message))!;
        var hash = ZprotoHash.Create(("ok", "1"), (new string('\u00e9', 128), "value")); // 256-octet key
        AssertEncodeFails(codec, WithField(m, field, hash), field);
        // A 255-octet key is fine.
        AssertRoundTrip(codec, WithField(m, field, ZprotoHash.Create(("ok", "1"), (new string('\u00e9', 127) + "x", "value"))));
    }

    [Theory]
    [MemberData(nameof(OctetsFields))]
    public void Octets_of_the_wrong_size_are_an_EncodeException_and_the_exact_size_round_trips(string protocol, string message, string field)
    {
        var codec = BinaryCodecs.Get(protocol);
        var size = codec.Facts.Size(field);
        var m = Activator.CreateInstance(BinaryCodecs.MessageType(protocol, message))!;
        foreach (var wrong in Enumerable.Range(1, size - 1).Concat(Enumerable.Range(size + 1, 20)).Append(1000))
            AssertEncodeFails(codec, WithField(m, field, (ReadOnlyMemory<byte>)new byte[wrong]), field);
        AssertRoundTrip(codec, WithField(m, field, (ReadOnlyMemory<byte>)WireGen.Fill(size, 42)));
    }

    [Fact]
    public void Every_message_of_every_binary_model_is_covered()
    {
        // zproto_example 4, zpipes_msg 21, zccp_msg 12, zp_msg 24, vtx_nom1 6; any other binary model in models/ is found too.
        Assert.Equal(
            ["zproto_example", "zpipes_msg", "zccp_msg", "zp_msg", "vtx_nom1"],
            BinaryCodecs.All.Select(c => c.Name).Take(5));
        Assert.Equal([4, 21, 12, 24, 6], BinaryCodecs.All.Take(5).Select(c => c.MessageTypes.Count));
        Assert.Equal(BinaryCodecs.All.Sum(c => c.MessageTypes.Count), AllMessages().Count());
    }

    // ---- shared checks ------------------------------------------------------------------------

    /// <summary>
    /// Every encode path agrees (length, span, buffer writer, extra frames, EncodeFrames); decoding
    /// gives an equal record (an unset msg comes back as its one empty frame); re-encoding the
    /// decoded record gives identical frames; equal records have equal hash codes.
    /// </summary>
    internal static void AssertRoundTrip(IBinaryCodec codec, object message)
    {
        var frames = codec.EncodeFrames(message);
        Assert.NotEmpty(frames);
        Assert.Equal(frames[0].Length, codec.GetEncodedLength(message));

        var span = new byte[frames[0].Length + 3];
        Assert.Equal(frames[0].Length, codec.Encode(message, span));
        Assert.True(span.AsSpan(0, frames[0].Length).SequenceEqual(frames[0].Span), "Encode(span) differs from EncodeFrames");
        var writer = new ArrayBufferWriter<byte>(1);
        codec.Encode(message, writer);
        Assert.True(writer.WrittenSpan.SequenceEqual(frames[0].Span), "Encode(IBufferWriter) differs from EncodeFrames");
        var extra = new List<ReadOnlyMemory<byte>>();
        codec.AddExtraFrames(message, extra);
        Frames.Equal(frames[1..], extra);

        Assert.True(codec.TryDecode(frames, out var decoded, out var error), $"{message}: {error}");
        var expected = WireGen.Normalised(message);
        Assert.Equal(expected, decoded);
        Assert.Equal(expected.GetHashCode(), decoded!.GetHashCode());
        Frames.Equal(frames, codec.EncodeFrames(decoded));

        if (frames.Length == 1)
        {
            Assert.True(codec.TryDecode(frames[0].Span, out var fromSpan, out error), error.ToString());
            Assert.Equal(expected, fromSpan);
        }
    }

    /// <summary>Every encode path throws <see cref="EncodeException"/> for <paramref name="field"/>, and nothing reaches the writer.</summary>
    internal static void AssertEncodeFails(IBinaryCodec codec, object message, string field)
    {
        Assert.Equal(field, Assert.Throws<EncodeException>(() => codec.GetEncodedLength(message)).Field);
        Assert.Equal(field, Assert.Throws<EncodeException>(() => codec.EncodeFrames(message)).Field);
        Assert.Equal(field, Assert.Throws<EncodeException>(() => codec.Encode(message, new byte[100_000])).Field);
        var writer = new ArrayBufferWriter<byte>();
        Assert.Equal(field, Assert.Throws<EncodeException>(() => codec.Encode(message, writer)).Field);
        Assert.Equal(0, writer.WrittenCount);
    }

    /// <summary>Field paths (<c>host</c>, <c>client.forename</c>) of a wire type in a message, constants excluded.</summary>
    internal static IEnumerable<string> FieldPaths(Type type, string wireType)
    {
        foreach (var (property, field) in WireGen.Fields(type))
        {
            if (field.IsConstant)
                continue;
            if (field.Type == wireType)
                yield return field.Name;
            else if (WireGen.Fields(property.PropertyType).Any())
            {
                foreach (var sub in FieldPaths(property.PropertyType, wireType))
                    yield return field.Name + "." + sub;
            }
        }
    }

    /// <summary>A copy of <paramref name="record"/> with the field at <paramref name="path"/> set (records are immutable).</summary>
    internal static object WithField(object record, string path, object? value)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? path : path[..dot];
        var property = WireGen.Fields(record.GetType()).Single(f => f.Field.Name == name).Property;
        var copy = record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;
        property.SetValue(copy, dot < 0 ? WireGen.AsPropertyValue(property.PropertyType, value) : WithField(property.GetValue(record)!, path[(dot + 1)..], value));
        return copy;
    }
}
