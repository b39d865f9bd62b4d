using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Remctl.Tests;

/// <summary>
/// <c>remctl-zmq</c> as a real process against scripted backends: the RC scenarios of the ZeroMQ
/// leg, judged by what a user of the stock remctl client would see (stdout, stderr, exit status).
/// </summary>
public class ClientProcessTests
{
    private static ProcessResult Run(FakeBackend backend, params string[] args) =>
        Programs.Client(["--endpoint", backend.Endpoint, "--timeout", "10000", .. args]);

    [Fact]
    public void RC01_RC02_seed_request_goes_out_exactly_and_the_reply_splits_into_stdout_stderr_and_23()
    {
        using var backend = new FakeBackend("OUTPUT|1|Here is some sample output\n|OUTPUT|2|Error output\n|OUTPUT|2|More err\n|OUTPUT|1|Another line\n|RETURNCODE|23");

        var result = Run(backend, "--user", "kula@TPROA.NET", "--addr", "204.11.35.93", "--host", "keymaster.tproa.net", "test", "foo", "bar", "baz");

        Assert.Equal(23, result.ExitCode);
        Assert.Equal("Here is some sample output\nAnother line\n", result.Stdout);
        Assert.Equal("Error output\nMore err\n", result.Stderr);
        Assert.True(backend.Requests.TryDequeue(out var request));
        Assert.Equal(
            "ARGUMENT|3|foo|bar|baz|ENVIRONMENT|4|REMOTE_USER|kula@TPROA.NET|REMOTE_ADDR|204.11.35.93|REMOTE_HOST|keymaster.tproa.net|REMCTL_COMMAND|test",
            Frames.Show(request));
    }

    [Fact]
    public void RC03_short_reply_and_short_request()
    {
        using var backend = new FakeBackend("O|1|hi\n|R|0");
        var result = Run(backend, "--short-tags", "--user", "u", "test", "foo");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hi\n", result.Stdout);
        Assert.True(backend.Requests.TryDequeue(out var request));
        Assert.Equal("A|1|foo|E|3|REMOTE_USER|u|REMOTE_ADDR|127.0.0.1|REMCTL_COMMAND|test", Frames.Show(request));
    }

    [Fact]
    public void RC04_error_6_prints_Access_denied_and_exits_255()
    {
        using var backend = new FakeBackend("E|6");
        var result = Run(backend, "test", "foo");
        Assert.Equal(255, result.ExitCode);
        Assert.Equal("Access denied\n", result.Stderr);
        Assert.Empty(result.StdoutBytes);
    }

    [Fact]
    public void RC05_output_spelling_tags_is_data()
    {
        using var backend = new FakeBackend("OUTPUT|1|RETURNCODE|OUTPUT|2|E|RETURNCODE|0");
        var result = Run(backend, "test", "foo");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("RETURNCODE", result.Stdout);
        Assert.Equal("E", result.Stderr);
    }

    [Fact]
    public void RC06_no_subcommand_and_no_host_send_ARGUMENT_0_and_three_variables()
    {
        using var backend = new FakeBackend("R|0");
        var result = Run(backend, "--user", "kula@TPROA.NET", "--addr", "204.11.35.93", "test");
        Assert.Equal(0, result.ExitCode);
        Assert.True(backend.Requests.TryDequeue(out var request));
        Assert.Equal("ARGUMENT|0|ENVIRONMENT|3|REMOTE_USER|kula@TPROA.NET|REMOTE_ADDR|204.11.35.93|REMCTL_COMMAND|test", Frames.Show(request));
    }

    [Fact]
    public void RC07_error_5_prints_Unknown_command()
    {
        using var backend = new FakeBackend("ERRORCODE|5");
        var result = Run(backend, "test", "foo");
        Assert.Equal(255, result.ExitCode);
        Assert.Equal("Unknown command\n", result.Stderr);
    }

    [Fact]
    public void RC08_error_after_output_prints_both()
    {
        using var backend = new FakeBackend("O|1|partial\n|E|1");
        var result = Run(backend, "test", "foo");
        Assert.Equal(255, result.ExitCode);
        Assert.Equal("partial\n", result.Stdout);
        Assert.Equal("Internal failure\n", result.Stderr);
    }

