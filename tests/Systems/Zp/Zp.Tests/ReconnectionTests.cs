using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Zp.Tests.Infrastructure;

namespace Zp.Tests;

/// <summary>ZP-12: a follow survives a broken TCP path shorter than the server timeout, with no lost or repeated lines.</summary>
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
}
