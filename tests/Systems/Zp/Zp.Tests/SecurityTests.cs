using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using Zp.Client;
using Zp.Tests.Infrastructure;

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
