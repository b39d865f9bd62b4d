using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;
using Zproto.Cli.Json;
using Zproto.Wire;
using static Zproto.Wire.DecodeErrorKind;

namespace Zproto.Codecs.Tests;

/// <summary>
/// Every case of the malformed-input vectors (P.invalid.json, and the 2014 codec's verdicts in
/// P.invalid.2014codec.json), asserting what OUR codecs do: the error kind, the field, the frame and
/// the octet offset where the failing element starts (for a length or count past the end: the
/// length or count itself), and the offending value where there is one.
///
/// Where the current C codec (zproto HEAD) differs, the expectation says so in its comment:
/// - C accepts every truncation (rc 0 plus a warning: a regression since 2016); we reject them, as the 2014 codec did.
/// - C accepts trailing octets and extra frames; we reject them (TrailingBytes, TrailingFrames).
/// - C accepts invalid UTF-8 as a C string; we reject it (InvalidUtf8).
/// - C accepts a duplicate hash key (the first value wins); we reject it (InvalidValue).
/// Bad signature, unknown id and constant mismatch are rejected, as in C.
/// </summary>
public class InvalidVectorTests
{
    /// <summary>What our codec must do with a case: accept it, or fail with exactly this error.</summary>
    public sealed record Expected(DecodeErrorKind? Kind, string Field = "", int Frame = 0, int Offset = 0, long Value = -1)
    {
        public static readonly Expected Accept = new((DecodeErrorKind?)null);
    }

    private static Expected Fail(DecodeErrorKind kind, string field, int offset, long value = -1, int frame = 0) => new(kind, field, frame, offset, value);

