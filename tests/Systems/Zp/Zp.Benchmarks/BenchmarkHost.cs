using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Zp.Tests.Infrastructure;

namespace Zp.Benchmarks;

/// <summary>
/// What every benchmark needs: zpd started here on 127.0.0.1, the sshd and rsync daemon setup.sh
/// started (read from <c>$ZP_BENCH_DIR/bench.env</c>), and a way to run a command to completion.
/// </summary>
internal sealed class BenchmarkHost : IAsyncDisposable
{
    private BenchmarkHost(ZpdProcess zpd, string directory, IReadOnlyDictionary<string, string> settings)
    {
        Zpd = zpd;
        Directory = directory;
        SshPort = settings["SSH_PORT"];
        SshKey = settings["SSH_KEY"];
        SshKnownHosts = settings["SSH_KNOWN_HOSTS"];
        RsyncPort = settings["RSYNC_PORT"];
    }

    public ZpdProcess Zpd { get; }

    /// <summary>setup.sh's directory: the rsync module is <c>rsync-dest</c>, scp writes to <c>ssh-dest</c>.</summary>
    public string Directory { get; }

    public string SshPort { get; }

    public string SshKey { get; }

    public string SshKnownHosts { get; }

    public string RsyncPort { get; }

    public string RsyncDestination => Path.Combine(Directory, "rsync-dest");

    public string ScpDestination => Path.Combine(Directory, "ssh-dest");

    public string ZpcDestination => Path.Combine(Zpd.Directory, "zpc-dest");

    public string SshTarget => $"{ZpdProcess.User}@127.0.0.1";

    /// <summary>ssh's options for setup.sh's sshd: its key, its known_hosts, never a prompt.</summary>
    public string[] SshOptions(string portFlag) =>
        [portFlag, SshPort, "-i", SshKey, "-o", $"UserKnownHostsFile={SshKnownHosts}", "-o", "BatchMode=yes"];

    public static async Task<BenchmarkHost> StartAsync()
    {
        var directory = Environment.GetEnvironmentVariable("ZP_BENCH_DIR") ?? "/tmp/zp-bench";
        var envFile = Path.Combine(directory, "bench.env");
        if (!File.Exists(envFile))
            throw new InvalidOperationException($"{envFile} is missing: run tests/Systems/Zp/Zp.Benchmarks/setup.sh first (as root)");
        var settings = File.ReadAllLines(envFile).Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return new BenchmarkHost(await ZpdProcess.StartAsync(), directory, settings);
    }

    /// <summary>Runs <paramref name="file"/> to completion with stdout discarded; throws with its stderr unless it exits 0.</summary>
    public static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        drain.Wait();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
    }

    /// <summary>Runs zp or zpc (<paramref name="dll"/>) with zpd's identity options.</summary>
    public void RunZp(string dll, params string[] args) => Run("dotnet", [dll, .. args]);

    /// <summary>setup.sh's directory for copied trees, removed by <c>setup.sh stop</c>.</summary>
    public string TrashDirectory => Path.Combine(Directory, "trash");

    /// <summary>
    /// Empties the three destinations, so every copy sends everything. Files are deleted; copied
    /// trees are moved aside into <see cref="TrashDirectory"/>, not deleted: on ext4, creating
    /// files right after deleting thousands makes each create scan past the recently freed inodes
    /// (<c>find_inode_bit</c> → <c>recently_deleted</c> in a kernel profile). Creating 10,000 files
    /// took 0.1 s of system CPU on a fresh directory and 2.6 s right after deleting 20,000, which
    /// would charge whichever tool runs next for the previous one's clean-up.
    /// </summary>
    public void ClearDestinations()
    {
        foreach (var destination in new[] { RsyncDestination, ScpDestination, ZpcDestination })
        {
            if (System.IO.Directory.Exists(destination))
            {
                foreach (var entry in new DirectoryInfo(destination).EnumerateFileSystemInfos())
                {
                    if (entry is DirectoryInfo d)
                    {
                        System.IO.Directory.CreateDirectory(TrashDirectory);
                        d.MoveTo(Path.Combine(TrashDirectory, Guid.NewGuid().ToString("N")));
                    }
                    else
                    {
                        entry.Delete();
                    }
                }
            }
            System.IO.Directory.CreateDirectory(destination);
        }
    }

    /// <summary>A file of <paramref name="size"/> pseudo-random bytes (incompressible, reproducible).</summary>
    public static void WriteRandom(string path, long size, int seed)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(seed);
        using var file = File.Create(path);
        // At most 1 MiB, and no bigger than the file: the tree's 10,000 small files would otherwise draw 10 GB of random bytes.
        var buffer = new byte[Math.Clamp(size, 1, 1024 * 1024)];
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    public static long EnvironmentSize(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public async ValueTask DisposeAsync() => await Zpd.DisposeAsync();
}
