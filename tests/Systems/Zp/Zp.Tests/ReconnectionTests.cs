using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using Zp.Tests.Infrastructure;

namespace Zp.Tests;

/// <summary>
/// ZP-12: a follow survives a broken TCP path shorter than the server timeout, with no lost or
/// repeated lines; a copy interrupted the same way continues in the same zpc run.
/// </summary>
[Collection("zpd")]
public sealed class ReconnectionTests
{
    [Fact]
    public async Task ZP12_FollowResumesAfterA3SecondBreak_WithoutLossOrDuplicates()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var proxy = new BreakableProxy(zpd.Port);
        File.AppendAllText(zpd.KnownHostsFile, $"127.0.0.1:{proxy.Port} {zpd.ServerKey}\n");
        var viaProxy = $"{ZpdProcess.User}@127.0.0.1:{proxy.Port}";
        const int lines = 16;
        var script = $"i=1; while [ $i -le {lines} ]; do echo line$i; i=$((i+1)); sleep 0.5; done";
        var id = (await ZpPrograms.RunZpAsync(zpd.ZpArgs("--async", zpd.Target, "sh", "-c", script))).StdoutText.Trim();
        Assert.Matches("^[0-9]+$", id);

        var follow = ZpPrograms.RunZpAsync(zpd.ZpArgs("job", "follow", "--stdout", viaProxy, id), limit: TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        proxy.Break();
        await Task.Delay(TimeSpan.FromSeconds(3));
        proxy.Restore();

        var run = await follow;
        Assert.Equal(0, run.ExitCode);
        var expected = string.Concat(Enumerable.Range(1, lines).Select(i => $"line{i}\n"));
        Assert.Equal(expected, run.StdoutText);
        Assert.True(proxy.Accepted >= 2, "the client never reconnected: the break did not happen");
    }

    /// <summary>
    /// The proxy stops forwarding after 16 MiB of a 48 MiB copy: paused (connections open, a
    /// stalled route) for 5 s, or broken (connections closed and refused) for 3 s. zpc's session
    /// goes silent, is re-opened when the path is back, and the same run continues the file from
    /// what zpd has: exit 0, the same SHA-256, and at most one credit window sent twice.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ZP12_CopyContinuesInTheSameRun_WhenThePathComesBack(bool breakConnections)
    {
        const long size = 48L * 1024 * 1024;
        await using var zpd = await ZpdProcess.StartAsync("--verbose");
        using var proxy = new BreakableProxy(zpd.Port);
        File.AppendAllText(zpd.KnownHostsFile, $"127.0.0.1:{proxy.Port} {zpd.ServerKey}\n");
        var local = Path.Combine(zpd.Directory, "big.bin");
        using (var file = File.Create(local))
        {
            var buffer = new byte[1024 * 1024];
            for (var i = 0; i < size / buffer.Length; i++)
            {
                RandomNumberGenerator.Fill(buffer);
                file.Write(buffer);
            }
        }
        var remote = Path.Combine(zpd.Directory, "copy.bin");
        proxy.PauseAfter(16L * 1024 * 1024);

        var copy = ZpPrograms.RunZpcAsync(new[]
        {
            "--identity", zpd.IdentityDirectory, "--known-hosts", zpd.KnownHostsFile, "-p", proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--stats", local, $"{ZpdProcess.User}@127.0.0.1:{remote}",
        }, TimeSpan.FromMinutes(2));
        await proxy.Paused.WaitAsync(TimeSpan.FromSeconds(60));
        if (breakConnections)
        {
            proxy.Break();
            await Task.Delay(TimeSpan.FromSeconds(3));
            proxy.Restore();
        }
        else
        {
            // Longer than three heartbeats: zpc decides the session is gone and re-opens it.
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        proxy.Resume();

        var run = await copy;
        Assert.True(run.ExitCode == 0, $"zpc exited {run.ExitCode}: {run.Stderr}");
        using (var a = File.OpenRead(local))
        using (var b = File.OpenRead(remote))
            Assert.Equal(Convert.ToHexString(SHA256.HashData(a)), Convert.ToHexString(SHA256.HashData(b)));
        var sent = long.Parse(Regex.Match(run.StdoutText, @"bytes sent (\d+)").Groups[1].Value);
        // At most zpd's 8 MiB window was in flight when the path went down.
        Assert.InRange(sent, size, size + 8 * 1024 * 1024);
        // The session really was opened twice (zpd --verbose traces each SESSION-OPEN event).
        Assert.True(Regex.Matches(zpd.Stderr, "SESSION-OPEN").Count >= 2, $"one session only:\n{zpd.Stderr[..Math.Min(zpd.Stderr.Length, 4000)]}");
        if (breakConnections)
            Assert.True(proxy.Accepted >= 2, "zpc never reconnected: the break did not happen");
    }
}
