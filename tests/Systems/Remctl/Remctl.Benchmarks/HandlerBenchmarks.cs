using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Remctl.Protocol;
using Zproto.Runtime.Zmq;

namespace Remctl.Benchmarks;

/// <summary>
/// One remctl command, end to end through the real daemon: <see cref="RemctlClient"/> (remctld's
/// REQ side) → tcp://127.0.0.1 → remctl-zmqd's ROUTER → handler → reply. The same command runs a
/// persistent in-process handler or forks <c>/bin/true</c> per request (remctl's classic model), so
/// that ratio is the price of exec'ing; next to them, in the same run, libzmq's own REQ/REP round
/// trip with the same frames (the floor), and the persistent handler from a raw REQ socket (the
/// daemon's share without <see cref="RemctlClient"/>'s).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private DaemonUnderTest? _daemon;
    private RemctlClient? _client;
    private RawReqRep? _raw;
    private ZmqSocket? _rawToDaemon;
    private ReadOnlyMemory<byte>[] _request = [];

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
        _request = RemctlMsg.EncodeFrames(_client.CreateRequest("bench", [(ReadOnlyMemory<byte>)"persistent"u8.ToArray()]));
        _raw = new RawReqRep();
        _rawToDaemon = new ZmqSocket(_raw.Context, ZmqSocketType.Req) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        _rawToDaemon.Connect(_daemon.Endpoint);
        if (RawToDaemon() != 2)
            throw new InvalidOperationException("persistent from a raw REQ: unexpected reply");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _rawToDaemon?.Dispose();
        _raw?.Dispose();
        _daemon?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw libzmq REQ/REP")]
    public int Raw() => _raw!.RoundTrip(_request);

    [Benchmark(Description = "persistent handler")]
    public async Task<long?> Persistent() => (await _client!.ExecuteAsync("bench", ["persistent"]).ConfigureAwait(false)).ReturnCode;

    [Benchmark(Description = "persistent handler, raw REQ client")]
    public int RawToDaemon()
    {
        _rawToDaemon!.SendMultipart(_request);
        return _rawToDaemon.ReceiveMultipart().Count;
    }

    [Benchmark(Description = "exec /bin/true")]
    public async Task<long?> Exec() => (await _client!.ExecuteAsync("bench", ["exec"]).ConfigureAwait(false)).ReturnCode;

    /// <summary>Requests per second next to the latency.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.OperationsPerSecond, StatisticColumn.P95);
    }
}
