using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Xunit;
using Zp.Client;
using Zp.Tests.Infrastructure;

namespace Zp.Tests;

/// <summary>
/// Several files in flight on one connection (zpc keeps up to <see cref="ZpConnection.MaxFilesInFlight"/>):
/// every file arrives whole with its mode and mtime, and a refused file fails alone.
/// </summary>
[Collection("zpd")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PipelinedCopyTests
{
    private static readonly UnixFileMode[] s_modes =
    [
        UnixFileMode.UserRead | UnixFileMode.UserWrite,
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
        UnixFileMode.UserRead,
    ];

    /// <summary>A tree of <paramref name="count"/> files of 0–5000 bytes in 12 directories, each with one of four modes and its own mtime.</summary>
    private static List<string> WriteTree(string root, int count, int seed)
    {
        var random = new Random(seed);
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(root, $"d{i % 12:D2}", $"f{i:D4}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var data = new byte[i % 50 == 0 ? 0 : random.Next(1, 5001)];
            random.NextBytes(data);
            File.WriteAllBytes(path, data);
            File.SetUnixFileMode(path, s_modes[i % s_modes.Length]);
            File.SetLastWriteTimeUtc(path, new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i * 7));
            files.Add(path);
        }
        return files;
    }

    /// <summary><c>zpc -r --stats TREE USER@127.0.0.1:REMOTE/</c> against <paramref name="zpd"/>.</summary>
    private static Task<ZpRun> CopyTreeAsync(ZpdProcess zpd, string tree, string remote) =>
        ZpPrograms.RunZpcAsync(zpd.ZpcArgs("-r", "--stats", tree, $"{ZpdProcess.User}@127.0.0.1:{remote}/"), TimeSpan.FromSeconds(120));

    [Fact]
    public async Task ManySmallFiles_AllArriveWithTheirContentModesAndMtimes_AndASecondRunSendsNothing()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var (tree, remote) = (Path.Combine(zpd.Directory, "src", "tree"), Path.Combine(zpd.Directory, "remote"));
        var files = WriteTree(tree, 600, seed: 7);

        var run = await CopyTreeAsync(zpd, tree, remote);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("files 600, copied 600, identical 0, failed 0", run.StdoutText);
        Assert.Equal(600, files.Count);
        foreach (var local in files)
        {
            var copy = Path.Combine(remote, "tree", Path.GetRelativePath(tree, local));
            Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(copy));
            Assert.Equal(File.GetUnixFileMode(local), File.GetUnixFileMode(copy));
            Assert.Equal(File.GetLastWriteTimeUtc(local), File.GetLastWriteTimeUtc(copy));
        }
        var arrived = Directory.EnumerateFiles(remote, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(600, arrived.Count);
        Assert.DoesNotContain(arrived, f => f.EndsWith(".zpc-part", StringComparison.Ordinal));

        var again = await CopyTreeAsync(zpd, tree, remote);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("files 600, copied 0, identical 600, failed 0, bytes sent 0", again.StdoutText);
    }

    [Fact]
    public async Task OneRefusedDirectory_AmongMany_FailsOnlyItsFiles()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var (tree, remote) = (Path.Combine(zpd.Directory, "src", "tree"), Path.Combine(zpd.Directory, "remote"));
        var files = WriteTree(tree, 120, seed: 8);
        // A regular file where directory d05 should be: zpd refuses each of its 10 files at the offer.
        Directory.CreateDirectory(Path.Combine(remote, "tree"));
        File.WriteAllText(Path.Combine(remote, "tree", "d05"), "in the way");

        var run = await CopyTreeAsync(zpd, tree, remote);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("files 120, copied 110, identical 0, failed 10", run.StdoutText);
        var refused = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, refused.Length);
        Assert.All(refused, line => Assert.Matches(@"^zpc: .*/d05/f\d{4}\.bin: cannot write .* \(403\)$", line));
        foreach (var local in files.Where(f => !f.Contains("/d05/", StringComparison.Ordinal)))
            Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(Path.Combine(remote, "tree", Path.GetRelativePath(tree, local))));
    }

    [Fact]
    public async Task ConcurrentCopies_OfSizesAroundTheChunk_ArriveWhole()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        const int chunk = ExecKeys.FileChunk;
        long[] sizes = [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 17, 9L * 1024 * 1024 + 5, 12_345];
        var random = new Random(9);
        var locals = new List<string>();
        foreach (var size in sizes)
        {
            var path = Path.Combine(zpd.Directory, "src", $"s{size}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var data = new byte[size];
            random.NextBytes(data);
            File.WriteAllBytes(path, data);
            locals.Add(path);
        }
        await using var connection = await ZpConnection.ConnectAsync(zpd.ConnectOptions("pipelined"));
        var results = await Task.WhenAll(locals.Select(local => connection.CopyFileAsync(local, Path.Combine(zpd.Directory, "dst", Path.GetFileName(local)))));
        Assert.Equal(sizes.Length, results.Length);
        for (var i = 0; i < sizes.Length; i++)
        {
            Assert.Equal((false, 0L, sizes[i]), (results[i].Identical, results[i].ResumedAt, results[i].Sent));
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(locals[i])), SHA256.HashData(File.ReadAllBytes(Path.Combine(zpd.Directory, "dst", Path.GetFileName(locals[i])))));
        }
    }

    [Fact]
    public async Task SameSizeButNewerMtime_IsSentAgain()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var local = Path.Combine(zpd.Directory, "note.txt");
        File.WriteAllText(local, "version 1");
        File.SetLastWriteTimeUtc(local, new DateTime(2022, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        var remote = Path.Combine(zpd.Directory, "out", "note.txt");
        var args = zpd.ZpcArgs("--stats", local, $"{ZpdProcess.User}@127.0.0.1:{remote}");
        Assert.Contains("copied 1, identical 0", (await ZpPrograms.RunZpcAsync(args)).StdoutText);
        File.WriteAllText(local, "version 2");
        File.SetLastWriteTimeUtc(local, new DateTime(2022, 5, 6, 7, 8, 10, DateTimeKind.Utc));
        var second = await ZpPrograms.RunZpcAsync(args);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("copied 1, identical 0", second.StdoutText);
        Assert.Equal("version 2", File.ReadAllText(remote));
    }
}
