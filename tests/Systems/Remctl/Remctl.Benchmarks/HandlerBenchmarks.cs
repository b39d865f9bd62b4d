using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Remctl.Protocol;
using Zproto.Runtime.Zmq;

namespace Remctl.Benchmarks;

/// <summary>
/// One remctl command, end to end through the real daemon: a REQ client (remctld's side) →
/// tcp://127.0.0.1 → remctl-zmqd's ROUTER → handler → reply. Side by side in one run: libzmq's own
/// REQ/REP round trip with the same frames (the floor), with the REP in this process and in a process
/// of its own as the daemon is; the no-op handler run inline on the daemon's
/// thread and on the thread pool (the default), each from a raw REQ socket (the daemon's share) and
/// through <see cref="RemctlClient"/>; and <c>/bin/true</c> forked per request (remctl's classic model).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private ServerProcess? _daemon;
    private ServerProcess? _rawRep;
    private ZmqSocket? _toRawRep;
    private RemctlClient? _client;
    private RawReqRep? _raw;
    private ZmqSocket? _rawToDaemon;
    private ReadOnlyMemory<byte>[] _inlineRequest = [];
    private ReadOnlyMemory<byte>[] _pooledRequest = [];

    [GlobalSetup]
    public void Setup()
    {
        _daemon = ServerProcess.StartDaemon();
        _client = new RemctlClient(_daemon.Endpoint, new RemctlClientOptions { Timeout = TimeSpan.FromSeconds(30), User = "bench@EXAMPLE.ORG" });
        // Fail now, not with a misleading number, if a route is broken.
        foreach (var subcommand in new[] { "inline", "persistent", "exec" })
        {
            var result = _client.Execute("bench", [subcommand]);
            if (result.ReturnCode != 0)
                throw new InvalidOperationException($"{subcommand}: {result.ErrorMessage ?? result.ReturnCode?.ToString()}");
        }
        _inlineRequest = RemctlMsg.EncodeFrames(_client.CreateRequest("bench", [(ReadOnlyMemory<byte>)"inline"u8.ToArray()]));
        _pooledRequest = RemctlMsg.EncodeFrames(_client.CreateRequest("bench", [(ReadOnlyMemory<byte>)"persistent"u8.ToArray()]));
        _raw = new RawReqRep();
        _rawToDaemon = new ZmqSocket(_raw.Context, ZmqSocketType.Req) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        _rawToDaemon.Connect(_daemon.Endpoint);
        _rawRep = ServerProcess.StartRawRep();
        _toRawRep = new ZmqSocket(_raw.Context, ZmqSocketType.Req) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        _toRawRep.Connect(_rawRep.Endpoint);
        if (InlineFromRawReq() != 2 || PooledFromRawReq() != 2 || RawOtherProcess() != 2)
            throw new InvalidOperationException("raw REQ: unexpected reply");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _rawToDaemon?.Dispose();
        _toRawRep?.Dispose();
        _rawRep?.Dispose();
        _raw?.Dispose();
        _daemon?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw libzmq REQ/REP")]
    public int Raw() => _raw!.RoundTrip(_inlineRequest);

    [Benchmark(Description = "raw libzmq REQ/REP, REP in another process")]
    public int RawOtherProcess() => RoundTrip(_toRawRep!, _inlineRequest);

    [Benchmark(Description = "inline handler, raw REQ client")]
    public int InlineFromRawReq() => RoundTrip(_rawToDaemon!, _inlineRequest);

    [Benchmark(Description = "inline handler, RemctlClient.Execute")]
    public long? Inline() => _client!.Execute("bench", ["inline"]).ReturnCode;

    [Benchmark(Description = "pooled handler, raw REQ client")]
    public int PooledFromRawReq() => RoundTrip(_rawToDaemon!, _pooledRequest);

    [Benchmark(Description = "pooled handler, RemctlClient.ExecuteAsync")]
    public async Task<long?> PooledAsync() => (await _client!.ExecuteAsync("bench", ["persistent"]).ConfigureAwait(false)).ReturnCode;

    [Benchmark(Description = "exec /bin/true, RemctlClient.Execute")]
    public long? Exec() => _client!.Execute("bench", ["exec"]).ReturnCode;

    internal static int RoundTrip(ZmqSocket req, ReadOnlyMemory<byte>[] request)
    {
        req.SendMultipart(request);
        return req.ReceiveMultipart().Count;
    }

    /// <summary>Requests per second next to the latency.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.OperationsPerSecond, StatisticColumn.P95);
    }
}
