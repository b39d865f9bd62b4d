using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Remctl.Tests;

/// <summary><c>remctl-zmqd</c> as a real process: start-up, config, ACLs, handlers, SIGTERM.</summary>
public sealed class DaemonProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("remctl-zmqd-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Config(string json)
    {
        var path = Path.Combine(_directory, $"config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Without_config_it_answers_5_to_everything_and_exits_0_on_SIGTERM()
    {
        using var daemon = DaemonProcess.Start();
        Assert.Equal("ERRORCODE|5", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|anything|ENVIRONMENT|0"));
        Assert.Equal("ERRORCODE|5", RawReq.Show(daemon.Endpoint, "ARGUMENT|0"));
        Assert.Equal("ERRORCODE|4", RawReq.Show(daemon.Endpoint, "ARGUMENT|5|a|b"));
        Assert.Equal("ERRORCODE|5", RawReq.Show(daemon.Endpoint, "A|1|still-serving"));

        Assert.Equal(0, daemon.Terminate());
        Assert.Contains("Stopped", daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_with_exec_echo_acl_and_an_assembly_handler_serves_them_all()
    {
        var config = Config($$"""
            {
              // Comments are allowed.
              "commands": {
                "echo": { "handler": "exec", "program": "/bin/echo", "timeoutMs": 10000 },
                "secret": { "handler": "exec", "program": "/bin/echo", "args": ["top secret"], "users": ["kula@TPROA.NET"] },
                "greet": {
                  "handler": "assembly",
                  "path": "{{typeof(GreetingHandler).Assembly.Location}}",
                  "type": "{{typeof(GreetingHandler).FullName}}",
                  "settings": { "greeting": "good day" },
                },
              },
            }
            """);
        using var daemon = DaemonProcess.Start("--config", config);

        var echo = Programs.Client("--endpoint", daemon.Endpoint, "--timeout", "10000", "test", "echo", "foo", "bar baz");
        Assert.True(echo.ExitCode == 0, echo.ToString());
        Assert.Equal("foo bar baz\n", echo.Stdout);

        var denied = Programs.Client("--endpoint", daemon.Endpoint, "--user", "mallory@TPROA.NET", "test", "secret");
        Assert.Equal(255, denied.ExitCode);
        Assert.Equal("Access denied\n", denied.Stderr);
        var allowed = Programs.Client("--endpoint", daemon.Endpoint, "--user", "kula@TPROA.NET", "test", "secret");
        Assert.Equal("top secret\n", allowed.Stdout);

        // One handler instance serves every request: the call count goes up.
        Assert.Equal("OUTPUT|1|good day alice (x,y) call 1\n|RETURNCODE|0", RawReq.Show(daemon.Endpoint, "ARGUMENT|3|greet|x|y|ENVIRONMENT|1|REMOTE_USER|alice"));
        Assert.Equal("OUTPUT|1|good day bob () call 2\n|RETURNCODE|0", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|greet|ENVIRONMENT|1|REMOTE_USER|bob"));

        Assert.Equal("ERRORCODE|5", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|nope"));
        Assert.Equal(0, daemon.Terminate());
    }

    [Fact]
    public void An_inline_assembly_handler_runs_on_the_server_thread()
    {
        var handler = $"\"path\": \"{typeof(WhereHandler).Assembly.Location}\", \"type\": \"{typeof(WhereHandler).FullName}\"";
        var config = Config($$"""
            {
              "commands": {
                "inline": { "handler": "assembly", {{handler}}, "inline": true },
                "pooled": { "handler": "assembly", {{handler}}, "inline": false },
                "default": { "handler": "assembly", {{handler}} },
              },
            }
            """);
        using var daemon = DaemonProcess.Start("--config", config);

        Assert.Equal("OUTPUT|1|remctl_backend|RETURNCODE|0", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|inline"));
        Assert.Equal("OUTPUT|1|pool|RETURNCODE|0", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|pooled"));
        Assert.Equal("OUTPUT|1|pool|RETURNCODE|0", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|default"));
        Assert.Equal(0, daemon.Terminate());
        Assert.Contains("WhereHandler from Remctl.Tests.dll, inline", daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_tags_option_makes_replies_short()
    {
        var config = Config("""{ "commands": { "echo": { "handler": "exec", "program": "/bin/echo" } } }""");
        using var daemon = DaemonProcess.Start("--config", config, "--short-tags", "--verbose");
        Assert.Equal("O|1|hi\n|R|0", RawReq.Show(daemon.Endpoint, "ARGUMENT|2|echo|hi"));
        Assert.Equal("E|5", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|nope"));
        Assert.Equal(0, daemon.Terminate());
    }

    [Fact]
    public void Fifty_MiB_output_through_daemon_and_CLI_is_byte_exact()
    {
        // 50 MiB through the whole chain: exec handler, daemon, ZeroMQ, CLI, stdout pipe (about
        // half a second on the 2-core test machine, so the full size is affordable here).
        const int size = 50 * 1024 * 1024;
        var config = Config("""{ "commands": { "big": { "handler": "exec", "program": "/bin/sh", "args": ["-c", "head -c 52428800 /dev/urandom | tee \"$0\""], "includeSubcommand": false } } }""");
        var copy = Path.Combine(_directory, "expected.bin");
        using var daemon = DaemonProcess.Start("--config", config);

        var result = Programs.Client("--endpoint", daemon.Endpoint, "--timeout", "60000", "test", "big", copy);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(size, result.StdoutBytes.Length);
        Assert.True(File.ReadAllBytes(copy).AsSpan().SequenceEqual(result.StdoutBytes));
        Assert.Equal(0, daemon.Terminate());
    }

    [Fact]
    public void Missing_config_file_is_a_clear_error_and_exit_2()
    {
        var path = Path.Combine(_directory, "missing.json");
        var result = Programs.Run(Programs.DaemonDll, ["--bind", "tcp://127.0.0.1:*", "--config", path]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"cannot read config file {path}", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"commands\": ", "not valid JSON")]
    [InlineData("[]", "the top level: expected an object")]
    [InlineData("{ \"commands\": { \"x\": { \"handler\": \"exec\" } } }", "commands.x: 'program' is required")]
    [InlineData("{ \"commands\": { \"x\": { \"handler\": \"fork\" } } }", "commands.x.handler: 'fork' is not a handler")]
    [InlineData("{ \"commands\": { \"x\": { \"handler\": \"exec\", \"program\": \"/bin/true\", \"timeout\": 5 } } }", "unknown property 'timeout'")]
    [InlineData("{ \"commands\": { \"x\": { \"handler\": \"exec\", \"program\": \"/bin/true\", \"users\": \"kula\" } } }", "commands.x.users: expected an array")]
    [InlineData("{ \"commands\": { \"x\": { \"handler\": \"assembly\", \"path\": \"/nonexistent.dll\", \"type\": \"T\" } } }", "handler assembly /nonexistent.dll not found")]
    [InlineData("{ \"commands\": { \"x\": { \"handler\": \"assembly\", \"path\": \"/nonexistent.dll\", \"type\": \"T\", \"inline\": \"yes\" } } }", "commands.x.inline: expected true or false")]
    [InlineData("{ \"commands\": { \"x\": { \"handler\": \"exec\", \"program\": \"/bin/true\", \"inline\": true } } }", "unknown property 'inline'")]
    public void Malformed_config_is_a_clear_error_and_exit_2(string json, string message)
    {
        var path = Config(json);
        var result = Programs.Run(Programs.DaemonDll, ["--bind", "tcp://127.0.0.1:*", "--config", path]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"remctl-zmqd: config file {path}: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Handler_type_that_cannot_be_created_is_exit_2()
    {
        var assembly = typeof(GreetingHandler).Assembly.Location;
        var path = Config($$"""{ "commands": { "a": { "handler": "assembly", "path": "{{assembly}}", "type": "{{typeof(UnconstructibleHandler).FullName}}" }, "b": { "handler": "assembly", "path": "{{assembly}}", "type": "No.Such.Type" } } }""");
        var result = Programs.Run(Programs.DaemonDll, ["--bind", "tcp://127.0.0.1:*", "--config", path]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs a public constructor", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_bind_is_a_usage_error_and_an_unbindable_endpoint_exit_1()
    {
        var usage = Programs.Run(Programs.DaemonDll, []);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--bind", usage.Stderr, StringComparison.Ordinal);

        var bad = Programs.Run(Programs.DaemonDll, ["--bind", "tcp://not-an-address:x"]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("cannot serve tcp://not-an-address:x", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_keeps_serving_after_every_error_path()
    {
        var config = Config("""{ "commands": { "slow": { "handler": "exec", "program": "/bin/sleep", "timeoutMs": 300 }, "ok": { "handler": "exec", "program": "/bin/true" }, "gone": { "handler": "exec", "program": "/nonexistent" } } }""");
        using var daemon = DaemonProcess.Start("--config", config);
        Assert.Equal("ERRORCODE|1", RawReq.Show(daemon.Endpoint, "ARGUMENT|2|slow|10"));
        Assert.Equal("ERRORCODE|1", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|gone"));
        Assert.Equal("ERRORCODE|4", RawReq.Show(daemon.Endpoint, "garbage"));
        Assert.Equal("ERRORCODE|5", RawReq.Show(daemon.Endpoint, "ARGUMENT|1|nope"));
        Assert.Equal("ERRORCODE|4", Frames.Show(RawReq.DealerExchange(daemon.Endpoint, Frames.Of("ARGUMENT|1|ok"))));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => RawReq.Show(daemon.Endpoint, "ARGUMENT|1|ok"))));
        Assert.All(results, reply => Assert.Equal("RETURNCODE|0", reply));
        Assert.Equal(0, daemon.Terminate());
    }
}