    // LOG frame 0: AA A0 01 | sequence@3 | version@5 | level@7 | event@8 | node@9 | peer@11 | time@13 | host@21 | data@22 (when host is empty)
    // STRUCTURES: sequence@3 | aliases@5 | headers@9 (aliases empty).  BINARY: sequence@3 | flags@5 | public key@9 | identifier@13.
    private static readonly Dictionary<(string Protocol, string Case), Expected> s_expected = new()
    {
        // ---- zproto_example ----------------------------------------------------------------------
        [("zproto_example", "valid baseline: LOG with zero/empty fields")] = Expected.Accept,
        [("zproto_example", "bad signature (second byte 0xA0|sig+1)")] = Fail(BadSignature, "signature", 0, 0xAAA1), // as C
        [("zproto_example", "bad signature (first byte 0xAB)")] = Fail(BadSignature, "signature", 0, 0xABA0), // as C
        [("zproto_example", "signature only, no id (2 bytes)")] = Fail(Truncated, "id", 2), // C HEAD: rc 0, message "?"
        [("zproto_example", "1-byte frame")] = Fail(Truncated, "signature", 0), // C HEAD: rc 0
        [("zproto_example", "empty first frame (0 bytes)")] = Fail(Truncated, "signature", 0), // C HEAD: rc 0
        [("zproto_example", "unknown message id 0")] = Fail(UnknownMessageId, "id", 2, 0), // as C
        [("zproto_example", "unknown message id 5")] = Fail(UnknownMessageId, "id", 2, 5), // as C
        [("zproto_example", "unknown message id 255")] = Fail(UnknownMessageId, "id", 2, 255), // as C
        [("zproto_example", "trailing garbage byte after LOG")] = Fail(TrailingBytes, "LOG", 26, 1), // C accepts and ignores the octet
        [("zproto_example", "extra (unexpected) 2nd frame after LOG")] = Fail(TrailingFrames, "LOG", 0, 1, frame: 1), // C accepts, leaves the frame unread
        [("zproto_example", "truncated LOG: last byte of first frame cut")] = Fail(Truncated, "data", 22), // C HEAD: rc 0
        [("zproto_example", "LOG: constant field version = 4 (model value 3)")] = Fail(ConstantMismatch, "version", 5, 4), // as C
        [("zproto_example", "LOG: string host length 200 but 5 bytes follow")] = Fail(Truncated, "host", 21, 200), // C HEAD: rc 0
        [("zproto_example", "LOG: string host = invalid UTF-8 ff fe 00 (with NUL)")] = Fail(InvalidUtf8, "host", 21), // C accepts it as a C string ("\xff\xfe")
        [("zproto_example", "LOG: longstr data length 0x00010000 but 3 bytes follow")] = Fail(Truncated, "data", 22, 0x10000), // C HEAD: rc 0
        [("zproto_example", "LOG: longstr data length 0xFFFFFFFF")] = Fail(Truncated, "data", 22, 0xFFFFFFFF), // C HEAD: rc 0
        [("zproto_example", "STRUCTURES: strings aliases count 2 but only 1 item")] = Fail(Truncated, "aliases", 5, 2), // count > remaining/4: rejected before allocating; C HEAD: rc 0
        [("zproto_example", "STRUCTURES: strings aliases count 0xFFFFFFFF, no items")] = Fail(Truncated, "aliases", 5, 0xFFFFFFFF), // nothing allocated; C HEAD: rc 0
        [("zproto_example", "STRUCTURES: strings aliases item length past end")] = Fail(Truncated, "aliases", 9, 0x100), // the item's length; C HEAD: rc 0
        [("zproto_example", "STRUCTURES: hash headers count 1 but key length past end")] = Fail(Truncated, "headers", 9, 1), // 3 octets left cannot hold one entry (≥ 5), so the count fails first; C HEAD: rc 0
        [("zproto_example", "STRUCTURES: hash headers count 2 but only 1 entry")] = Fail(Truncated, "headers", 9, 2), // 8 octets left cannot hold two entries; C HEAD: rc 0
        [("zproto_example", "STRUCTURES: hash headers duplicate key k=1,k=2 (then rest of message)")] = Fail(InvalidValue, "headers", 20), // at the second entry; C accepts, first value wins
        [("zproto_example", "BINARY: chunk public_key length 100 but 2 bytes follow")] = Fail(Truncated, "public key", 9, 100), // as C (rejected)
        [("zproto_example", "BINARY: uuid field identifier cut short (8 of 16 bytes)")] = Fail(Truncated, "identifier", 13), // as C (rejected)
        [("zproto_example", "BINARY: frame field address missing (no frame after the first)")] = Fail(MissingFrame, "address", 0, frame: 1), // as C (rejected)
        [("zproto_example", "BINARY: msg field content absent (no frames after frame fields)")] = Expected.Accept, // content = [], as C
        [("zproto_example", "truncated TYPES: last byte of first frame cut")] = Fail(Truncated, "supplier.email", 12), // C HEAD: rc 0

        // ---- zpipes_msg: INPUT is AA A0 01 | pipename@3 ------------------------------------------
        [("zpipes_msg", "valid baseline: input with zero/empty fields")] = Expected.Accept,
        [("zpipes_msg", "bad signature (second byte 0xA0|sig+1)")] = Fail(BadSignature, "signature", 0, 0xAAA1), // as C
        [("zpipes_msg", "bad signature (first byte 0xAB)")] = Fail(BadSignature, "signature", 0, 0xABA0), // as C
        [("zpipes_msg", "signature only, no id (2 bytes)")] = Fail(Truncated, "id", 2), // C HEAD: rc 0; 2014: rejected
        [("zpipes_msg", "1-byte frame")] = Fail(Truncated, "signature", 0), // C HEAD: rc 0; 2014: rejected
        [("zpipes_msg", "empty first frame (0 bytes)")] = Fail(Truncated, "signature", 0), // C HEAD: rc 0; 2014: rejected
        [("zpipes_msg", "unknown message id 0")] = Fail(UnknownMessageId, "id", 2, 0), // as C
        [("zpipes_msg", "unknown message id 22")] = Fail(UnknownMessageId, "id", 2, 22), // as C
        [("zpipes_msg", "unknown message id 255")] = Fail(UnknownMessageId, "id", 2, 255), // as C
        [("zpipes_msg", "trailing garbage byte after input")] = Fail(TrailingBytes, "input", 4, 1), // C (both) accepts
        [("zpipes_msg", "extra (unexpected) 2nd frame after input")] = Fail(TrailingFrames, "input", 0, 1, frame: 1), // C (both) accepts
        [("zpipes_msg", "truncated input: last byte of first frame cut")] = Fail(Truncated, "pipename", 3), // C HEAD: rc 0; 2014: rejected
        [("zpipes_msg", "input: string pipename length 200 but 5 bytes follow")] = Fail(Truncated, "pipename", 3, 200), // C HEAD: rc 0; 2014: rejected
        [("zpipes_msg", "input: string pipename = invalid UTF-8 ff fe 00 (with NUL)")] = Fail(InvalidUtf8, "pipename", 3), // C (both) accepts a C string
        [("zpipes_msg", "read ok: chunk chunk length 100 but 2 bytes follow")] = Fail(Truncated, "chunk", 3, 100), // as C

        // ---- zccp_msg: HELLO is AA AA 01 | identifier@3 | headers@4 (identifier empty) -------------
        [("zccp_msg", "valid baseline: HELLO with zero/empty fields")] = Expected.Accept,
        [("zccp_msg", "bad signature (second byte 0xA0|sig+1)")] = Fail(BadSignature, "signature", 0, 0xAAAB), // as C
        [("zccp_msg", "bad signature (first byte 0xAB)")] = Fail(BadSignature, "signature", 0, 0xABAA), // as C
        [("zccp_msg", "signature only, no id (2 bytes)")] = Fail(Truncated, "id", 2), // C HEAD: rc 0; 2014: rejected
        [("zccp_msg", "1-byte frame")] = Fail(Truncated, "signature", 0), // C HEAD: rc 0; 2014: rejected
        [("zccp_msg", "empty first frame (0 bytes)")] = Fail(Truncated, "signature", 0), // C HEAD: rc 0; 2014: rejected
        [("zccp_msg", "unknown message id 0")] = Fail(UnknownMessageId, "id", 2, 0), // as C
        [("zccp_msg", "unknown message id 13")] = Fail(UnknownMessageId, "id", 2, 13), // as C
        [("zccp_msg", "unknown message id 255")] = Fail(UnknownMessageId, "id", 2, 255), // as C
        [("zccp_msg", "trailing garbage byte after HELLO")] = Fail(TrailingBytes, "HELLO", 8, 1), // C (both) accepts
        [("zccp_msg", "extra (unexpected) 2nd frame after HELLO")] = Fail(TrailingFrames, "HELLO", 0, 1, frame: 1), // C (both) accepts
        [("zccp_msg", "truncated HELLO: last byte of first frame cut")] = Fail(Truncated, "headers", 4), // C HEAD: rc 0; 2014: rejected
        [("zccp_msg", "HELLO: string identifier length 200 but 5 bytes follow")] = Fail(Truncated, "identifier", 3, 200), // C HEAD: rc 0; 2014: rejected
        [("zccp_msg", "HELLO: string identifier = invalid UTF-8 ff fe 00 (with NUL)")] = Fail(InvalidUtf8, "identifier", 3), // C (both) accepts a C string
        [("zccp_msg", "HELLO: hash headers count 1 but key length past end")] = Fail(Truncated, "headers", 4, 1), // 3 octets cannot hold an entry; C HEAD: rc 0; 2014: rejected
        [("zccp_msg", "HELLO: hash headers count 2 but only 1 entry")] = Fail(Truncated, "headers", 4, 2), // C HEAD: rc 0; 2014: rejected
        [("zccp_msg", "HELLO: hash headers duplicate key k=1,k=2 (then rest of message)")] = Fail(InvalidValue, "headers", 15), // at the second entry; C (both) accepts
        [("zccp_msg", "PUBLISH: msg field content absent (no frames after frame fields)")] = Expected.Accept, // content = [], as C
    };

