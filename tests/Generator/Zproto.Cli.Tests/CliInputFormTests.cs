using System;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace Zproto.Cli.Tests;

/// <summary>
/// The input forms of <c>zproto encode/decode</c> users meet in practice: pub-sub topics both ways,
/// frames from a file or stdin, hex as pasted (spaces, 0x), a bad signature that says what it
/// expected, and a --help that lists every command.
/// </summary>
public sealed class CliInputFormTests
{
    private static readonly string s_zpipes = Repository.Model("zpipes_msg.xml");

    // zpipes_msg WRITE of "hi" with timeout 250: signature aa a0, id 0c, chunk length 2, "hi", timeout.
    private const string WriteFrame = "aaa00c000000026869000000fa";

    [Fact]
    public void A_pubsub_topic_goes_into_the_frame_and_comes_back_as_a_topic_key()
    {
        using var temp = new TempDirectory();
        var model = temp.File("news_msg.xml", TestModels.PubSub);

        var encoded = Zproto.Run("encode", "--model", model, "--json", """{"message": "NEWS", "topic": "sport", "fields": {"headline": "won"}}""");
        Assert.True(encoded.ExitCode == 0, encoded.ToString());
        // Pub-sub frames carry no signature: id 07, "sport", 00, then the headline string: length 3, "won".
        Assert.Equal("07" + Convert.ToHexStringLower("sport"u8) + "00" + "03" + Convert.ToHexStringLower("won"u8), Assert.Single(encoded.StdoutLines));

        var decoded = Zproto.Run("decode", "--model", model, encoded.StdoutLines[0]);
        Assert.True(decoded.ExitCode == 0, decoded.ToString());
        var json = JsonNode.Parse(decoded.Stdout)!.AsObject();
        Assert.Equal(["message", "topic", "fields"], json.Select(p => p.Key));
        Assert.Equal("sport", (string)json["topic"]!);
        Assert.Equal("won", (string)json["fields"]!["headline"]!);

        // What decode prints, encode takes back: the same bytes.
        var again = Zproto.Run("encode", "--model", model, "--json", decoded.Stdout);
        Assert.Equal(encoded.Stdout, again.Stdout);
    }

    [Fact]
    public void A_topic_for_a_protocol_that_is_not_pubsub_is_an_error()
    {
        var result = Zproto.Run("encode", "--model", s_zpipes, "--json", """{"message": "PING", "topic": "x"}""");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not pub-sub", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_come_from_a_file_one_hex_line_each_or_from_stdin()
    {
        using var temp = new TempDirectory();
        // A WRITE with a 100 000-octet chunk: 200 000 hex digits, more than one argument should carry.
        var encoded = Zproto.Run("encode", "--model", s_zpipes, "--json",
            $$$"""{"message": "WRITE", "fields": {"chunk": "{{{new string('a', 200_000)}}}", "timeout": 1}}""");
        Assert.True(encoded.ExitCode == 0, encoded.ToString());
        var file = temp.File("frames.txt", encoded.Stdout);

        var fromFile = Zproto.Run("decode", "--model", s_zpipes, "--frames-file", file);
        var fromStdin = Zproto.RunWithInput(encoded.Stdout, "decode", "--model", s_zpipes, "--frames-file", "-");

        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal(100_000, Convert.FromHexString((string)JsonNode.Parse(fromFile.Stdout)!["fields"]!["chunk"]!).Length);
        Assert.Equal(fromFile.Stdout, fromStdin.Stdout);
    }

    [Fact]
    public void Frames_from_both_arguments_and_a_file_or_from_neither_are_usage_errors()
    {
        Assert.Equal(2, Zproto.Run("decode", "--model", s_zpipes, "--frames-file", "-", WriteFrame).ExitCode);
        var none = Zproto.Run("decode", "--model", s_zpipes);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no frames", Assert.Single(none.StderrLines), StringComparison.Ordinal);
        var missing = Zproto.Run("decode", "--model", s_zpipes, "--frames-file", "no_such_frames.txt");
        Assert.Contains("'no_such_frames.txt' not found", Assert.Single(missing.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aa a0 0c 00 00 00 02 68 69 00 00 00 fa")]
    [InlineData("0xaaa00c000000026869000000fa")]
    [InlineData("0xAA 0xA0 0x0C 0x00000002 6869 000000FA")]
    public void Decode_accepts_hex_with_spaces_and_0x_prefixes(string frame)
    {
        var expected = Zproto.Run("decode", "--model", s_zpipes, WriteFrame);
        var result = Zproto.Run("decode", "--model", s_zpipes, frame);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected.Stdout, result.Stdout);
    }

    [Theory]
    [InlineData("aaa10c000000026869000000fa", "expected aaa0 (0xAAA0 | signature 0), got aaa1")]
    [InlineData("ab", "expected aaa0 (0xAAA0 | signature 0), got ab")]
    public void A_bad_signature_names_the_expected_and_actual_octets(string frame, string detail)
    {
        var result = Zproto.Run("decode", "--model", s_zpipes, frame);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.Contains("field 'signature' (frame 0, offset 0)", line, StringComparison.Ordinal);
        Assert.Contains(detail, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_command()
    {
        var result = Zproto.Run("--help");

        Assert.Equal(0, result.ExitCode);
        string[] commands = ["check", "generate", "scaffold", "encode", "decode", "bnf", "diagram"];
        Assert.All(commands, c => Assert.Contains(result.StdoutLines, l => l.TrimStart().StartsWith(c + " ", StringComparison.Ordinal)));
        var listed = result.StdoutLines.SkipWhile(l => l != "Commands:").Skip(1).Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(commands.Length, listed.Count);
    }
}
