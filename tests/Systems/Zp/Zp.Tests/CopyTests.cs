using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using Zp.Tests.Infrastructure;
using Zpd;

namespace Zp.Tests;

/// <summary>zpc with zpd as processes: ZP-09 recursive copy, ZP-10 resume, identical files skipped, modes and mtimes, a 64 MiB copy.</summary>
[Collection("zpd")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CopyTests
{
    private static string Digest(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static void WriteRandom(string path, long size)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        var buffer = new byte[1024 * 1024];
        for (long written = 0; written < size; written += buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    private static long BytesSent(ZpRun run)
    {
        var match = Regex.Match(run.StdoutText, @"bytes sent (\d+)");
        Assert.True(match.Success, $"no stats in '{run.StdoutText}', stderr: {run.Stderr}");
        return long.Parse(match.Groups[1].Value);
    }

    [Fact]
    public async Task ZP09_RecursiveCopy_KeepsRelativePathsAndDigests()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var files = Path.Combine(zpd.Directory, "src", "files");
        WriteRandom(Path.Combine(files, "empty.bin"), 0);
        WriteRandom(Path.Combine(files, "a", "one-k.bin"), 1024);
        WriteRandom(Path.Combine(files, "a", "b", "ten-m.bin"), 10 * 1024 * 1024);
        var remote = Path.Combine(zpd.Directory, "remote");
        var run = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs("-r", "--stats", files + "/", $"{ZpdProcess.User}@127.0.0.1:{remote}/"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("files 3, copied 3, identical 0, failed 0", run.StdoutText);
        foreach (var local in Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(remote, "files", Path.GetRelativePath(files, local));
            Assert.True(File.Exists(copy), copy);
            Assert.Equal(Digest(local), Digest(copy));
        }
        Assert.Equal(3, Directory.EnumerateFiles(remote, "*", SearchOption.AllDirectories).Count());
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task SecondRun_SkipsIdenticalFiles_AndModesAndMtimesAreKept()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var local = Path.Combine(zpd.Directory, "script.sh");
        WriteRandom(local, 5000);
        File.SetUnixFileMode(local, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        var mtime = new DateTime(2020, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(local, mtime);
        var remote = Path.Combine(zpd.Directory, "out", "copied.sh");
        var first = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs("--stats", local, $"{ZpdProcess.User}@127.0.0.1:{remote}"));
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(5000, BytesSent(first));
        Assert.Equal(File.GetUnixFileMode(local), File.GetUnixFileMode(remote));
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(remote));
        var second = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs("--stats", local, $"{ZpdProcess.User}@127.0.0.1:{remote}"));
        Assert.Contains("copied 0, identical 1", second.StdoutText);
        Assert.Equal(0, BytesSent(second));
    }

    [Fact]
    public async Task ZP10_InterruptedCopy_ResumesWithOnlyTheMissingBytes()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        const long size = 100L * 1024 * 1024;
        var local = Path.Combine(zpd.Directory, "big.bin");
        WriteRandom(local, size);
        var remote = Path.Combine(zpd.Directory, "remote", "big.bin");
        var part = FileTransfers.PartPath(remote);
        var args = zpd.ZpcArgs("--stats", local, $"{ZpdProcess.User}@127.0.0.1:{remote}");

        // Kill zpc once about 40 MiB arrived.
        using (var interrupted = ZpPrograms.Start(ZpPrograms.ZpcDll, args))
        {
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(part) && new FileInfo(part).Length >= 40L * 1024 * 1024) && !interrupted.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120))
                await Task.Delay(20);
            Assert.False(interrupted.HasExited, "zpc finished before it could be interrupted");
            interrupted.Kill();
            await interrupted.WaitForExitAsync();
        }
        Assert.False(File.Exists(remote));
        var had = new FileInfo(part).Length;
        Assert.InRange(had, 40L * 1024 * 1024, size - 1);

        var resumed = await ZpPrograms.RunZpcAsync(args, TimeSpan.FromSeconds(180));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.True(BytesSent(resumed) < 61L * 1024 * 1024, resumed.StdoutText);
        // Chunks already queued when zpc died may still have been written after 'had' was measured.
        Assert.InRange(BytesSent(resumed), 1, size - had);
        Assert.Equal(Digest(local), Digest(remote));
        Assert.False(File.Exists(part));
    }

    [Fact]
    public async Task LargeFile_64MiB_ArrivesWithTheSameSha256()
    {
        // The 1 GiB version is the same test with a bigger size (docs/zp.md).
        await using var zpd = await ZpdProcess.StartAsync();
        var local = Path.Combine(zpd.Directory, "large.bin");
        WriteRandom(local, 64L * 1024 * 1024);
        var run = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs(local, $"{ZpdProcess.User}@127.0.0.1:{zpd.Directory}/copy/"), TimeSpan.FromSeconds(180));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(Digest(local), Digest(Path.Combine(zpd.Directory, "copy", "large.bin")));
    }

    [Fact]
    public async Task DirectoryWithoutR_AndMissingSource_AreUsageErrors()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var dir = Directory.CreateDirectory(Path.Combine(zpd.Directory, "d")).FullName;
        var noR = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs(dir, $"{ZpdProcess.User}@127.0.0.1:x"));
        Assert.Equal(255, noR.ExitCode);
        Assert.Contains("is a directory (use -r)", noR.Stderr);
        var missing = await ZpPrograms.RunZpcAsync(zpd.ZpcArgs(Path.Combine(dir, "nope"), $"{ZpdProcess.User}@127.0.0.1:x"));
        Assert.Equal(255, missing.ExitCode);
        Assert.Contains("no such file or directory", missing.Stderr);
    }
}

