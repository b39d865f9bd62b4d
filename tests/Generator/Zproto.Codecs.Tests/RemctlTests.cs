using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Zproto.Codecs.Tests.Protocols;
using Zproto.Wire;
using static Zproto.Wire.DecodeErrorKind;
using Reply = Zproto.Codecs.Tests.Protocols.RemctlMsg.Reply;
using Request = Zproto.Codecs.Tests.Protocols.RemctlMsg.Request;

namespace Zproto.Codecs.Tests;

/// <summary>
/// The remctl ZeroMQ backend codec (systems.md §2.3–2.5, §2.9, §2.11): the seed exchange, short
/// forms, the "E" ambiguity, literal tags inside data, malformed replies and requests, limits, and
/// random round trips in both tag styles.
/// </summary>
public class RemctlTests
{
    private const string SeedRequest =
        "ARGUMENT|3|foo|bar|baz|ENVIRONMENT|4|REMOTE_USER|kula@TPROA.NET|REMOTE_ADDR|204.11.35.93|REMOTE_HOST|keymaster.tproa.net|REMCTL_COMMAND|test";

    private const string SeedReply =
        "OUTPUT|1|Here is some sample output\n|OUTPUT|2|Error output\n|OUTPUT|2|More err\n|OUTPUT|1|Another line\n|RETURNCODE|23";

    private static Request.EnvironmentItem Env(string name, string value) => new() { Name = name, Value = value };

    private static Reply.OutputItem Out(long stream, string data) => new() { Stream = stream, Data = Encoding.UTF8.GetBytes(data) };

    private static Request DecodeRequest(string text)
    {
        Assert.True(RemctlMsg.TryDecodeRequest(Frames.FromText(text), out var request, out var error), error.ToString());
        return request;
    }

    private static Reply DecodeReply(string text)
    {
        Assert.True(RemctlMsg.TryDecodeReply(Frames.FromText(text), out var reply, out var error), error.ToString());
        return reply;
    }

    private static void AssertEncodes(string expected, Request request, RemctlMsg.TagStyle style) =>
        Frames.Equal(Frames.FromText(expected), RemctlMsg.EncodeFrames(request, style));

    private static void AssertEncodes(string expected, Reply reply, RemctlMsg.TagStyle style) =>
        Frames.Equal(Frames.FromText(expected), RemctlMsg.EncodeFrames(reply, style));

    // ---- §2.9 seed exchange (RC-01, RC-02) -------------------------------------------------------

    [Fact]
    public void Seed_request_of_15_frames_decodes_to_three_arguments_and_the_environment_in_order()
    {
        Assert.Equal(15, Frames.FromText(SeedRequest).Length);
        var request = DecodeRequest(SeedRequest);
        Assert.Equal(["foo", "bar", "baz"], request.Arguments.Select(a => Encoding.UTF8.GetString(a.Span)));
        Assert.Equal(
            [Env("REMOTE_USER", "kula@TPROA.NET"), Env("REMOTE_ADDR", "204.11.35.93"), Env("REMOTE_HOST", "keymaster.tproa.net"), Env("REMCTL_COMMAND", "test")],
            request.Environment);
    }

    [Fact]
    public void Seed_request_encodes_to_exactly_the_15_seed_frames_in_long_form()
    {
        var request = new Request
        {
            Arguments = [Frames.Ascii("foo"), Frames.Ascii("bar"), Frames.Ascii("baz")],
            Environment = [Env("REMOTE_USER", "kula@TPROA.NET"), Env("REMOTE_ADDR", "204.11.35.93"), Env("REMOTE_HOST", "keymaster.tproa.net"), Env("REMCTL_COMMAND", "test")],
        };
        AssertEncodes(SeedRequest, request, RemctlMsg.TagStyle.Long);
        Assert.Equal(request, DecodeRequest(SeedRequest));
    }

