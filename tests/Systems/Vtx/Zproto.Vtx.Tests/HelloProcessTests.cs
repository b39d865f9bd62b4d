using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Zproto.Vtx.Tests;

/// <summary>VX-14: the README example as two real vtx-hello processes on loopback.</summary>
public class HelloProcessTests
{
    internal static readonly TimeSpan s_processLimit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("udp://127.0.0.255:{0}")] // the README's form: an address the client need not know
    [InlineData("udp://*:{0}")] // the tests' form: the configured (loopback) broadcast address
    public async Task Client_and_server_exchange_hello_and_ack_three_times_and_exit_0(string connect)
    {
        using var server = Start("server", "--bind", "udp://*:0", "--count", "3");
        try
        {
            string? first = await server.StandardOutput.ReadLineAsync().WaitAsync(s_processLimit);
            Assert.NotNull(first);
            Assert.StartsWith("listening on udp://*:", first, StringComparison.Ordinal);
            string port = first[(first.LastIndexOf(':') + 1)..];

            using var client = Start("client", "--connect", string.Format(System.Globalization.CultureInfo.InvariantCulture, connect, port),
                "--count", "3", "--interval", "100", "--give-up", "30000", "--broadcast", "127.255.255.255");
            var (clientCode, clientOut, clientErr) = await Finish(client);
            var (serverCode, serverOut, _) = await Finish(server);

            Assert.True(clientCode == 0, clientErr);
            Assert.Equal(0, serverCode);
            var clientLines = Lines(clientOut);
            Assert.Equal(3, clientLines.Count(l => l == "ack"));
            Assert.True(clientLines.Count(l => l == "hello?") >= 3);
            Assert.All(clientLines, l => Assert.Contains(l, new[] { "hello?", "ack" }));
            Assert.Equal(["hello?", "hello?", "hello?"], Lines(serverOut));
        }
        finally
        {
            if (!server.HasExited)
                server.Kill();
        }
    }

    [Fact]
    public async Task An_unknown_scheme_is_a_usage_error_with_exit_2()
    {
        using var client = Start("client", "--connect", "foo://x:1", "--count", "1");
        var (code, _, error) = await Finish(client);
        Assert.Equal(2, code);
        Assert.Contains("No driver is registered for scheme 'foo'", error, StringComparison.Ordinal);
    }

    internal static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vtx-hello.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("vtx-hello did not start");
    }

    internal static async Task<(int Code, string Out, string Err)> Finish(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(s_processLimit);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw;
        }
        return (process.ExitCode, await output, await error);
    }
}
