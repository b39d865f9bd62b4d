using System;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace Zproto.Cli.Tests;

/// <summary><c>zproto encode</c> and <c>zproto decode</c>: input forms, text frames, datagrams, and every failure as one line.</summary>
public class EncodeDecodeCommandTests
{
    private static readonly string s_zpipes = Repository.Model("zpipes_msg.xml");
    private static readonly string s_remctl = Repository.Model("remctl_msg.yaml");
    private static readonly string s_vtx = Repository.Model("vtx_nom1.xml");

    private const string ReadJson = """{"message": "read", "fields": {"size": 7, "timeout": 1000}}""";
    private const string ReadFrame = "aaa00700000007000003e8";

    private static void AssertFails(RunResult result, string command, string contains, int exitCode = 1)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"zproto {command}", line, StringComparison.Ordinal);
        Assert.Contains(contains, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_reads_json_inline_from_a_file_and_from_stdin()
    {
        using var temp = new TempDirectory();
        var file = temp.File("read.json", ReadJson);
        Assert.Equal([ReadFrame], Zproto.Run("encode", "--model", s_zpipes, "--json", ReadJson).StdoutLines);
        Assert.Equal([ReadFrame], Zproto.Run("encode", "--model", s_zpipes, "--json", "@" + file).StdoutLines);
        Assert.Equal([ReadFrame], Zproto.RunWithInput(ReadJson, "encode", "--model", s_zpipes, "--json", "-").StdoutLines);
    }

    [Fact]
    public void Encode_matches_message_and_field_names_loosely()
    {
        var result = Zproto.Run("encode", "--model", s_zpipes, "--json", """{"message": "READ-OK", "fields": {"CHUNK": "0102"}}""");
        Assert.Equal(["aaa008000000020102"], result.StdoutLines);
    }

    [Fact]
    public void Decode_prints_one_compact_json_line()
    {
        var result = Zproto.Run("decode", "--model", s_zpipes, ReadFrame);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""{"message":"read","fields":{"size":7,"timeout":1000}}""", Assert.Single(result.StdoutLines));
    }

    [Fact]
    public void Decode_reads_frames_from_stdin_in_the_format_encode_prints()
    {
        var frames = Zproto.Run("encode", "--model", Repository.Model("zproto_example.xml"), "--json",
            """{"message": "BINARY", "fields": {"flags": "01020304", "address": "", "content": ["aa", "", "bb"]}}""");
        Assert.Equal(0, frames.ExitCode);
        Assert.Equal(5, frames.StdoutLines.Length); // frame 0, the empty address frame, three content frames
        Assert.Equal("", frames.StdoutLines[1]);
        var result = Zproto.RunWithInput(frames.Stdout, "decode", "--model", Repository.Model("zproto_example.xml"), "-");
        Assert.True(result.ExitCode == 0, result.ToString());
        var fields = JsonNode.Parse(result.Stdout)!["fields"]!;
        Assert.Equal("01020304", (string)fields["flags"]!);
        Assert.Equal(["aa", "", "bb"], fields["content"]!.AsArray().Select(f => (string)f!));
    }

    [Fact]
    public void Encode_text_frames_with_short_and_long_tags()
    {
        const string request = """{"message": "request", "fields": {"arguments": ["74657374", "666f6f"], "environment": [{"name": "REMOTE_USER", "value": "kula@TPROA.NET"}]}}""";
        var shortTags = Zproto.Run("encode", "--model", s_remctl, "--tags", "short", "--json", request);
        Assert.True(shortTags.ExitCode == 0, shortTags.ToString());
        Assert.Equal(["41", "32", "74657374", "666f6f", "45", "31", "52454d4f54455f55534552", Convert.ToHexStringLower("kula@TPROA.NET"u8)], shortTags.StdoutLines);
        var longTags = Zproto.Run("encode", "--model", s_remctl, "--json", request);
        Assert.Equal(Convert.ToHexStringLower("ARGUMENT"u8), longTags.StdoutLines[0]);
        Assert.Equal(Convert.ToHexStringLower("ENVIRONMENT"u8), longTags.StdoutLines[4]);
    }

    [Fact]
    public void Decode_text_frames_tries_each_message_so_E_is_environment_or_errorcode_by_position()
    {
        var request = Zproto.Run(["decode", "--model", s_remctl, .. new[] { "A", "1", "x", "E", "0" }.Select(Hex)]);
        Assert.True(request.ExitCode == 0, request.ToString());
        Assert.Equal("request", (string)JsonNode.Parse(request.Stdout)!["message"]!);

        var reply = Zproto.Run(["decode", "--model", s_remctl, .. new[] { "O", "1", "hi", "E", "6" }.Select(Hex)]);
        Assert.True(reply.ExitCode == 0, reply.ToString());
        Assert.Equal("""{"message":"reply","fields":{"output":[{"stream":1,"data":"6869"}],"status":{"error_code":{"code":6}}}}""", reply.StdoutLines.Single());

        // The JSON decode prints is what encode takes.
        var again = Zproto.RunWithInput(reply.Stdout, "encode", "--model", s_remctl, "--tags", "short", "--json", "-");
        Assert.Equal(new[] { "O", "1", "hi", "E", "6" }.Select(Hex), again.StdoutLines);
    }

    [Fact]
    public void Decode_text_frames_as_one_named_message()
    {
        var frames = new[] { "RETURNCODE", "0" }.Select(Hex).ToArray();
        Assert.Equal(0, Zproto.Run(["decode", "--model", s_remctl, "--message", "reply", .. frames]).ExitCode);
        AssertFails(Zproto.Run(["decode", "--model", s_remctl, "--message", "request", .. frames]), "decode", "field 'arguments' (frame 0, offset 0)");
        AssertFails(Zproto.Run(["decode", "--model", s_remctl, "--message", "nope", .. frames]), "decode", "no message 'nope'");
    }

    [Fact]
    public void Datagram_protocol_round_trips_and_rejects_a_datagram_over_its_limit()
    {
        var nom = Zproto.Run("encode", "--model", s_vtx, "--json", """{"message": "NOM", "fields": {"sequence": 3, "content": ["68656c6c6f", ""]}}""");
        Assert.True(nom.ExitCode == 0, nom.ToString());
        Assert.Equal("1053" + "0568656c6c6f" + "00", Assert.Single(nom.StdoutLines));
        var decoded = Zproto.Run("decode", "--model", s_vtx, nom.StdoutLines[0]);
        Assert.True(decoded.ExitCode == 0, decoded.ToString());
        Assert.Equal("NOM", (string)JsonNode.Parse(decoded.Stdout)!["message"]!);

        var big = new string('a', 600);
        AssertFails(Zproto.Run("encode", "--model", s_vtx, "--json", $$$"""{"message": "OHAI", "fields": {"address": "{{{big}}}"}}"""), "encode", "512");
    }

    [Fact]
    public void Encode_rejects_a_string_over_255_octets_instead_of_truncating()
    {
        var name = new string('é', 128); // 256 octets of UTF-8 in 128 characters
        AssertFails(Zproto.Run("encode", "--model", s_zpipes, "--json", $$$"""{"message": "input", "fields": {"pipename": "{{{name}}}"}}"""), "encode", "field 'pipename'");
    }

    [Theory]
    [InlineData("""{"message": "reed"}""", "no message 'reed'")]
    [InlineData("""{"message": "read", "fields": {"sise": 1}}""", "no field 'sise'")]
    [InlineData("""{"message": "read", "fields": {"size": -1}}""", "field 'size'")]
    [InlineData("""{"message": "read", "fields": {"size": 4294967296}}""", "field 'size'")]
    [InlineData("""{"message": "read", "fields": {"size": "seven"}}""", "field 'size'")]
    [InlineData("""{"message": "read-ok", "fields": {"chunk": "abc"}}""", "odd number of digits")]
    [InlineData("""{"message": "read-ok", "fields": {"chunk": "zz"}}""", "field 'chunk'")]
    [InlineData("""{"message": "read", """, "malformed JSON")]
    [InlineData("""["read"]""", "must be an object")]
    [InlineData("""{"fields": {}}""", "no \"message\"")]
    [InlineData("""{"message": "read", "feilds": {}}""", "unknown key \"feilds\"")]
    [InlineData("""{"protocol": "zccp_msg", "message": "read"}""", "'zccp_msg'")]
    [InlineData("""{"message": "read", "message": "close"}""", "malformed JSON")]
    public void Encode_reports_bad_input_as_one_line_and_exit_1(string json, string contains) =>
        AssertFails(Zproto.Run("encode", "--model", s_zpipes, "--json", json), "encode", contains);

    [Fact]
    public void Encode_rejects_duplicate_hash_keys()
    {
        AssertFails(Zproto.Run("encode", "--model", Repository.Model("zccp_msg.xml"), "--json", """{"message": "HELLO-OK", "fields": {"headers": {"k": "1", "k": "2"}}}"""), "encode", "malformed JSON");
    }

    [Fact]
    public void Encode_names_a_missing_model_or_json_file()
    {
        AssertFails(Zproto.Run("encode", "--model", "no_such_model.xml", "--json", ReadJson), "encode", "'no_such_model.xml' not found");
        AssertFails(Zproto.Run("encode", "--model", s_zpipes, "--json", "@no_such.json"), "encode", "'no_such.json' not found");
    }

    [Fact]
    public void Tags_apply_only_to_text_frame_protocols()
    {
        AssertFails(Zproto.Run("encode", "--model", s_zpipes, "--tags", "short", "--json", ReadJson), "encode", "--tags", exitCode: 2);
        var result = Zproto.Run("encode", "--model", s_remctl, "--tags", "tiny", "--json", "{}");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StderrLines);
    }

    [Theory]
    [InlineData("aaa0070000000700", "field 'timeout' (frame 0, offset 7)")]
    [InlineData("aaa00700000007000003e", "odd number of digits")]
    [InlineData("aaa0zz", "not hex")]
    [InlineData("aaa016", "unknown message id 22")]
    public void Decode_reports_bad_frames_as_one_line_and_exit_1(string frame, string contains) =>
        AssertFails(Zproto.Run("decode", "--model", s_zpipes, frame), "decode", contains);

    [Fact]
    public void A_model_with_errors_stops_encode_with_its_diagnostics()
    {
        using var temp = new TempDirectory();
        var bad = temp.File("bad_msg.xml", TestModels.DuplicateId);
        var result = Zproto.Run("encode", "--model", bad, "--json", """{"message": "ONE"}""");
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains(result.StderrLines, l => l.Contains(": error ZP", StringComparison.Ordinal));
        Assert.EndsWith("has errors", result.StderrLines.Last(), StringComparison.Ordinal);
    }

    private static string Hex(string text) => Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text));
}
