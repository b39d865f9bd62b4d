using System.IO;
using BenchmarkDotNet.Attributes;
using Zp.Tests.Infrastructure;

namespace Zp.Benchmarks;

/// <summary>
/// One large file (1 GiB, or ZP_BENCH_LARGE_MIB) and a tree of 10,000 small files (0.5–4 KiB in
/// 100 directories) copied to 127.0.0.1 by zpc, by rsync to its daemon, and by scp. Every
/// destination is emptied before each iteration, so each copy sends everything.
/// </summary>
public class CopyBenchmarks
{
    private BenchmarkHost _host = null!;
    private string _large = "";
    private string _tree = "";

    [GlobalSetup]
    public void Setup()
    {
        _host = BenchmarkHost.StartAsync().GetAwaiter().GetResult();
        var source = Path.Combine(_host.Directory, "source");
        _large = Path.Combine(source, "large.bin");
        var size = BenchmarkHost.EnvironmentSize("ZP_BENCH_LARGE_MIB", 1024) * 1024 * 1024;
        if (!File.Exists(_large) || new FileInfo(_large).Length != size)
            BenchmarkHost.WriteRandom(_large, size, seed: 1);
        _tree = Path.Combine(source, "tree");
        if (!Directory.Exists(_tree))
        {
            var random = new System.Random(2);
            for (var i = 0; i < 10_000; i++)
                BenchmarkHost.WriteRandom(Path.Combine(_tree, $"d{i % 100:D2}", $"f{i:D5}.bin"), random.Next(512, 4097), seed: i);
        }
    }

    [IterationSetup]
    public void ClearDestinations() => _host.ClearDestinations();

    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark, BenchmarkCategory("large")]
    public void LargeFile_Zpc() =>
        _host.RunZp(ZpPrograms.ZpcDll, _host.Zpd.ZpcArgs(_large, $"{ZpdProcess.User}@127.0.0.1:{_host.ZpcDestination}/"));

    [Benchmark, BenchmarkCategory("large")]
    public void LargeFile_RsyncDaemon() =>
        BenchmarkHost.Run("rsync", _large, $"rsync://127.0.0.1:{_host.RsyncPort}/bench/");

    [Benchmark, BenchmarkCategory("large")]
    public void LargeFile_Scp() =>
        BenchmarkHost.Run("scp", [.. _host.SshOptions("-P"), "-q", _large, $"{_host.SshTarget}:{_host.ScpDestination}/"]);

    [Benchmark, BenchmarkCategory("tree")]
    public void Tree10000_Zpc() =>
        _host.RunZp(ZpPrograms.ZpcDll, _host.Zpd.ZpcArgs("-r", _tree, $"{ZpdProcess.User}@127.0.0.1:{_host.ZpcDestination}/"));

    [Benchmark, BenchmarkCategory("tree")]
    public void Tree10000_RsyncDaemon() =>
        BenchmarkHost.Run("rsync", "-r", _tree, $"rsync://127.0.0.1:{_host.RsyncPort}/bench/");

    [Benchmark, BenchmarkCategory("tree")]
    public void Tree10000_Scp() =>
        BenchmarkHost.Run("scp", [.. _host.SshOptions("-P"), "-q", "-r", _tree, $"{_host.SshTarget}:{_host.ScpDestination}/"]);
}
