using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Zp.Client.Codec;
using Zp.Tests.Infrastructure;

namespace Zp.Tests;

/// <summary>The spec's acceptance scenarios ZP-01 … ZP-08, ZP-13 and ZP-14 (systems.md §1.9), with zpd and zp as real processes on 127.0.0.1.</summary>
[Collection("zpd")]
public sealed class AcceptanceTests
{
    [Fact]
    public async Task ZP01_ConnectionOpenBytes_AreAnsweredByOk200()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var dealer = new RawDealer(zpd);
        // CONNECTION-OPEN "MALAMUTE" v1 client_id "c1", byte for byte from the spec. It acts as zpd's own user.
        dealer.SendRaw(Hex.Parse("AA AA 01 08 4D 41 4C 41 4D 55 54 45 00 01 02 63 31"));
        dealer.Expect<ZpMsg.Ok>();
        Assert.Equal(Hex.Parse("AA AA 05 00 C8"), dealer.LastFrame[..5]);
    }

    [Fact]
    public async Task ZP02_ExecWithoutSession_IsError4xx_AndOpenStillSucceeds()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var dealer = new RawDealer(zpd);
        dealer.SendRaw(Hex.Parse("AA AA 07 00 00 00 01 00 00 00 04 74 72 75 65 00 00 00 00 00 00 00 00"));
        var error = dealer.Expect<ZpMsg.Error>();
        Assert.Equal(Hex.Parse("AA AA 06"), dealer.LastFrame[..3]);
        Assert.InRange(error.Code, 400, 499);
        dealer.Open("c2");
    }

    [Fact]
    public async Task ZP03_PipeSemantics_GrepReadsStdin()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "grep", "alice"), Encoding.ASCII.GetBytes("root:x\nalice:x\nbob:x\n"));
        Assert.Equal("alice:x\n", run.StdoutText);
        Assert.Equal("", run.Stderr);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task ZP04_ExitCodeAndStderrSeparation()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "sh", "-c", "echo out; echo err 1>&2; exit 3"));
        Assert.Equal("out\n", run.StdoutText);
        Assert.Equal("err\n", run.Stderr);
        Assert.Equal(3, run.ExitCode);
    }

    [Fact]
    public async Task ZP05_StdinIsStreamedCompletely_AndEofDelivered()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "wc", "-c"), data);
        Assert.Equal("1048576", run.StdoutText.Trim());
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task BinaryOutput_IsUnmodified()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "cat"), data);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(run.Stdout));
    }

    [Fact]
    public async Task CommandNotFound_Exits127_WithTheReasonOnStderr()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "no-such-command-zp"));
        Assert.Equal(127, run.ExitCode);
        Assert.Contains("no-such-command-zp: command not found", run.Stderr);
    }

    [Fact]
    public async Task SignalledCommand_Exits128PlusN()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "sh", "-c", "kill -9 $$"));
        Assert.Equal(137, run.ExitCode);
    }

    [Fact]
    public async Task ZP06_AsyncJobLifecycle()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var started = await ZpPrograms.RunZpAsync(zpd.ZpArgs("--async", zpd.Target, "sleep", "3"));
        Assert.Equal(0, started.ExitCode);
        var id = started.StdoutText.Trim();
        Assert.Matches("^[0-9]+$", id);

        var jobs = await ZpPrograms.RunZpAsync(zpd.ZpArgs("jobs", zpd.Target));
        Assert.Contains(id, jobs.StdoutText.Split('\n'));

        var status = await ZpPrograms.RunZpAsync(zpd.ZpArgs("job", "status", zpd.Target, id));
        var lines = status.StdoutText.Split('\n');
        Assert.Equal(id, lines[0]);
        Assert.Contains("    status = running", lines);
        Assert.Contains("    command_line = \"sleep 3\"", lines);

        // Poll (bounded) until it finished: about 3 s after the start.
        var deadline = Stopwatch.StartNew();
        while (!status.StdoutText.Contains("status = finished", StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(500);
            status = await ZpPrograms.RunZpAsync(zpd.ZpArgs("job", "status", zpd.Target, id));
        }
        lines = status.StdoutText.Split('\n');
        Assert.Contains("    status = finished", lines);
        Assert.Contains("    returncode = 0", lines);
    }

    private const string Counting = "for i in 1 2 3; do echo $i; echo e$i >&2; sleep 1; done";

    [Fact]
    public async Task ZP07_FollowStdout_PrintsOnlyStdout_AndExitsWithTheJob()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var id = (await ZpPrograms.RunZpAsync(zpd.ZpArgs("--async", zpd.Target, "sh", "-c", Counting))).StdoutText.Trim();
        var follow = await ZpPrograms.RunZpAsync(zpd.ZpArgs("job", "follow", "--stdout", zpd.Target, id));
        Assert.Equal("1\n2\n3\n", follow.StdoutText);
        Assert.Equal("", follow.Stderr);
        Assert.Equal(0, follow.ExitCode);
    }

    [Fact]
    public async Task ZP07_FollowAll_AlsoShowsStderr()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var id = (await ZpPrograms.RunZpAsync(zpd.ZpArgs("--async", zpd.Target, "sh", "-c", Counting))).StdoutText.Trim();
        var follow = await ZpPrograms.RunZpAsync(zpd.ZpArgs("job", "follow", "--all", zpd.Target, id));
        Assert.Equal("1\n2\n3\n", follow.StdoutText);
        Assert.Equal("e1\ne2\ne3\n", follow.Stderr);
        Assert.Equal(0, follow.ExitCode);
    }

    [Fact]
    public async Task ZP08_CancelReturns143_AndUnknownHandleIs404()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var id = (await ZpPrograms.RunZpAsync(zpd.ZpArgs("--async", zpd.Target, "sleep", "100"))).StdoutText.Trim();
        var cancel = await ZpPrograms.RunZpAsync(zpd.ZpArgs("job", "cancel", zpd.Target, id));
        Assert.Equal("returncode = 143\n", cancel.StdoutText);
        var status = await ZpPrograms.RunZpAsync(zpd.ZpArgs("job", "status", zpd.Target, id));
        Assert.Contains("    status = cancelled", status.StdoutText.Split('\n'));

        using var dealer = new RawDealer(zpd);
        dealer.Open("c8");
        dealer.Send(new ZpMsg.ExecStatusGet { Handle = 999_999 });
        Assert.Equal(404, dealer.Expect<ZpMsg.Error>().Code);
        var unknown = await ZpPrograms.RunZpAsync(zpd.ZpArgs("job", "status", zpd.Target, "999999"));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no such job (404)", unknown.Stderr);
    }

    [Fact]
    public async Task ZP13_SilentSessionExpires_PingedSessionSurvives()
    {
        // A 2 s timeout instead of zpd.cfg's 10 s keeps the test short; the mechanism is the same.
        await using var zpd = await ZpdProcess.StartAsync("--timeout", "2000");
        using var silent = new RawDealer(zpd);
        silent.Open("silent");
        using var pinging = new RawDealer(zpd);
        pinging.Open("pinging");
        // Pings every 200 ms (a ten-fold margin on the timeout, which a loaded machine's stalls cannot
        // eat; 500 ms was a four-fold one) for twice the timeout, which the silent session cannot outlive.
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(200);
            pinging.Send(new ZpMsg.ConnectionPing());
            pinging.Expect<ZpMsg.ConnectionPong>();
            Assert.Equal(Hex.Parse("AA AA 03"), pinging.LastFrame);
        }
        silent.Send(new ZpMsg.ExecList());
        Assert.Equal(400, silent.Expect<ZpMsg.Error>().Code);
        pinging.Send(new ZpMsg.ExecList());
        pinging.Expect<ZpMsg.ExecListReply>();
    }

    [Fact]
    public async Task ZP14_WrongServerKey_Exits255_WithinTheConnectTimeout()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var wrong = Zproto.Runtime.Zmq.ZmqCurve.GenerateKeyPair().PublicKey;
        File.WriteAllText(zpd.KnownHostsFile, $"127.0.0.1:{zpd.Port} {wrong}\n");
        var clock = Stopwatch.StartNew();
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "true"));
        Assert.Equal(255, run.ExitCode);
        Assert.Contains("server not reachable or key mismatch", run.Stderr);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ZP14_UnauthorizedClientKey_IsRejected_AndTheAuthorizedOneWorks()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var stranger = Path.Combine(zpd.Directory, "stranger");
        Zp.Client.KeyFiles.Generate(stranger);
        var refused = await ZpPrograms.RunZpAsync(new[] { "--identity", stranger, "--known-hosts", zpd.KnownHostsFile, "--connect-timeout", "2000", zpd.Target, "true" });
        Assert.Equal(255, refused.ExitCode);
        Assert.Contains("server not reachable or key mismatch", refused.Stderr);
        var ok = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "true"));
        Assert.Equal(0, ok.ExitCode);
    }

    [Fact]
    public async Task UnknownServer_IsNotInKnownHosts_Exits255()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        File.WriteAllText(zpd.KnownHostsFile, "");
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "true"));
        Assert.Equal(255, run.ExitCode);
        Assert.Contains("is not in", run.Stderr);
    }

    [Fact]
    public async Task UserNotAllowed_IsRefused403_Exits255()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs($"nobody-zp-test@127.0.0.1:{zpd.Port}", "true"));
        Assert.Equal(255, run.ExitCode);
        Assert.Contains("403", run.Stderr);
    }

    [Fact]
    public async Task Sigterm_TerminatesRunningJobs_AndExits0()
    {
        var zpd = await ZpdProcess.StartAsync();
        await using (zpd)
        {
            var id = (await ZpPrograms.RunZpAsync(zpd.ZpArgs("--async", zpd.Target, "sleep", "100"))).StdoutText.Trim();
            Assert.Matches("^[0-9]+$", id);
            ZpPrograms.Signal(zpd.Process, ZpPrograms.SIGTERM);
            Assert.True(zpd.Process.WaitForExit(20_000), "zpd did not stop on SIGTERM");
            Assert.Equal(0, zpd.Process.ExitCode);
            Assert.Contains("terminating 1 running job(s)", zpd.Stderr);
        }
    }

    [Fact]
    public async Task UdpTarget_IsRejectedClearly()
    {
        var run = await ZpPrograms.RunZpAsync(new[] { "alice@udp://localhost", "true" });
        Assert.Equal(255, run.ExitCode);
        Assert.Contains("no UDP transport", run.Stderr);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Keygen_WritesAPair_AndPrintsThePublicKey()
    {
        var directory = Path.Combine(Path.GetTempPath(), "zp-keygen-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = await ZpPrograms.RunZpAsync(new[] { "keygen", directory });
            Assert.Equal(0, run.ExitCode);
            var printed = run.StdoutText.Trim();
            Assert.Equal(printed, File.ReadAllText(Path.Combine(directory, "key.pub")).Trim());
            Assert.Equal(printed, Zp.Client.KeyFiles.Load(directory).PublicKey);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "key")));
            var again = await ZpPrograms.RunZpAsync(new[] { "keygen", directory });
            Assert.Equal(255, again.ExitCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
