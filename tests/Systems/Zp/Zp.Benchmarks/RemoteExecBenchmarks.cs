using System.IO;
using BenchmarkDotNet.Attributes;
using Zp.Tests.Infrastructure;

namespace Zp.Benchmarks;

/// <summary>
/// A remote command's round trip (<c>zp HOST true</c> vs <c>ssh HOST true</c>: start, connect,
/// authenticate, run, exit) and stdin throughput (<c>zp HOST cat &gt; /dev/null</c> fed 256 MiB, or
/// ZP_BENCH_STDIN_MIB, vs the same through ssh).
/// </summary>
public class RemoteExecBenchmarks
{
    private BenchmarkHost _host = null!;
    private string _input = "";

    [GlobalSetup]
    public void Setup()
    {
        _host = BenchmarkHost.StartAsync().GetAwaiter().GetResult();
        _input = Path.Combine(_host.Directory, "source", "stdin.bin");
        var size = BenchmarkHost.EnvironmentSize("ZP_BENCH_STDIN_MIB", 256) * 1024 * 1024;
        if (!File.Exists(_input) || new FileInfo(_input).Length != size)
            BenchmarkHost.WriteRandom(_input, size, seed: 3);
    }

    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark, BenchmarkCategory("true")]
    public void True_Zp() => _host.RunZp(ZpPrograms.ZpDll, _host.Zpd.ZpArgs(_host.Zpd.Target, "true"));

    [Benchmark, BenchmarkCategory("true")]
    public void True_Ssh() => BenchmarkHost.Run("ssh", [.. _host.SshOptions("-p"), _host.SshTarget, "true"]);

    // The shell does the redirections, as a user would type them.
    [Benchmark, BenchmarkCategory("stdin")]
    public void Stdin_ZpCat() => BenchmarkHost.Run("sh", "-c",
        $"dotnet {Quote(ZpPrograms.ZpDll)} {string.Join(' ', System.Array.ConvertAll(_host.Zpd.ZpArgs(_host.Zpd.Target, "cat"), Quote))} < {Quote(_input)} > /dev/null");

    [Benchmark, BenchmarkCategory("stdin")]
    public void Stdin_SshCat() => BenchmarkHost.Run("sh", "-c",
        $"ssh {string.Join(' ', System.Array.ConvertAll(_host.SshOptions("-p"), Quote))} {_host.SshTarget} cat < {Quote(_input)} > /dev/null");

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", System.StringComparison.Ordinal) + "'";
}