    /// <summary>Cases the 2014 codec accepted that we reject by decision (see the class comment).</summary>
    private static readonly HashSet<string> s_stricterThan2014 =
    [
        "trailing garbage byte after input", "extra (unexpected) 2nd frame after input", "input: string pipename = invalid UTF-8 ff fe 00 (with NUL)",
        "trailing garbage byte after HELLO", "extra (unexpected) 2nd frame after HELLO", "HELLO: string identifier = invalid UTF-8 ff fe 00 (with NUL)",
        "HELLO: hash headers duplicate key k=1,k=2 (then rest of message)",
    ];

    private static readonly string[] s_protocols = ["zproto_example", "zpipes_msg", "zccp_msg"];

    private static JsonArray Load(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Vectors, file)))!.AsArray();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var protocol in s_protocols)
        {
            foreach (var c in Load(protocol + ".invalid.json"))
                data.Add(protocol, (string)c!["case"]!);
        }
        return data;
    }

    public static TheoryData<string, string> Cases2014()
    {
        var data = new TheoryData<string, string>();
        foreach (var protocol in new[] { "zpipes_msg", "zccp_msg" })
        {
            foreach (var c in Load(protocol + ".invalid.2014codec.json"))
                data.Add(protocol, (string)c!["case"]!);
        }
        return data;
    }

    private static ReadOnlyMemory<byte>[] FramesOf(JsonNode vector) =>
        vector["frames"]!.AsArray().Select(f => (ReadOnlyMemory<byte>)Convert.FromHexString((string)f!)).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_vector_is_decoded_as_decided(string protocol, string name)
    {
        var vector = Load(protocol + ".invalid.json").Single(c => (string)c!["case"]! == name)!;
        Assert.True(s_expected.TryGetValue((protocol, name), out var expected), $"no expectation for new case '{name}': decide and add it");
        AssertDecodes(protocol, vector, expected!);
    }

    [Theory]
    [MemberData(nameof(Cases2014))]
    public void The_2014_codec_verdicts_are_matched_or_deliberately_stricter(string protocol, string name)
    {
        var vector = Load(protocol + ".invalid.2014codec.json").Single(c => (string)c!["case"]! == name)!;
        var head = Load(protocol + ".invalid.json").Single(c => (string)c!["case"]! == name)!;
        Frames.Equal(FramesOf(head), FramesOf(vector)); // the same input as the HEAD codec's case
        var expected = s_expected[(protocol, name)];
        AssertDecodes(protocol, head, expected);
        var verdict2014 = (string)vector["result_2014_codec"]!;
        if (verdict2014 == "rejected")
            Assert.NotNull(expected.Kind); // everything the 2014 codec rejected, we reject
        else if (expected.Kind is not null)
            Assert.Contains(name, s_stricterThan2014); // and where it accepted, rejecting is a documented decision
    }

    [Fact]
    public void Every_expectation_matches_a_vector_case()
    {
        var cases = s_protocols.SelectMany(p => Load(p + ".invalid.json").Select(c => (p, (string)c!["case"]!))).ToHashSet();
        foreach (var key in s_expected.Keys)
            Assert.Contains(key, cases);
        Assert.Equal(61, cases.Count);
    }

    [Fact]
    public void Decode_rejects_string_length_past_end_of_frame_at_the_length_octet()
    {
        Assert.False(BinaryCodecs.ZpipesMsg.TryDecode(Convert.FromHexString("aaa001c86162636465"), out _, out var error));
        Assert.Equal(new DecodeError(Truncated, "pipename", 0, 3, 200), error);
        Assert.Contains("pipename", error.Message, StringComparison.Ordinal);
        Assert.Contains("offset 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_rejects_an_empty_frame_list_as_a_missing_header_frame()
    {
        foreach (var codec in BinaryCodecs.All)
        {
            Assert.False(codec.TryDecode(Array.Empty<ReadOnlyMemory<byte>>(), out var message, out var error));
            Assert.Null(message);
            Assert.Equal(MissingFrame, error.Kind);
        }
    }

    [Fact]
    public void Decode_reports_a_string_constant_mismatch_at_the_start_of_the_string()
    {
        // zp CONNECTION-OPEN: AA AA 01 | protocol@3 = "MALAMUTE" | version@12 | client_id@14
        var frame = Convert.FromHexString("aaaa01" + "08" + Convert.ToHexString("MALAMUTX"u8) + "0001" + "00");
        Assert.False(BinaryCodecs.ZpMsg.TryDecode(frame, out _, out var error));
        Assert.Equal(new DecodeError(ConstantMismatch, "protocol", 0, 3), error);
        // Octets that are not UTF-8 are reported as such, as a decoder that transcoded the string would.
        var invalid = Convert.FromHexString("aaaa01" + "08" + "4d414c414d5554c3" + "0001" + "00");
        Assert.False(BinaryCodecs.ZpMsg.TryDecode(invalid, out _, out error));
        Assert.Equal(new DecodeError(InvalidUtf8, "protocol", 0, 3), error);
        // A string constant cut short is a truncation, not a mismatch.
        Assert.False(BinaryCodecs.ZpMsg.TryDecode(frame.AsSpan(0, 8), out _, out error));
        Assert.Equal(new DecodeError(Truncated, "protocol", 0, 3, 8), error);
        // And the genuine article decodes; its number constant is checked next.
        var good = Convert.FromHexString("aaaa01" + "08" + Convert.ToHexString("MALAMUTE"u8) + "0002" + "00");
        Assert.False(BinaryCodecs.ZpMsg.TryDecode(good, out _, out error));
        Assert.Equal(new DecodeError(ConstantMismatch, "version", 0, 12, 2), error);
    }

    private static void AssertDecodes(string protocol, JsonNode vector, Expected expected)
    {
        var codec = BinaryCodecs.Get(protocol);
        var frames = FramesOf(vector);
        var ok = codec.TryDecode(frames, out var message, out var error);
        if (expected.Kind is null)
        {
            Assert.True(ok, error.ToString());
            Assert.Equal(FieldNames.Key((string)vector["decoded_message"]!), FieldNames.Key(MessageJson.MessageName(message!)));
            JsonAssert.EqualFields(vector["decoded_fields"]!.AsObject(), MessageJson.ToJson(message!));
            Frames.Equal(frames, codec.EncodeFrames(message!)); // and it is the canonical encoding
        }
        else
        {
            Assert.False(ok, $"accepted as {message}");
            Assert.Null(message);
            Assert.Equal(new DecodeError(expected.Kind.Value, expected.Field, expected.Frame, expected.Offset, expected.Value), error);
        }

        // The span overload sees frame 0 alone: for one-frame cases it must agree exactly.
        if (frames.Length == 1)
        {
            var spanOk = codec.TryDecode(frames[0].Span, out var fromSpan, out var spanError);
            Assert.Equal(ok, spanOk);
            Assert.Equal(error, spanError);
            Assert.Equal(message, fromSpan);
        }
    }
}