    [Fact]
    public void Unknown_error_code_prints_Unknown_error()
    {
        using var backend = new FakeBackend("E|42");
        var result = Run(backend, "test", "foo");
        Assert.Equal(255, result.ExitCode);
        Assert.Equal("Unknown error\n", result.Stderr);
    }

    [Fact]
    public void RC10_unusual_stream_warns_and_goes_to_stderr()
    {
        using var backend = new FakeBackend("O|3|x|R|0");
        var result = Run(backend, "test", "foo");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("remctl-zmq: unknown output stream 3\nx", result.Stderr);
        Assert.Empty(result.StdoutBytes);
    }

    [Theory]
    [InlineData("O|1|x")]
    [InlineData("R|abc")]
    [InlineData("R|1|O|1|y")]
    public void RC11_malformed_reply_prints_Internal_failure_and_exits_255(string reply)
    {
        using var backend = new FakeBackend(reply);
        var result = Run(backend, "test", "foo");
        Assert.Equal(255, result.ExitCode);
        Assert.Equal("Internal failure\n", result.Stderr);
    }

    [Theory]
    [InlineData("R|256", 0)]
    [InlineData("R|255", 255)]
    [InlineData("R|23", 23)]
    public void RC14_exit_status_is_the_low_8_bits(string reply, int exit)
    {
        using var backend = new FakeBackend(reply);
        Assert.Equal(exit, Run(backend, "test", "foo").ExitCode);
    }

    [Fact]
    public void Binary_output_reaches_stdout_byte_for_byte()
    {
        byte[] binary = [0x00, 0xFF, 0x41, 0x0D, 0x0A, 0x1A, 0xC3];
        using var backend = new FakeBackend(_ => [.. Frames.Of("OUTPUT|1"), binary, .. Frames.Of("OUTPUT|2"), binary, .. Frames.Of("RETURNCODE|0")]);
        var result = Run(backend, "test", "foo");
        Assert.Equal(binary, result.StdoutBytes);
        Assert.Equal(binary, result.StderrBytes);
    }

    [Fact]
    public void Arguments_after_the_command_are_passed_even_when_they_look_like_options()
    {
        using var backend = new FakeBackend("R|0");
        Run(backend, "--user", "u", "--env", "REMOTE_EXPIRES=1767225600", "test", "sub", "--user", "-x", "--");
        Assert.True(backend.Requests.TryDequeue(out var request));
        Assert.Equal("ARGUMENT|4|sub|--user|-x|--|ENVIRONMENT|4|REMOTE_USER|u|REMOTE_ADDR|127.0.0.1|REMCTL_COMMAND|test|REMOTE_EXPIRES|1767225600", Frames.Show(request));
    }

    [Fact]
    public void Backend_down_prints_not_reachable_and_exits_255()
    {
        var endpoint = RawReq.UnboundEndpoint();
        var result = Programs.Client("--endpoint", endpoint, "--timeout", "200", "--retries", "1", "test", "foo");
        Assert.Equal(255, result.ExitCode);
        Assert.Contains($"backend not reachable at {endpoint}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 attempt(s)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RC12_retries_on_new_sockets_reach_a_backend_that_comes_up_late()
    {
        var endpoint = RawReq.UnboundEndpoint();
        // Attempts of a second, so the ones left once the backend is up have room for a loaded
        // machine's stalls; the wait covers the process's start and at least one failed attempt.
        var client = Task.Run(() => Programs.Client("--endpoint", endpoint, "--timeout", "1000", "--retries", "40", "test", "foo"));
        await Task.Delay(2_500);
        Assert.False(client.IsCompleted);
        using var backend = new FakeBackend(_ => Frames.Of("O|1|up\n|R|0"), endpoint);

        var result = await client;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("up\n", result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "test", "foo" }, "--endpoint is required")]
    [InlineData(new[] { "--endpoint", "tcp://127.0.0.1:1" }, "no command given")]
    [InlineData(new[] { "--endpoint", "tcp://127.0.0.1:1", "--timeout", "soon", "test" }, "--timeout")]
    [InlineData(new[] { "--frobnicate", "test" }, "unknown option --frobnicate")]
    public void Usage_errors_exit_2(string[] args, string message)
    {
        var result = Programs.Client(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }
}
