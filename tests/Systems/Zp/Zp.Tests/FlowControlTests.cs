using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Xunit;
using Zp.Tests.Infrastructure;

namespace Zp.Tests;

/// <summary>
/// ZP-11: a receiver that grants 1 MiB and stalls holds the sender (the real zpc) to 1 MiB
/// unacknowledged; zpd receiving a file keeps its resident memory whatever the file's size.
/// </summary>
[Collection("zpd")]
public sealed class FlowControlTests
{
    private const int MiB = 1024 * 1024;

    private static string TempDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "zp-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static void WriteRandom(string path, long size)
    {
        using var file = File.Create(path);
        var buffer = new byte[MiB];
        for (long written = 0; written < size; written += buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="limit"/> passes.</summary>
    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(50);
        }
        return true;
    }

    [Fact]
    public async Task ZP11_ReceiverGrants1MiBThenStalls_SenderHasAtMost1MiBUnacknowledged()
    {
        var directory = TempDirectory();
        try
        {
            using var receiver = new StalledReceiver(directory, credit: MiB);
            var file = Path.Combine(directory, "big.bin");
            WriteRandom(file, 32 * MiB);
            using var zpc = ZpPrograms.Start(ZpPrograms.ZpcDll, new[]
            {
                "--identity", receiver.IdentityDirectory, "--known-hosts", receiver.KnownHostsFile,
                "-p", receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), file, $"{ZpdProcess.User}@127.0.0.1:copy.bin",
            });
            var stderr = zpc.StandardError.ReadToEndAsync();
            try
            {
                Assert.True(await EventuallyAsync(() => receiver.Received >= MiB, TimeSpan.FromSeconds(60)),
                    $"zpc sent {receiver.Received} bytes of its 1 MiB credit (file opened: {receiver.FileOpened})");
                // The receiver stays silent but for pongs: nothing more may arrive however long it stalls.
                await Task.Delay(TimeSpan.FromSeconds(3));
                Assert.Equal(MiB, receiver.Received);
                Assert.False(zpc.HasExited, $"zpc gave up while the receiver stalled: {(zpc.HasExited ? await stderr : "")}");

                // Acknowledging with 256 KiB more credit lets exactly that much through.
                receiver.Grant(256 * 1024);
                Assert.True(await EventuallyAsync(() => receiver.Received >= MiB + 256 * 1024, TimeSpan.FromSeconds(30)), $"received {receiver.Received} after the grant");
                await Task.Delay(TimeSpan.FromSeconds(1));
                Assert.Equal(MiB + 256 * 1024, receiver.Received);
                Assert.Equal(MiB, receiver.MaxUnacknowledged);
            }
            finally
            {
                zpc.Kill();
                await zpc.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ZP11_ZpdResidentMemory_DoesNotGrowWithFileSize()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        var warmup = await CopyWatchingZpdAsync(zpd, 8 * MiB);
        var baseline = zpd.ResidentBytes();
        // The .NET GC grows its budget over the first tens of MiB received, then stays: a file four
        // times larger must not need more memory than the smaller one did.
        var smaller = await CopyWatchingZpdAsync(zpd, 96 * MiB);
        var larger = await CopyWatchingZpdAsync(zpd, 384 * MiB);
        Assert.True(larger - smaller < 24L * MiB,
            $"zpd's peak grew from {smaller / MiB} MiB (96 MiB file) to {larger / MiB} MiB (384 MiB file); warm-up peak {warmup / MiB} MiB");
        Assert.True(larger - baseline < 128L * MiB, $"zpd's peak was {larger / MiB} MiB over a {baseline / MiB} MiB baseline");
    }

    /// <summary>Copies a random file of <paramref name="size"/> bytes with zpc; returns zpd's peak resident memory meanwhile.</summary>
    private static async Task<long> CopyWatchingZpdAsync(ZpdProcess zpd, long size)
    {
        var local = Path.Combine(zpd.Directory, $"{size}.bin");
        var remote = Path.Combine(zpd.Directory, $"{size}.copy");
        WriteRandom(local, size);
        var copy = ZpPrograms.RunZpcAsync(zpd.ZpcArgs(local, $"{ZpdProcess.User}@127.0.0.1:{remote}"), TimeSpan.FromMinutes(5));
        var peak = zpd.ResidentBytes();
        while (!copy.IsCompleted)
        {
            peak = Math.Max(peak, zpd.ResidentBytes());
            await Task.Delay(20);
        }
        var run = await copy;
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(size, new FileInfo(remote).Length);
        File.Delete(local);
        File.Delete(remote);
        return peak;
    }
}
