using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Xunit;
using Zp.Client;
using Zp.Tests.Infrastructure;

namespace Zp.Tests;

/// <summary>
/// zpc and a zpd built before FILE-PUT: that server drops the unknown message without an answer, so
/// the first put on a connection is followed by a fence, and the connection streams small files
/// (FILE-OPEN / FILE-CHUNK / FILE-CLOSE) from then on.
/// </summary>
[Collection("zpd")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilePutCompatibilityTests
{
    private static readonly DateTime s_mtime = new(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    private static void WriteFile(string path, int size, UnixFileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        File.SetUnixFileMode(path, mode);
        File.SetLastWriteTimeUtc(path, s_mtime);
    }

    [Fact]
    public async Task Zpc_ToAZpdWithoutFilePut_TriesOnePut_ThenStreamsEveryFile_WithContentModeAndMtime()
    {
        using var zpd = new PreFilePutZpd();
        var files = Path.Combine(zpd.Directory, "src", "files");
        const UnixFileMode script = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead;
        const UnixFileMode data = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        // Twenty small files (more than the files in flight at once, and an empty one) and one
        // larger than a put, streamed whatever the server.
        for (var i = 0; i < 20; i++)
            WriteFile(Path.Combine(files, "small", $"{i:D2}.bin"), i * 1000, i % 2 == 0 ? script : data);
        WriteFile(Path.Combine(files, "large.bin"), ZpConnection.MaxPutSize + 12345, data);
        var remote = Path.Combine(zpd.Directory, "remote");

        var run = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs("-r", "--stats", files + "/", $"{ZpdProcess.User}@127.0.0.1:{remote}/"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("files 21, copied 21, identical 0, failed 0", run.StdoutText);
        var locals = Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(21, locals.Count);
        foreach (var local in locals)
        {
            var copy = Path.Combine(remote, "files", Path.GetRelativePath(files, local));
            Assert.True(File.Exists(copy), copy);
            Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(copy));
            Assert.Equal(File.GetUnixFileMode(local), File.GetUnixFileMode(copy));
            Assert.Equal(s_mtime, File.GetLastWriteTimeUtc(copy));
        }
        Assert.Equal(21, Directory.EnumerateFiles(remote, "*", SearchOption.AllDirectories).Count());
        Assert.Equal(1, zpd.PutsDropped);
        Assert.Empty(zpd.Unexpected);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Connection_LearnsPerConnection_WhetherTheServerTakesFilePut()
    {
        using var old = new PreFilePutZpd();
        var local = Path.Combine(old.Directory, "small.txt");
        WriteFile(local, 3000, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        for (var connectionNumber = 1; connectionNumber <= 2; connectionNumber++)
        {
            await using var connection = await ZpConnection.ConnectAsync(old.ConnectOptions($"compat-{connectionNumber}"));
            Assert.Null(connection.Client.TakesFilePut);
            var first = await connection.CopyFileAsync(local, $"out/first-{connectionNumber}.txt");
            Assert.False(connection.Client.TakesFilePut);
            Assert.Equal(new ZpCopyResult(false, 0, 3000), first);
            var second = await connection.CopyFileAsync(local, $"out/second-{connectionNumber}.txt");
            Assert.Equal(new ZpCopyResult(false, 0, 3000), second);
            // A new connection probes again: one dropped put each.
            Assert.Equal(connectionNumber, old.PutsDropped);
        }
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(Path.Combine(old.Directory, "out", "second-2.txt")));
        Assert.Empty(old.Unexpected);

        await using var zpd = await ZpdProcess.StartAsync();
        await using (var current = await ZpConnection.ConnectAsync(zpd.ConnectOptions("compat-current")))
        {
            // The probing put refused (a file where its directory should be) is still an answer:
            // the refusal keeps its meaning, and the server takes FILE-PUT.
            File.WriteAllText(Path.Combine(zpd.Directory, "blocked"), "in the way");
            var refused = await Assert.ThrowsAsync<ZpRequestException>(() => current.CopyFileAsync(local, Path.Combine(zpd.Directory, "blocked", "put.txt")));
            Assert.Equal(403, refused.Code);
            Assert.True(current.Client.TakesFilePut);
            var put = await current.CopyFileAsync(local, Path.Combine(zpd.Directory, "put.txt"));
            Assert.True(current.Client.TakesFilePut);
            Assert.Equal(new ZpCopyResult(false, 0, 3000), put);
        }
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(Path.Combine(zpd.Directory, "put.txt")));
    }
}
