using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Reliability.Tests;

/// <summary>
/// The bounded soak run: the zproto-soak tool at its <c>ci</c> scale against real zbroker and
/// remctl-zmqd processes (RSS from /proc). The full run is <c>dotnet run -c Release --project
/// tests/Systems/Reliability/Zproto.Soak full</c>; its results are in docs/reliability.md.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_attack_stays_within_its_memory_bound_and_both_servers_exit_0()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zproto-soak.dll"));
        info.ArgumentList.Add("ci");
        using var soak = Process.Start(info)!;
        var stdout = soak.StandardOutput.ReadToEndAsync();
        var stderr = soak.StandardError.ReadToEndAsync();
        if (!soak.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            soak.Kill(entireProcessTree: true);
            Assert.Fail("the soak run did not finish within 5 minutes");
        }
        var report = await stdout;
        output.WriteLine(report);
        output.WriteLine(await stderr);
        // 5 zbroker attacks, 4 remctl-zmqd attacks, and a SIGTERM exit for each server.
        Assert.Contains("all 12 bounds held", report, StringComparison.Ordinal);
        Assert.Equal(0, soak.ExitCode);
    }
}
