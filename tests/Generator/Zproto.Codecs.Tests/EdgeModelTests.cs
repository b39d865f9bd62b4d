using System;
using System.Linq;
using Xunit;
using Zproto.Codecs.Tests.Protocols;
using Zproto.Wire;
using static Zproto.Wire.DecodeErrorKind;

namespace Zproto.Codecs.Tests;

/// <summary>
/// Byte-level checks of the codec paths only the test models (Models/codec_edges.xml,
/// Models/codec_pubsub.xml) reach: signed integers, booleans, enums, lists, bit fields inside a
/// message, a longstr constant, a rest-of-frame chunk, frame fields without a trailing msg, and the
/// pub-sub layout. The generic property and robustness tests cover these models as well.
/// </summary>
public class EdgeModelTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void Signed_integers_are_twos_complement_big_endian_and_enums_their_number()
    {
        var signed = new CodecEdges.Signed
        {
            Serial = 0x01020304, Tiny = -1, Small = short.MinValue, Medium = -2, Large = long.MinValue,
            Valid = true, Level = CodecEdges.Level.Error, Port = CodecEdges.Port.High,
        };
        var frame = CodecEdges.EncodeFrames(signed).Single();
        Assert.Equal("aaa501" + "01020304" + "ff" + "8000" + "fffffffe" + "8000000000000000" + "fffe" + "01" + "c8" + "ffff", Convert.ToHexStringLower(frame.Span));
        Assert.True(CodecEdges.TryDecode(frame.Span, out var decoded, out var error), error.ToString());
        Assert.Equal(signed, decoded);
    }

    [Fact]
    public void Boolean_other_than_0_or_1_and_undeclared_enum_values_are_InvalidValue()
    {
        var frame = CodecEdges.EncodeFrames(new CodecEdges.Signed()).Single().ToArray();
        frame[24] = 2; // valid
        Assert.False(CodecEdges.TryDecode(frame, out _, out var error));
        Assert.Equal(new DecodeError(InvalidValue, "valid", 0, 24, 2), error);
        frame[24] = 1;
        frame[25] = 3; // level: 1, 2 or 200
        Assert.False(CodecEdges.TryDecode(frame, out _, out error));
        Assert.Equal(new DecodeError(InvalidValue, "level", 0, 25, 3), error);
        frame[25] = 200;
        frame[27] = 1; // port 0x0001: 0 or 65535
        Assert.False(CodecEdges.TryDecode(frame, out _, out error));
        Assert.Equal(new DecodeError(InvalidValue, "port", 0, 26, 1), error);
        frame[22] = 0; // the integer constant -2 (FF FE) now reads 0x00FE = 254
        frame[27] = 0;
        Assert.False(CodecEdges.TryDecode(frame, out _, out error));
        Assert.Equal(new DecodeError(ConstantMismatch, "offset", 0, 22, 254), error);
    }

    [Fact]
    public void An_undeclared_enum_value_is_an_EncodeException_as_field_in_a_bit_field_or_in_a_list()
    {
        // The decoder rejects what the model does not declare, so the encoder must not write it.
        var codec = BinaryCodecs.Get("codec_edges");
        RoundTripPropertyTests.AssertEncodeFails(codec, new CodecEdges.Signed { Level = (CodecEdges.Level)3 }, "level");
        RoundTripPropertyTests.AssertEncodeFails(codec, new CodecEdges.Signed { Port = (CodecEdges.Port)1 }, "port");
        RoundTripPropertyTests.AssertEncodeFails(codec, new CodecEdges.Bits { Severity = 0 }, "severity");
        RoundTripPropertyTests.AssertEncodeFails(codec, new CodecEdges.Lists { Levels = [CodecEdges.Level.Info, (CodecEdges.Level)7] }, "levels");
        // A string over 255 octets inside a composite list item is refused the same way.
        RoundTripPropertyTests.AssertEncodeFails(codec, new CodecEdges.Lists { Path = [new CodecEdges.Point { Label = new string('\u20ac', 86) }] }, "path.label");
    }

    [Fact]
    public void Bit_fields_in_a_message_pack_most_significant_first_and_check_their_ranges()
    {
        var bits = new CodecEdges.Bits
        {
            Serial = 1, Mode = 5, Urgent = true, Delta = -3, Severity = CodecEdges.Level.Warning, Wide = 0xABC, Skew = -2,
            Tail = new byte[] { 0xDE, 0xAD },
        };
        var frame = CodecEdges.EncodeFrames(bits).Single();
        // mode 101, urgent 1, delta 1101 = 0xBD; severity 02; wide ABC then skew FFFFE (20 bits) = ABCFFFFE;
        // magic longstr "edge"; tail runs to the end.
        Assert.Equal("aaa503" + "00000001" + "bd" + "02" + "abcffffe" + "00000004" + Convert.ToHexStringLower("edge"u8) + "dead", Convert.ToHexStringLower(frame.Span));
        Assert.True(CodecEdges.TryDecode(frame.Span, out var decoded, out var error), error.ToString());
        Assert.Equal(bits, decoded);

        var codec = BinaryCodecs.Get("codec_edges");
        RoundTripPropertyTests.AssertEncodeFails(codec, bits with { Mode = 8 }, "mode");
        RoundTripPropertyTests.AssertEncodeFails(codec, bits with { Delta = 8 }, "delta");
        RoundTripPropertyTests.AssertEncodeFails(codec, bits with { Delta = -9 }, "delta");
        RoundTripPropertyTests.AssertEncodeFails(codec, bits with { Wide = 0x1000 }, "wide");
        RoundTripPropertyTests.AssertEncodeFails(codec, bits with { Skew = 1 << 19 }, "skew");
        RoundTripPropertyTests.AssertRoundTrip(codec, bits with { Delta = -8, Skew = -(1 << 19) });
        RoundTripPropertyTests.AssertRoundTrip(codec, bits with { Delta = 7, Skew = (1 << 19) - 1, Mode = 7, Wide = 0xFFF });
    }

    [Fact]
    public void A_longstr_constant_mismatch_points_at_its_length()
    {
        var frame = CodecEdges.EncodeFrames(new CodecEdges.Bits()).Single().ToArray();
        frame[^1] = (byte)'g'; // "edgg" (no tail)
        Assert.False(CodecEdges.TryDecode(frame, out _, out var error));
        Assert.Equal(new DecodeError(ConstantMismatch, "magic", 0, 13), error);
    }

    [Fact]
    public void Lists_of_every_item_kind_round_trip_and_compare_by_content()
    {
        var lists = new CodecEdges.Lists
        {
            Names = ["a", "\u00e9"],
            Texts = [""],
            Blobs = [new byte[] { 1, 2 }, ReadOnlyMemory<byte>.Empty],
            Ids = [Guid.Parse("00112233-4455-6677-8899-aabbccddeeff")],
            Flags = [true, false],
            Maps = [ZprotoHash.Create(("k", "v")), ZprotoHash.Empty],
            Groups = [["x", "y"], []],
            Levels = [CodecEdges.Level.Error],
            Path = [new CodecEdges.Point { X = -1, Y = 2, Label = "p" }],
        };
        RoundTripPropertyTests.AssertRoundTrip(BinaryCodecs.Get("codec_edges"), lists);
        // Content, not reference, equality all the way down (a list of strings lists, of chunks).
        Assert.Equal(lists, lists with { Groups = [["x", "y"], []], Blobs = [new byte[] { 1, 2 }, Array.Empty<byte>()] });
        Assert.NotEqual(lists, lists with { Groups = [["x", "z"], []] });
        Assert.NotEqual(lists, lists with { Blobs = [new byte[] { 1, 3 }, Array.Empty<byte>()] });
    }

    [Fact]
    public void A_list_count_larger_than_the_frame_could_hold_is_Truncated_before_allocating()
    {
        // LISTS: AA A5 02 | serial@3 | names@7: count 0x7FFFFFFF with nothing after it.
        Assert.False(CodecEdges.TryDecode(Hex("aaa502 00000000 7fffffff"), out _, out var error));
        Assert.Equal(new DecodeError(Truncated, "names", 0, 7, 0x7FFFFFFF), error);
        // ids: count 2 (16 octets each) with only 16 octets left.
        Assert.False(CodecEdges.TryDecode(Hex("aaa502 00000000 00000000 00000000 00000000 00000002" + new string('0', 32)), out _, out error));
        Assert.Equal(new DecodeError(Truncated, "ids", 0, 19, 2), error);
    }

    [Fact]
    public void Frame_fields_without_a_trailing_msg_reject_extra_frames_and_report_missing_ones()
    {
        var routed = new CodecEdges.Routed { Origin = new CodecEdges.Point { Label = "o" }, First = new byte[] { 1 }, Second = new byte[] { 2 } };
        var frames = CodecEdges.EncodeFrames(routed);
        Assert.Equal(3, frames.Length);
        RoundTripPropertyTests.AssertRoundTrip(BinaryCodecs.Get("codec_edges"), routed);

        Assert.False(CodecEdges.TryDecode([.. frames, new byte[] { 3 }], out var message, out var error));
        Assert.Null(message);
        Assert.Equal(new DecodeError(TrailingFrames, "ROUTED", 3, 0, 1), error);
        Assert.False(CodecEdges.TryDecode(frames[..2], out _, out error));
        Assert.Equal(new DecodeError(MissingFrame, "second", 2, 0), error);
        Assert.False(CodecEdges.TryDecode(frames[0].Span, out _, out error));
        Assert.Equal(new DecodeError(MissingFrame, "first", 1, 0), error);
    }

    // ---- pub-sub ------------------------------------------------------------------------------------

    [Fact]
    public void Pubsub_frame_0_is_the_id_the_topic_a_NUL_then_the_fields()
    {
        var news = new CodecPubsub.News { Topic = "sport", Headline = "goal", Body = [new byte[] { 9 }] };
        var frames = CodecPubsub.EncodeFrames(news);
        Assert.Equal("07" + Convert.ToHexStringLower("sport"u8) + "00" + "04" + Convert.ToHexStringLower("goal"u8), Convert.ToHexStringLower(frames[0].Span));
        Assert.Equal(2, frames.Length);
        Assert.True(CodecPubsub.TryDecode(frames, out var decoded, out var error), error.ToString());
        Assert.Equal(news, decoded);
        Assert.NotEqual<CodecPubsub.Message>(news, news with { Topic = "sports" });

        var tick = new CodecPubsub.Tick { Price = 1 };
        Assert.Equal("08" + "00" + "0000000000000001", Convert.ToHexStringLower(CodecPubsub.EncodeFrames(tick)[0].Span));
    }

    [Fact]
    public void Pubsub_topic_holding_NUL_is_an_EncodeException_and_a_topic_without_terminator_is_Truncated()
    {
        var codec = BinaryCodecs.Get("codec_pubsub");
        RoundTripPropertyTests.AssertEncodeFails(codec, new CodecPubsub.Tick { Topic = "a\0b" }, "topic");
        Assert.False(CodecPubsub.TryDecode(Hex("08 616263"), out _, out var error));
        Assert.Equal(new DecodeError(Truncated, "topic", 0, 1), error);
        Assert.False(CodecPubsub.TryDecode(Hex("08 ff 00 0000000000000001"), out _, out error));
        Assert.Equal(new DecodeError(InvalidUtf8, "topic", 0, 1), error);
        Assert.False(CodecPubsub.TryDecode(Hex("09 00"), out _, out error));
        Assert.Equal(new DecodeError(UnknownMessageId, "id", 0, 0, 9), error);
    }
}
