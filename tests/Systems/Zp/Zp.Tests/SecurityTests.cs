using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using Zp.Client;
using Zp.Tests.Infrastructure;
using Zproto.Runtime.Zmq;

namespace Zp.Tests;

/// <summary>authorized_keys enforced per connection, with zpd and zp as real processes over CURVE on 127.0.0.1.</summary>
[Collection("zpd")]
public sealed class AuthorizedKeysProcessTests
{
    [Fact]
    public async Task A_key_may_act_only_as_the_users_on_its_own_line()
    {
        var otherDirectory = Path.Combine(Path.GetTempPath(), "zp-tests-other-" + Guid.NewGuid().ToString("N"));
        var other = KeyFiles.Generate(otherDirectory);
        try
        {
            // The second key is authorized, but for another user than the one zpd runs as.
            await using var zpd = await ZpdProcess.StartAuthorizingAsync(new[] { $"{other.PublicKey} someone-else" });

            var allowed = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "echo", "ok"));
            Assert.Equal(0, allowed.ExitCode);
            Assert.Equal("ok\n", allowed.StdoutText);

            var refused = await ZpPrograms.RunZpAsync(new[] { "--identity", otherDirectory, "--known-hosts", zpd.KnownHostsFile, zpd.Target, "echo", "no" });
            Assert.Equal(255, refused.ExitCode);
            Assert.Equal("", refused.StdoutText);
            Assert.Contains($"refused: 403 this client key may not act as '{ZpdProcess.User}' (authorized_keys)", refused.Stderr);
        }
        finally
        {
            Directory.Delete(otherDirectory, recursive: true);
        }
    }
}

/// <summary>First-use trust of zpd's key (ssh's accept-new), with zpd, zp and zpc as real processes on 127.0.0.1.</summary>
[Collection("zpd")]
public sealed class HostKeyTrustTests
{
    [Fact]
    public async Task Accept_new_fetches_records_and_uses_the_key_zpd_serves()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        File.Delete(zpd.KnownHostsFile);
        var keyPort = Assert.IsType<int>(zpd.KeyPort);

        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs("--accept-new", "--key-port", keyPort.ToString(CultureInfo.InvariantCulture), zpd.Target, "echo", "trusted"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("trusted\n", run.StdoutText);
        Assert.Equal($"127.0.0.1:{zpd.Port} {zpd.ServerKey}\n", File.ReadAllText(zpd.KnownHostsFile));
        Assert.Contains($"zp: added 127.0.0.1:{zpd.Port} ({HostKeys.Fingerprint(zpd.ServerKey)}) to {zpd.KnownHostsFile}", run.Stderr);

        // Known now: zpc copies with it, without --accept-new.
        var source = Path.Combine(zpd.Directory, "note.txt");
        File.WriteAllText(source, "hello");
        var copy = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs(source, $"{ZpdProcess.User}@127.0.0.1:{zpd.Directory}/copied.txt"));
        Assert.Equal(0, copy.ExitCode);
        Assert.Equal("hello", File.ReadAllText(Path.Combine(zpd.Directory, "copied.txt")));
    }

    [Fact]
    public async Task An_unknown_host_is_refused_when_nobody_can_be_asked()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        File.Delete(zpd.KnownHostsFile);

        // The test's redirected stdin is not a terminal, so zp does not prompt.
        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs(zpd.Target, "echo", "no"));
        var copy = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs(zpd.KnownHostsFile + ".none", $"{ZpdProcess.User}@127.0.0.1:x"));

        Assert.Equal(255, run.ExitCode);
        Assert.Equal("", run.StdoutText);
        Assert.Contains($"zp: server not reachable or key mismatch: 127.0.0.1:{zpd.Port} is not in {zpd.KnownHostsFile}; use --accept-new", run.Stderr);
        Assert.Equal(255, copy.ExitCode);
        Assert.False(File.Exists(zpd.KnownHostsFile));
    }

    [Fact]
    public async Task A_key_that_differs_from_known_hosts_is_refused_even_with_accept_new()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var impostor = ZmqCurve.GenerateKeyPair().PublicKey;
        var recorded = $"127.0.0.1:{zpd.Port} {impostor}\n";
        File.WriteAllText(zpd.KnownHostsFile, recorded);
        var keyPort = Assert.IsType<int>(zpd.KeyPort).ToString(CultureInfo.InvariantCulture);

        var run = await ZpPrograms.RunZpAsync(zpd.ZpArgs("--accept-new", "--key-port", keyPort, "--connect-timeout", "1000", zpd.Target, "echo", "no"));

        Assert.Equal(255, run.ExitCode);
        Assert.Equal("", run.StdoutText);
        Assert.Contains($"zp: server not reachable or key mismatch: 127.0.0.1:{zpd.Port} shows the key {HostKeys.Fingerprint(zpd.ServerKey)}, but {zpd.KnownHostsFile} has {HostKeys.Fingerprint(impostor)}; refusing.", run.Stderr);
        Assert.Equal(recorded, File.ReadAllText(zpd.KnownHostsFile));
    }

    [Fact]
    public void Fingerprint_is_sha256_of_the_key_bytes_in_unpadded_base64()
    {
        // The value computed independently (Python: Z85-decode, hashlib.sha256, base64 without '=').
        Assert.Equal("SHA256:67OvTdmc7/Nun5C12z5FDkr9NWhEMfqfDsnuWvXD6MM", HostKeys.Fingerprint("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"));
    }
}
