using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Zccp.Protocol;
using Zccpd;
using Zproto.Runtime.Zmq;

namespace Zccp.Benchmarks;

/// <summary>
/// Publish rate with 10,000 distinct non-matching patterns subscribed (100 clients × 100) and one that matches
/// each PUBLISH; 1,000 PUBLISHes per operation (times are per PUBLISH), each to a new address so the
/// broker's address cache never answers. Anchored: patterns <c>^dev\.N\.temp$</c> (the prefix trie
/// prunes them); Unanchored: patterns <c>dev-N-temp</c> (every one is tested per PUBLISH: the worst case);
/// None: only the matching pattern, the broker's per-PUBLISH floor on this machine at this moment.
/// The PUBLISH frames are encoded in setup (65,536 distinct addresses, cycled: far more than the
/// broker's 4,096-address cache holds), so the publishing thread costs a send, not formatting.
/// </summary>
[MemoryDiagnoser]
public class PublishRateBenchmarks
{
    private const int Publishes = 1000;
    private const int DistinctAddresses = 65_536;
    private readonly List<byte[]> _scratch = new();
    private ZmqContext _context = null!;
    private ZmqContext? _brokerContext;
    private ZccpServer? _server;
    private BaselineBroker? _baseline;
    private ZmqSocket _publisher = null!;
    private ZmqSocket _matching = null!;
    private ZmqSocket[] _others = null!;
    private ReadOnlyMemory<byte>[][] _publishes = null!;
    private int _sequence;

    /// <summary>What else is subscribed besides the one matching pattern.</summary>
    public enum OtherPatterns
    {
        /// <summary>Nothing: the broker's per-PUBLISH cost without a pattern index to search (the floor).</summary>
        None,
        /// <summary>10,000 <c>^dev\.N\.temp$</c>, the matching pattern <c>^alarm\.</c>.</summary>
        Anchored,
        /// <summary>10,000 <c>dev-N-temp</c>, the matching pattern <c>alarm</c>.</summary>
        Unanchored,
    }

    [Params(OtherPatterns.None, OtherPatterns.Anchored, OtherPatterns.Unanchored)]
    public OtherPatterns Others { get; set; }

    /// <summary>Which zccpd: this build, or the one in <c>ZCCP_BASELINE_DIR</c> (<see cref="BaselineBroker"/>) when set.</summary>
    [ParamsSource(nameof(Builds))]
    public string Build { get; set; } = ThisBuild;

    private const string ThisBuild = "this";

    public static IEnumerable<string> Builds => BaselineBroker.IsConfigured ? new[] { ThisBuild, "baseline" } : new[] { ThisBuild };

    [GlobalSetup]
    public void Setup()
    {
        _context = new ZmqContext();
        string endpoint;
        if (Build == ThisBuild)
        {
            // The broker's own context (its own I/O thread), as the baseline build's has.
            _brokerContext = new ZmqContext();
            _server = Sockets.StartBroker(_brokerContext);
            endpoint = _server.Endpoints[0];
        }
        else
        {
            _baseline = BaselineBroker.Start();
            endpoint = _baseline.Endpoint;
        }
        _publisher = Sockets.Greeted(_context, endpoint, "publisher");
        _others = new ZmqSocket[Others == OtherPatterns.None ? 0 : 100];
        for (var c = 0; c < _others.Length; c++)
        {
            _others[c] = Sockets.Greeted(_context, endpoint, $"other-{c}");
            for (var p = 0; p < 100; p++)
                Sockets.Subscribe(_others[c], Others == OtherPatterns.Anchored ? $"^dev\\.{c * 100 + p}\\.temp$" : $"dev-{c * 100 + p}-temp", wait: false);
            for (var p = 0; p < 100; p++)
                Sockets.Expect<ZccpMsg.SubscribeOk>(_others[c]);
        }
        // The one pattern that matches: 10,001 in all (1 with no others).
        _matching = Sockets.Greeted(_context, endpoint, "matching");
        Sockets.Subscribe(_matching, Others == OtherPatterns.Unanchored ? "alarm" : @"^alarm\.");
        var expected = _others.Length * 100 + 1;
        if (_server is not null && _server.CountPatternsAsync().GetAwaiter().GetResult() != expected)
            throw new InvalidOperationException($"the broker does not hold {expected} patterns");
        _publishes = new ReadOnlyMemory<byte>[DistinctAddresses][];
        for (var n = 0; n < DistinctAddresses; n++)
            _publishes[n] = ZccpMsg.EncodeFrames(new ZccpMsg.Publish { Address = $"alarm.{n}" });
    }

    [Benchmark(OperationsPerInvoke = Publishes, Description = "PUBLISH to 1 of 10,000 patterns")]
    public void Publish()
    {
        for (var n = 0; n < Publishes; n++)
            _publisher.SendMultipart(_publishes[_sequence++ % DistinctAddresses]);
        Sockets.Drain(_matching, Publishes, _scratch);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var socket in _others)
            socket.Dispose();
        _matching.Dispose();
        _publisher.Dispose();
        _server?.Dispose();
        _baseline?.Dispose();
        _brokerContext?.Dispose();
        _context.Dispose();
    }
}
