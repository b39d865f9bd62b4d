using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace Zproto.Cli.Tests;

/// <summary>
/// The real program: <c>dotnet zproto.dll ...</c> as a user or a build script runs it, with its exit
/// code, stdout and stderr. The codec cache makes encode/decode fast after the first run.
/// </summary>
public class ProcessTests
{
    [Fact]
    public void Check_is_silent_and_exits_0_on_every_model()
    {
        var models = Directory.GetFiles(Repository.Models).Order(StringComparer.Ordinal).ToArray();
        Assert.True(models.Length >= 6);
        var result = Zproto.Process(["check", .. models]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Check_prints_compiler_style_errors_and_exits_1()
    {
        using var temp = new TempDirectory();
        var bad = temp.File("bad_msg.xml", TestModels.DuplicateId);
        var result = Zproto.Process("check", bad);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^.+bad_msg\.xml\(\d+,\d+\): error ZP\d{4}: .+$", Assert.Single(result.StdoutLines));
    }

    [Fact]
    public void Bnf_of_zpipes_has_the_published_message_rules()
    {
        var result = Zproto.Process("bnf", Repository.Model("zpipes_msg.xml"));
        Assert.Equal(0, result.ExitCode);
        var rules = BnfCommandTests.Rules(result.Stdout);
        Assert.Contains(("read", "signature %d7 size timeout"), rules);
        Assert.Contains(("write", "signature %d12 chunk timeout"), rules);
        Assert.Contains(("input-ok", "signature %d2"), rules);
        Assert.Contains(("signature", "%xAA %xA0"), rules);
    }

    [Fact]
    public void Usage_errors_exit_2_with_one_line()
    {
        var result = Zproto.Process("frobnicate");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("frobnicate", Assert.Single(result.StderrLines));
    }
}

/// <summary>encode and decode as real processes (a class of their own, so they run beside the others).</summary>
public class ProcessCodecTests
{
    [Fact]
    public void Encode_and_decode_a_golden_vector()
    {
        // BINARY "typical": five frames (frame 0, a frame field, a three-frame msg).
        var vector = VectorTests.Load("zproto_example")
            .First(v => (string)v["message"]! == "BINARY" && (string)v["variant"]! == "typical");
        var frames = vector["frames"]!.AsArray().Select(f => (string)f!).ToArray();
        Assert.Equal(5, frames.Length);
        using var temp = new TempDirectory();
        var json = temp.File("vector.json", vector.ToJsonString());

        var encoded = Zproto.Process("encode", "--model", VectorTests.ModelOf("zproto_example"), "--json", "@" + json);
        Assert.True(encoded.ExitCode == 0, encoded.ToString());
        Assert.Equal(frames, encoded.StdoutLines);

        var decoded = Zproto.Process(["decode", "--model", VectorTests.ModelOf("zproto_example"), .. frames]);
        Assert.True(decoded.ExitCode == 0, decoded.ToString());
        var output = JsonNode.Parse(Assert.Single(decoded.StdoutLines))!.AsObject();
        Assert.Equal("BINARY", (string)output["message"]!);
        JsonAssert.EqualFields(vector["fields"]!.AsObject(), output["fields"]!.AsObject());
    }

    [Fact]
    public void Decode_of_a_truncated_frame_exits_1_with_one_line_naming_field_and_offset()
    {
        // LOG with its longstr 'data' cut: the reference codec accepted this; ours must not.
        var frame = (string)VectorTests.Vector("zproto_example", 0)["frames"]![0]!;
        var result = Zproto.Process("decode", "--model", Repository.Model("zproto_example.xml"), frame[..^2]);
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Matches(@"^zproto decode: field 'data' \(frame 0, offset \d+\): .+$", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void Decode_reads_frames_piped_from_encode()
    {
        var encoded = Zproto.Process("encode", "--model", Repository.Model("zpipes_msg.xml"), "--json", """{"message": "write", "fields": {"chunk": "00ff", "timeout": 5}}""");
        Assert.Equal(0, encoded.ExitCode);
        var decoded = Zproto.ProcessWith(null, encoded.Stdout, "decode", "--model", Repository.Model("zpipes_msg.xml"), "-");
        Assert.True(decoded.ExitCode == 0, decoded.ToString());
        Assert.Equal("""{"message":"write","fields":{"chunk":"00ff","timeout":5}}""", decoded.Stdout.TrimEnd());
    }

    [Fact]
    public void Encode_remctl_with_short_tags()
    {
        var result = Zproto.Process("encode", "--model", Repository.Model("remctl_msg.yaml"), "--tags", "short", "--json",
            """{"message": "reply", "fields": {"output": [{"stream": 2, "data": "6f6f7073"}], "status": {"return code": {"code": 23}}}}""");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["4f", "32", "6f6f7073", "52", "3233"], result.StdoutLines);
    }
}

/// <summary>generate as a real process, twice.</summary>
public class ProcessGenerateTests
{
    [Fact]
    public void Generate_writes_the_source_generator_files_deterministically()
    {
        using var temp = new TempDirectory();
        var first = Path.Combine(temp.Path, "first");
        var second = Path.Combine(temp.Path, "second");
        string[] models = [Repository.Model("zproto_example.xml"), Repository.Model("remctl_msg.yaml"), Repository.Model("vtx_nom1.xml")];
        Assert.Equal(0, Zproto.Process(["generate", .. models, "-o", first, "--namespace", "Acme.Wire"]).ExitCode);
        Assert.Equal(0, Zproto.Process(["generate", .. models, "-o", second, "--namespace", "Acme.Wire"]).ExitCode);

        GenerateCommandTests.AssertDirectoryHolds(first, [.. models.SelectMany(m => GenerateCommandTests.GeneratorOutput(m, "Acme.Wire"))]);
        foreach (var file in Directory.GetFiles(first))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(second, Path.GetFileName(file))));
    }
}

/// <summary>The codec cache, as a real process with nowhere to write it.</summary>
public class ProcessCacheTests
{
    [Fact]
    public void An_unusable_cache_directory_never_fails_the_command()
    {
        using var temp = new TempDirectory();
        var notADirectory = temp.File("not-a-directory", "");
        var environment = new Dictionary<string, string>
        {
            ["XDG_CACHE_HOME"] = notADirectory,
            ["HOME"] = notADirectory,
            ["TMPDIR"] = notADirectory,
        };
        var result = Zproto.ProcessWith(environment, null, "encode", "--model", Repository.Model("zp_msg.xml"), "--json", """{"message": "CONNECTION-PING"}""");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["aaaa02"], result.StdoutLines);
        Assert.Empty(result.Stderr);
    }
}