    [Fact]
    public void Seed_reply_of_14_frames_decodes_to_four_outputs_and_return_code_23()
    {
        Assert.Equal(14, Frames.FromText(SeedReply).Length);
        var reply = DecodeReply(SeedReply);
        Assert.Equal([Out(1, "Here is some sample output\n"), Out(2, "Error output\n"), Out(2, "More err\n"), Out(1, "Another line\n")], reply.Output);
        Assert.Equal(new Reply.ReturnCode { Code = 23 }, reply.Status);
        // What the client prints (RC-02): stdout and stderr in write order.
        Assert.Equal("Here is some sample output\nAnother line\n", string.Concat(reply.Output.Where(o => o.Stream == 1).Select(o => Encoding.UTF8.GetString(o.Data.Span))));
        Assert.Equal("Error output\nMore err\n", string.Concat(reply.Output.Where(o => o.Stream == 2).Select(o => Encoding.UTF8.GetString(o.Data.Span))));
    }

    [Fact]
    public void Seed_reply_encodes_to_exactly_the_14_seed_frames_in_long_form()
    {
        var reply = new Reply
        {
            Output = [Out(1, "Here is some sample output\n"), Out(2, "Error output\n"), Out(2, "More err\n"), Out(1, "Another line\n")],
            Status = new Reply.ReturnCode { Code = 23 },
        };
        AssertEncodes(SeedReply, reply, RemctlMsg.TagStyle.Long);
        Assert.Equal(reply, DecodeReply(SeedReply));
    }

    // ---- RC-03 short forms -------------------------------------------------------------------------

    [Fact]
    public void Short_form_request_decodes_like_the_long_form_and_encodes_back_exactly()
    {
        var request = DecodeRequest("A|1|foo|E|1|REMCTL_COMMAND|test");
        Assert.Equal(DecodeRequest("ARGUMENT|1|foo|ENVIRONMENT|1|REMCTL_COMMAND|test"), request);
        Assert.Equal([Env("REMCTL_COMMAND", "test")], request.Environment);
        AssertEncodes("A|1|foo|E|1|REMCTL_COMMAND|test", request, RemctlMsg.TagStyle.Short);
        AssertEncodes("ARGUMENT|1|foo|ENVIRONMENT|1|REMCTL_COMMAND|test", request, RemctlMsg.TagStyle.Long);
    }

    [Fact]
    public void Short_form_reply_decodes_to_stdout_and_exit_status_and_encodes_back_exactly()
    {
        var reply = DecodeReply("O|1|hi\n|R|0");
        Assert.Equal([Out(1, "hi\n")], reply.Output);
        Assert.Equal(new Reply.ReturnCode { Code = 0 }, reply.Status);
        AssertEncodes("O|1|hi\n|R|0", reply, RemctlMsg.TagStyle.Short);
        AssertEncodes("OUTPUT|1|hi\n|RETURNCODE|0", reply, RemctlMsg.TagStyle.Long);
    }

    [Fact]
    public void Long_and_short_tags_mix_within_one_message()
    {
        var expected = new Request { Arguments = [Frames.Ascii("x")], Environment = [Env("K", "V")] };
        Assert.Equal(expected, DecodeRequest("ARGUMENT|1|x|E|1|K|V"));
        Assert.Equal(expected, DecodeRequest("A|1|x|ENVIRONMENT|1|K|V"));
        var reply = new Reply { Output = [Out(1, "a"), Out(2, "b"), Out(1, "c")], Status = new Reply.ErrorCode { Code = 3 } };
        Assert.Equal(reply, DecodeReply("OUTPUT|1|a|O|2|b|OUTPUT|1|c|E|3"));
        Assert.Equal(reply, DecodeReply("O|1|a|OUTPUT|2|b|O|1|c|ERRORCODE|3"));
    }

    // ---- RC-04 / RC-05: "E" is direction-aware and parsing is positional ---------------------------