/// <summary>The receiver on its own: order, size, digest and resume rules.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileTransfersTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("zp-files-").FullName;
    private readonly FileTransfers _files = new(window: 1000);

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    [Fact]
    public void Chunks_InOrder_ThenClose_PutTheFileInPlace()
    {
        var data = RandomNumberGenerator.GetBytes(3000);
        var open = _files.Open("o", _home, "d/f.bin", data.Length, 0x1A4, 0, Sha(data));
        Assert.Equal((false, 0L, 1000L), (open.Identical, open.Offset, open.Credit));
        Assert.Equal(1000, _files.Write("o", open.Handle, 0, data.AsSpan(0, 1000)));
        Assert.Equal(3000, _files.Write("o", open.Handle, 1000, data.AsSpan(1000)));
        _files.Close("o", open.Handle);
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(_home, "d", "f.bin")));
        Assert.True(_files.Open("o", _home, "d/f.bin", data.Length, 0x1A4, 0, Sha(data)).Identical);
    }

    [Fact]
    public void Gap_Overflow_OtherOwner_AndBadDigest_AreRefused()
    {
        var data = RandomNumberGenerator.GetBytes(100);
        var open = _files.Open("o", _home, "g.bin", data.Length, 0x1A4, 0, new string('0', 64));
        Assert.Equal(400, Assert.Throws<JobRequestException>(() => _files.Write("o", open.Handle, 10, data)).Code);
        Assert.Equal(400, Assert.Throws<JobRequestException>(() => _files.Write("o", open.Handle, 0, new byte[101])).Code);
        Assert.Equal(404, Assert.Throws<JobRequestException>(() => _files.Write("x", open.Handle, 0, data)).Code);
        _files.Write("o", open.Handle, 0, data);
        Assert.Equal(409, Assert.Throws<JobRequestException>(() => _files.Close("o", open.Handle)).Code);
        Assert.False(File.Exists(Path.Combine(_home, "g.bin")));
        Assert.False(File.Exists(FileTransfers.PartPath(Path.Combine(_home, "g.bin"))));
    }

    [Fact]
    public void Reopen_ResumesFromThePartialFile()
    {
        var data = RandomNumberGenerator.GetBytes(2000);
        var first = _files.Open("o", _home, "r.bin", data.Length, 0x1A4, 0, Sha(data));
        _files.Write("o", first.Handle, 0, data.AsSpan(0, 700));
        _files.Dispose();
        using var again = new FileTransfers();
        var second = again.Open("o", _home, "r.bin", data.Length, 0x1A4, 0, Sha(data));
        Assert.Equal(700, second.Offset);
        again.Write("o", second.Handle, 700, data.AsSpan(700));
        again.Close("o", second.Handle);
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(_home, "r.bin")));
    }

    [Fact]
    public void RandomChunkSizes_WithTheDigestAtClose_RebuildEachFile()
    {
        // The sender hashes while sending and names the digest only at close; the receiver takes
        // chunks of whatever size arrives, up to its window.
        var random = new Random(11);
        var cases = 0;
        for (var i = 0; i < 25; i++, cases++)
        {
            var data = new byte[i == 0 ? 0 : random.Next(1, 20_000)];
            random.NextBytes(data);
            var open = _files.Open("o", _home, $"rand/{i}.bin", data.Length, 0x1A4, 0, digest: "");
            Assert.False(open.Identical);
            for (var offset = 0; offset < data.Length;)
            {
                var size = Math.Min(random.Next(1, 1001), data.Length - offset);
                Assert.Equal(offset + size, _files.Write("o", open.Handle, offset, data.AsSpan(offset, size)));
                offset += size;
            }
            _files.Close("o", open.Handle, Sha(data));
            Assert.Equal(data, File.ReadAllBytes(Path.Combine(_home, "rand", $"{i}.bin")));
        }
        Assert.Equal(25, cases);
    }

    [Fact]
    public void DigestAtClose_Mismatch_Is409_AndNoDigestAtAll_Is400()
    {
        var data = RandomNumberGenerator.GetBytes(500);
        var open = _files.Open("o", _home, "m.bin", data.Length, 0x1A4, 0, digest: "");
        _files.Write("o", open.Handle, 0, data);
        Assert.Equal(400, Assert.Throws<JobRequestException>(() => _files.Close("o", open.Handle, "")).Code);
        Assert.Equal(409, Assert.Throws<JobRequestException>(() => _files.Close("o", open.Handle, new string('0', 64))).Code);
        Assert.False(File.Exists(Path.Combine(_home, "m.bin")));
        Assert.False(File.Exists(FileTransfers.PartPath(Path.Combine(_home, "m.bin"))));
    }

    [Fact]
    public void WithoutADigest_SameSizeAndMtime_IsIdentical_AnotherMtimeIsNot()
    {
        var data = RandomNumberGenerator.GetBytes(300);
        const long mtime = 1_600_000_000_123;
        var open = _files.Open("o", _home, "q.bin", data.Length, 0x1A4, mtime, digest: "");
        _files.Write("o", open.Handle, 0, data);
        _files.Close("o", open.Handle, Sha(data));
        Assert.True(_files.Open("o", _home, "q.bin", data.Length, 0x1A4, mtime, digest: "").Identical);
        Assert.False(_files.Open("o", _home, "q.bin", data.Length, 0x1A4, mtime + 1000, digest: "").Identical);
        Assert.False(_files.Open("o", _home, "q.bin", data.Length + 1, 0x1A4, mtime, digest: "").Identical);
    }

    [Fact]
    public void Reopen_WithTheDigestAtClose_ResumesAndVerifiesTheWholeFile()
    {
        var data = RandomNumberGenerator.GetBytes(5000);
        var first = _files.Open("o", _home, "rr.bin", data.Length, 0x1A4, 0, digest: "");
        _files.Write("o", first.Handle, 0, data.AsSpan(0, 1800));
        _files.Dispose();
        using var again = new FileTransfers();
        var second = again.Open("o", _home, "rr.bin", data.Length, 0x1A4, 0, digest: "");
        Assert.Equal(1800, second.Offset);
        again.Write("o", second.Handle, 1800, data.AsSpan(1800));
        again.Close("o", second.Handle, Sha(data));
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(_home, "rr.bin")));
    }

    [Fact]
    public void WithFlushToDisk_TheFileIsSyncedAndInPlace()
    {
        using var syncing = new FileTransfers(flushToDisk: true);
        var data = RandomNumberGenerator.GetBytes(70_000);
        var open = syncing.Open("o", _home, "synced.bin", data.Length, 0x1A4, 0, digest: "");
        syncing.Write("o", open.Handle, 0, data);
        syncing.Close("o", open.Handle, Sha(data));
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(_home, "synced.bin")));
        Assert.Equal(0, syncing.Count);
    }

    [Fact]
    public void AFailedWrite_IsAcknowledged_AndReportedAtClose_As507()
    {
        // The temporary file is a link to /dev/full: every write fails with "no space left".
        var target = Path.Combine(_home, "full.bin");
        File.CreateSymbolicLink(FileTransfers.PartPath(target), "/dev/full");
        var data = RandomNumberGenerator.GetBytes(2000);
        var open = _files.Open("o", _home, "full.bin", data.Length, 0x1A4, 0, digest: "");
        Assert.Equal(1000, _files.Write("o", open.Handle, 0, data.AsSpan(0, 1000)));
        Assert.Equal(2000, _files.Write("o", open.Handle, 1000, data.AsSpan(1000)));
        var refused = Assert.Throws<JobRequestException>(() => _files.Close("o", open.Handle, Sha(data)));
        Assert.Equal(507, refused.Code);
        Assert.Contains("cannot write", refused.Message);
        Assert.False(File.Exists(target));
        Assert.Equal(0, _files.Count);
    }

    [Fact]
    public void Put_VerifiesWritesAndRenames_ThenTheSameSizeAndMtimeIsIdentical()
    {
        var data = RandomNumberGenerator.GetBytes(4000);
        const long mtime = 1_600_000_000_000;
        var path = Path.Combine(_home, "p", "put.bin");
        Assert.False(_files.Put(_home, "p/put.bin", 0x180, mtime, Sha(data), data));
        Assert.Equal(data, File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(mtime, new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeMilliseconds());
        Assert.False(File.Exists(FileTransfers.PartPath(path)));
        Assert.True(_files.Put(_home, "p/put.bin", 0x1A4, mtime, Sha(data), data));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        var changed = RandomNumberGenerator.GetBytes(4000);
        Assert.False(_files.Put(_home, "p/put.bin", 0x1A4, mtime + 1000, Sha(changed), changed));
        Assert.Equal(changed, File.ReadAllBytes(path));
    }

    [Fact]
    public void Put_DigestMismatch_Is409_ABadDigest400_AFailedWrite507_AndNothingIsLeft()
    {
        var data = RandomNumberGenerator.GetBytes(100);
        var path = Path.Combine(_home, "bad.bin");
        Assert.Equal(409, Assert.Throws<JobRequestException>(() => _files.Put(_home, "bad.bin", 0x1A4, 0, new string('0', 64), data)).Code);
        Assert.Equal(400, Assert.Throws<JobRequestException>(() => _files.Put(_home, "bad.bin", 0x1A4, 0, "", data)).Code);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(FileTransfers.PartPath(path)));
        File.CreateSymbolicLink(FileTransfers.PartPath(path), "/dev/full");
        Assert.Equal(507, Assert.Throws<JobRequestException>(() => _files.Put(_home, "bad.bin", 0x1A4, 0, Sha(data), data)).Code);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(FileTransfers.PartPath(path)));
    }

    [Fact]
    public void Put_SupersedesAnInterruptedStreamedCopyOfTheSameFile()
    {
        var data = RandomNumberGenerator.GetBytes(3000);
        var open = _files.Open("o", _home, "s.bin", data.Length, 0x1A4, 0, digest: "");
        _files.Write("o", open.Handle, 0, data.AsSpan(0, 1000));
        Assert.False(_files.Put(_home, "s.bin", 0x1A4, 0, Sha(data), data));
        Assert.Equal(0, _files.Count);
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(_home, "s.bin")));
    }

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(_home, recursive: true);
    }
}
