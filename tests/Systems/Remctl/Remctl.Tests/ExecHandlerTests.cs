using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Remctl.Tests;

/// <summary>The exec handler: remctl's classic program-per-command, behind the ZeroMQ backend.</summary>
public class ExecHandlerTests
{
    private static RemctlServer Serve(RemctlExecOptions options) =>
        TestServer.Start(s => s.Map("run", new RemctlExecHandler(options)));

    [Fact]
    public void Echo_gets_the_arguments_after_the_subcommand()
    {
        using var server = Serve(new RemctlExecOptions { Program = "/bin/echo" });
        Assert.Equal("OUTPUT|1|foo bar baz\n|RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|4|run|foo|bar|baz|ENVIRONMENT|0"));
    }

    [Fact]
    public void IncludeSubcommand_passes_it_first_like_remctld()
    {
        using var server = Serve(new RemctlExecOptions { Program = "/bin/echo", IncludeSubcommand = true, FixedArguments = ["-n"] });
        Assert.Equal("OUTPUT|1|run foo|RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|2|run|foo"));
    }

    [Fact]
    public void Program_sees_the_request_environment_and_its_streams_and_status_come_back()
    {
        using var server = Serve(new RemctlExecOptions { Program = "/bin/sh", FixedArguments = ["-c", "echo \"$REMOTE_USER $REMCTL_COMMAND $1\"; echo oops >&2; exit 3", "sh"] });

        var reply = RawReq.Show(server.Endpoint!, "ARGUMENT|2|run|arg1|ENVIRONMENT|2|REMOTE_USER|kula@TPROA.NET|REMCTL_COMMAND|test");

        // The two pipes are read concurrently, so only each stream's content is fixed, not their interleaving.
        var frames = reply.Split('|');
        Assert.Equal(["RETURNCODE", "3"], frames[^2..]);
        Assert.Contains("OUTPUT|1|kula@TPROA.NET test arg1\n", reply, StringComparison.Ordinal);
        Assert.Contains("OUTPUT|2|oops\n", reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Program_past_its_timeout_is_killed_with_ERRORCODE_1_after_its_output()
    {
        using var server = Serve(new RemctlExecOptions
        {
            Program = "/bin/sh",
            FixedArguments = ["-c", "echo started; exec sleep 30"],
            Timeout = TimeSpan.FromMilliseconds(500),
        });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("OUTPUT|1|started\n|ERRORCODE|1", RawReq.Show(server.Endpoint!, "ARGUMENT|1|run"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Stdin_argument_carries_binary_bytes_untouched()
    {
        using var server = Serve(new RemctlExecOptions { Program = "/bin/cat", StdinArgument = RemctlExecOptions.LastArgument });
        byte[] binary = [0x00, 0xFF, 0x41];
        var reply = RawReq.Exchange(server.Endpoint!, [.. Frames.Of("ARGUMENT|2|run"), binary]);
        Assert.Equal("OUTPUT", Encoding.UTF8.GetString(reply[0]));
        Assert.Equal(binary, reply[2]);
        Assert.Equal("RETURNCODE|0", Frames.Show(reply.Skip(3)));
    }

    [Fact]
    public void Numbered_stdin_argument_is_taken_off_the_command_line()
    {
        using var server = Serve(new RemctlExecOptions { Program = "/bin/sh", FixedArguments = ["-c", "echo \"args: $*\"; cat", "sh"], StdinArgument = 1 });
        Assert.Equal("OUTPUT|1|args: b c\nfrom stdin|RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|4|run|from stdin|b|c"));
    }

    [Fact]
    public void NUL_in_a_command_line_argument_is_ERRORCODE_4()
    {
        using var server = Serve(new RemctlExecOptions { Program = "/bin/echo" });
        var reply = RawReq.Exchange(server.Endpoint!, [.. Frames.Of("ARGUMENT|2|run"), [0x61, 0x00]]);
        Assert.Equal("ERRORCODE|4", Frames.Show(reply));
    }

    [Fact]
    public void Missing_program_is_ERRORCODE_1_and_the_server_keeps_serving()
    {
        using var server = TestServer.Start(s =>
        {
            s.Map("run", new RemctlExecHandler(new RemctlExecOptions { Program = "/nonexistent/program" }));
            s.Map("ok", new RemctlExecHandler(new RemctlExecOptions { Program = "/bin/true" }));
        });
        Assert.Equal("ERRORCODE|1", RawReq.Show(server.Endpoint!, "ARGUMENT|1|run"));
        Assert.Equal("RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|1|ok"));
    }

    [Fact]
    public async Task Large_output_from_a_program_arrives_whole()
    {
        using var server = Serve(new RemctlExecOptions { Program = "/bin/sh", FixedArguments = ["-c", "head -c 3000000 /dev/zero"] });
        await using var client = new RemctlClient(server.Endpoint!, new RemctlClientOptions { Timeout = TimeSpan.FromSeconds(30) });
        var result = await client.ExecuteAsync("test", ["run"]);
        Assert.Equal(0, result.ReturnCode);
        Assert.Equal(3_000_000, result.Stdout.Length);
        Assert.All(result.Stdout, b => Assert.Equal(0, b));
        // Pipe reads are merged, so a big output is a few triples, not one per read.
        Assert.True(result.Output.Count < 10, $"{result.Output.Count} chunks");
    }
}