    [Fact]
    public void E_in_a_reply_is_ERRORCODE()
    {
        var reply = DecodeReply("E|6");
        Assert.Empty(reply.Output);
        Assert.Equal(new Reply.ErrorCode { Code = 6 }, reply.Status);
        AssertEncodes("E|6", reply, RemctlMsg.TagStyle.Short);
        AssertEncodes("ERRORCODE|6", reply, RemctlMsg.TagStyle.Long);
    }

    [Fact]
    public void E_in_a_request_is_ENVIRONMENT_and_an_argument_or_value_spelling_E_is_data()
    {
        var request = DecodeRequest("A|1|E|E|1|X|E");
        Assert.Equal(["E"], request.Arguments.Select(a => Encoding.UTF8.GetString(a.Span)));
        Assert.Equal([Env("X", "E")], request.Environment);
        AssertEncodes("A|1|E|E|1|X|E", request, RemctlMsg.TagStyle.Short);
    }

    [Fact]
    public void Output_data_spelling_a_tag_is_data()
    {
        var reply = DecodeReply("OUTPUT|1|RETURNCODE|OUTPUT|2|E|RETURNCODE|0");
        Assert.Equal([Out(1, "RETURNCODE"), Out(2, "E")], reply.Output);
        Assert.Equal(new Reply.ReturnCode { Code = 0 }, reply.Status);
        AssertEncodes("OUTPUT|1|RETURNCODE|OUTPUT|2|E|RETURNCODE|0", reply, RemctlMsg.TagStyle.Long);
    }

