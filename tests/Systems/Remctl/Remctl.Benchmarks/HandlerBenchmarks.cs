using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Remctl.Benchmarks;

/// <summary>
/// One remctl command, end to end through the real daemon: <see cref="RemctlClient"/> (remctld's
/// REQ side) → tcp://127.0.0.1 → remctl-zmqd's ROUTER → handler → reply. The same command runs a
/// persistent in-process handler or forks <c>/bin/true</c> per request (remctl's classic model),
/// so the ratio is the price of exec'ing.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private DaemonUnderTest? _daemon;
    private RemctlClient? _client;

    [GlobalSetup]
    public void Setup()
    {
        _daemon = new DaemonUnderTest();
        _client = new RemctlClient(_daemon.Endpoint, new RemctlClientOptions { Timeout = TimeSpan.FromSeconds(30), User = "bench@EXAMPLE.ORG" });
        // Fail now, not with a misleading number, if either route is broken.
        foreach (var subcommand in new[] { "persistent", "exec" })
        {
            var result = _client.ExecuteAsync("bench", [subcommand]).GetAwaiter().GetResult();
            if (result.ReturnCode != 0)
                throw new InvalidOperationException($"{subcommand}: {result.ErrorMessage ?? result.ReturnCode?.ToString()}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _daemon?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "exec /bin/true")]
    public async Task<long?> Exec() => (await _client!.ExecuteAsync("bench", ["exec"]).ConfigureAwait(false)).ReturnCode;

    [Benchmark(Description = "persistent handler")]
    public async Task<long?> Persistent() => (await _client!.ExecuteAsync("bench", ["persistent"]).ConfigureAwait(false)).ReturnCode;

    /// <summary>Requests per second next to the latency.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.OperationsPerSecond, StatisticColumn.P95);
    }
}