    [Fact]
    public void Each_direction_accepts_only_its_own_tags()
    {
        // The reply parser does not know ARGUMENT; the request parser does not know OUTPUT or RETURNCODE.
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("ARGUMENT|0|ENVIRONMENT|0"), out _, out var error));
        Assert.Equal(new DecodeError(UnexpectedTag, "status", 0, 0), error);
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("OUTPUT|1|x|RETURNCODE|0"), out _, out error));
        Assert.Equal(new DecodeError(UnexpectedTag, "arguments", 0, 0), error);
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("R|0"), out _, out error));
        Assert.Equal(UnexpectedTag, error.Kind);
        // Tags are case-sensitive upper case.
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("argument|0"), out _, out error));
        Assert.Equal(UnexpectedTag, error.Kind);
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("Output|1|x|R|0"), out _, out error));
        Assert.Equal(UnexpectedTag, error.Kind);
    }

    // ---- RC-06 .. RC-10 shapes -----------------------------------------------------------------

    [Fact]
    public void Request_without_subcommand_has_no_arguments_and_a_variable_environment()
    {
        var request = DecodeRequest("ARGUMENT|0|ENVIRONMENT|3|REMOTE_USER|kula@TPROA.NET|REMOTE_ADDR|204.11.35.93|REMCTL_COMMAND|test");
        Assert.Empty(request.Arguments);
        Assert.Equal(["REMOTE_USER", "REMOTE_ADDR", "REMCTL_COMMAND"], request.Environment.Select(e => e.Name));
    }

    [Fact]
    public void Request_without_an_environment_section_has_an_empty_environment()
    {
        // §2.5 rule 4: a missing ENVIRONMENT section means m = 0. The encoder always writes the section,
        // so this is the one request form that re-encodes longer (ENVIRONMENT|0 is appended).
        var request = DecodeRequest("ARGUMENT|1|foo");
        Assert.Empty(request.Environment);
        AssertEncodes("ARGUMENT|1|foo|ENVIRONMENT|0", request, RemctlMsg.TagStyle.Long);
    }

    [Fact]
    public void Error_and_unusual_stream_replies_decode()
    {
        Assert.Equal(new Reply { Status = new Reply.ErrorCode { Code = 5 } }, DecodeReply("ERRORCODE|5")); // RC-07
        Assert.Equal(new Reply { Output = [Out(1, "partial\n")], Status = new Reply.ErrorCode { Code = 1 } }, DecodeReply("O|1|partial\n|E|1")); // RC-08
        Assert.Equal(new Reply { Output = [Out(3, "x")], Status = new Reply.ReturnCode { Code = 0 } }, DecodeReply("O|3|x|R|0")); // RC-10
    }

    [Fact]
    public void Large_output_chunk_of_200000_octets_is_intact()
    {
        var data = WireGen.Fill(200_000, 9);
        var reply = new Reply { Output = [new Reply.OutputItem { Stream = 1, Data = data }], Status = new Reply.ReturnCode() };
        var frames = RemctlMsg.EncodeFrames(reply);
        Assert.Equal(5, frames.Length); // OUTPUT|1|data|RETURNCODE|0
        Assert.True(RemctlMsg.TryDecodeReply(frames, out var decoded, out var error), error.ToString());
        Assert.True(decoded.Output[0].Data.Span.SequenceEqual(data));
    }

    [Fact]
    public void Return_code_256_decodes_to_256_because_masking_is_the_clients_job()
    {
        Assert.Equal(new Reply.ReturnCode { Code = 256 }, DecodeReply("R|256").Status); // RC-14: the client exits 256 & 0xFF = 0
        Assert.Equal(new Reply.ReturnCode { Code = 255 }, DecodeReply("R|255").Status);
        Assert.Equal(new Reply.ReturnCode { Code = -1 }, DecodeReply("RETURNCODE|-1").Status);
        Assert.Equal(new Reply.ReturnCode { Code = long.MaxValue }, DecodeReply("R|9223372036854775807").Status);
        Assert.Equal(new Reply.ReturnCode { Code = long.MinValue }, DecodeReply("R|-9223372036854775808").Status);
    }

    [Fact]
    public void Binary_argument_arrives_byte_for_byte()
    {
        // RC-15: 00 FF 41 in its own frame; also an empty argument and one of all 256 octet values.
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var request = new Request { Arguments = [new byte[] { 0x00, 0xFF, 0x41 }, ReadOnlyMemory<byte>.Empty, all] };
        var frames = RemctlMsg.EncodeFrames(request);
        Assert.True(frames[2].Span.SequenceEqual(new byte[] { 0x00, 0xFF, 0x41 }));
        Assert.True(RemctlMsg.TryDecodeRequest(frames, out var decoded, out var error), error.ToString());
        Assert.Equal(request, decoded);
    }

    [Fact]
    public void Request_with_4096_arguments_round_trips()
    {
        var request = new Request
        {
            Arguments = Enumerable.Range(0, 4096).Select(i => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray(),
            Environment = [Env("REMCTL_COMMAND", "test")],
        };
        var frames = RemctlMsg.EncodeFrames(request);
        Assert.Equal(2 + 4096 + 2 + 2, frames.Length);
        Assert.Equal("4096", Encoding.ASCII.GetString(frames[1].Span));
        Assert.True(RemctlMsg.TryDecodeRequest(frames, out var decoded, out var error), error.ToString());
        Assert.Equal(request, decoded);
        Assert.Equal("4095", Encoding.ASCII.GetString(decoded.Arguments[4095].Span));
    }

    [Fact]
    public void Request_with_null_arguments_still_writes_the_required_section()
    {
        // Arguments is non-nullable, but a null forced past the annotations must not produce a request
        // the decoder rejects: ARGUMENT is required, so it is written with a count of 0.
        var request = new Request { Arguments = null!, Environment = [Env("K", "V")] };
        AssertEncodes("ARGUMENT|0|ENVIRONMENT|1|K|V", request, RemctlMsg.TagStyle.Long);
    }

    // ---- RC-11 / RC-13 malformed ----------------------------------------------------------------

    [Fact]
    public void Reply_without_a_terminator_fails_with_MissingFrame()
    {
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("O|1|x"), out var reply, out var error));
        Assert.Null(reply);
        Assert.Equal(new DecodeError(MissingFrame, "status", 3, 0), error);
        Assert.False(RemctlMsg.TryDecodeReply(Array.Empty<ReadOnlyMemory<byte>>(), out _, out error));
        Assert.Equal(new DecodeError(MissingFrame, "status", 0, 0), error);
    }

    [Fact]
    public void Reply_with_a_non_decimal_code_fails_with_InvalidValue()
    {
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("R|abc"), out _, out var error));
        Assert.Equal(new DecodeError(InvalidValue, "status.code", 1, 0), error);
        // Only the canonical decimal form: no sign '+', no leading zeros, no "-0", no spaces, not empty, not past long.
        foreach (var bad in new[] { "+1", "01", "-0", "-01", " 1", "1 ", "", "-", "1.0", "0x10", "9223372036854775808", "99999999999999999999" })
        {
            Assert.False(RemctlMsg.TryDecodeReply([Frames.Ascii("R"), Frames.Ascii(bad)], out _, out error), $"'{bad}'");
            Assert.Equal(InvalidValue, error.Kind);
        }
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("O|one|x|R|0"), out _, out error));
        Assert.Equal(new DecodeError(InvalidValue, "output.stream", 1, 0), error);
    }

    [Fact]
    public void Reply_with_frames_after_the_terminator_fails_with_TrailingFrames()
    {
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("R|1|O|1|y"), out _, out var error));
        Assert.Equal(new DecodeError(TrailingFrames, "reply", 2, 0, 3), error);
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("R|1|R|2"), out _, out error));
        Assert.Equal(TrailingFrames, error.Kind);
    }

    [Fact]
    public void Output_triple_cut_short_fails_with_Truncated()
    {
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("O|1"), out _, out var error));
        Assert.Equal(new DecodeError(Truncated, "output", 1, 0), error);
        Assert.False(RemctlMsg.TryDecodeReply(Frames.FromText("O|1|x|R"), out _, out error));
        Assert.Equal(new DecodeError(Truncated, "return code", 4, 0), error);
    }

    [Fact]
    public void Request_whose_count_exceeds_the_frames_present_fails_with_Truncated()
    {
        // RC-13: the backend answers ERRORCODE|4 to this, and stays responsive.
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("ARGUMENT|5|a|b"), out var request, out var error));
        Assert.Null(request);
        Assert.Equal(new DecodeError(Truncated, "arguments", 2, 0, 5), error);
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("ARGUMENT|0|ENVIRONMENT|2|A|B|C"), out _, out error));
        Assert.Equal(new DecodeError(Truncated, "environment", 4, 0, 2), error);
        // A huge count is rejected before anything is allocated.
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("A|9223372036854775807|x"), out _, out error));
        Assert.Equal(Truncated, error.Kind);
    }

    [Fact]
    public void Request_with_a_bad_count_or_missing_count_fails()
    {
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("ARGUMENT|-1"), out _, out var error));
        Assert.Equal(new DecodeError(InvalidValue, "arguments count", 1, 0), error);
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("ARGUMENT"), out _, out error));
        Assert.Equal(new DecodeError(MissingFrame, "arguments count", 1, 0), error);
        Assert.False(RemctlMsg.TryDecodeRequest(Array.Empty<ReadOnlyMemory<byte>>(), out _, out error));
        Assert.Equal(new DecodeError(MissingFrame, "arguments", 0, 0), error);
        Assert.False(RemctlMsg.TryDecodeRequest(Frames.FromText("ARGUMENT|0|ENVIRONMENT|0|ENVIRONMENT|0"), out _, out error));
        Assert.Equal(new DecodeError(TrailingFrames, "request", 4, 0, 2), error);
    }

    [Fact]
    public void Request_environment_that_is_not_UTF8_fails_with_InvalidUtf8()
    {
        var frames = Frames.FromText("A|0|E|1|NAME|value");
        frames[5] = new byte[] { 0xC3, 0x28 };
        Assert.False(RemctlMsg.TryDecodeRequest(frames, out _, out var error));
        Assert.Equal(new DecodeError(InvalidUtf8, "environment.value", 5, 0), error);
        frames[4] = new byte[] { 0xFF };
        Assert.False(RemctlMsg.TryDecodeRequest(frames, out _, out error));
        Assert.Equal(new DecodeError(InvalidUtf8, "environment.name", 4, 0), error);
    }

    // ---- random round trips -----------------------------------------------------------------------

    private static readonly string[] s_tagLike = ["E", "R", "O", "A", "ARGUMENT", "ENVIRONMENT", "OUTPUT", "RETURNCODE", "ERRORCODE", "", "0", "1", "-1"];

    private static Gen<ReadOnlyMemory<byte>> Data { get; } = Gen.Frequency(
        (3, Gen.Elements(s_tagLike).Select(s => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(s))),
        (1, Gen.Constant((ReadOnlyMemory<byte>)new byte[] { 0x00, 0xFF })),
        (1, Gen.Constant(ReadOnlyMemory<byte>.Empty)),
        (3, WireGen.Bytes(Gen.Choose(0, 40)).Select(b => (ReadOnlyMemory<byte>)b)),
        (2, WireGen.Text(0, 30).Select(s => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(s))));

    private static Gen<string> EnvText { get; } = Gen.Frequency((2, Gen.Elements(s_tagLike)), (3, WireGen.Text(0, 30)));

    private static Gen<long> Number { get; } = Gen.Frequency(
        (4, Gen.Choose(0, 3).Select(i => (long)i)),
        (2, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (long)i)),
        (1, Gen.Elements(long.MinValue, long.MaxValue, -1L, 255L, 256L)));

    internal static Gen<Request> RequestGen { get; } =
        from args in Gen.Frequency((6, Gen.Choose(0, 8)), (1, Gen.Choose(0, 300))).SelectMany(n => Gen.ArrayOf(Data, n))
        from env in Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Zip(EnvText, EnvText), n))
        select new Request { Arguments = args, Environment = env.Select(e => Env(e.Item1, e.Item2)).ToArray() };

    internal static Gen<Reply> ReplyGen { get; } =
        from outputs in Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Gen.Zip(Number, Data), n))
        from code in Number
        from isError in Gen.Elements(true, false)
        select new Reply
        {
            Output = outputs.Select(o => new Reply.OutputItem { Stream = o.Item1, Data = o.Item2 }).ToArray(),
            Status = isError ? new Reply.ErrorCode { Code = code } : new Reply.ReturnCode { Code = code },
        };

    [Fact]
    public void Random_requests_round_trip_in_both_tag_styles()
    {
        Check.One(RoundTripPropertyTests.Quick.WithMaxTest(400), Prop.ForAll(RequestGen.ToArbitrary(), (Request request) =>
        {
            foreach (var style in new[] { RemctlMsg.TagStyle.Long, RemctlMsg.TagStyle.Short })
            {
                var frames = RemctlMsg.EncodeFrames(request, style);
                Assert.True(RemctlMsg.TryDecodeRequest(frames, out var decoded, out var error), $"{Frames.Show(frames)}: {error}");
                Assert.Equal(request, decoded);
                Frames.Equal(frames, RemctlMsg.EncodeFrames(decoded, style));
                var list = new List<ReadOnlyMemory<byte>>();
                RemctlMsg.AddFrames(request, list, style);
                Frames.Equal(frames, list);
            }
        }));
    }

    [Fact]
    public void Random_replies_round_trip_in_both_tag_styles()
    {
        Check.One(RoundTripPropertyTests.Quick.WithMaxTest(400), Prop.ForAll(ReplyGen.ToArbitrary(), (Reply reply) =>
        {
            foreach (var style in new[] { RemctlMsg.TagStyle.Long, RemctlMsg.TagStyle.Short })
            {
                var frames = RemctlMsg.EncodeFrames(reply, style);
                Assert.True(RemctlMsg.TryDecodeReply(frames, out var decoded, out var error), $"{Frames.Show(frames)}: {error}");
                Assert.Equal(reply, decoded);
                Frames.Equal(frames, RemctlMsg.EncodeFrames(decoded, style));
            }
        }));
    }
}
