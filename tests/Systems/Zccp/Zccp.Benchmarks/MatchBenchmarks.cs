using System;
using BenchmarkDotNet.Attributes;
using Zccpd.Routing;

namespace Zccp.Benchmarks;

/// <summary>
/// The broker's match step alone (no sockets): <see cref="SubscriptionIndex{TSubscriber}.Match"/> with
/// 10,000 anchored patterns <c>^dev\.N\.temp$</c> and one <c>^alarm\.</c> (the prefix trie), or 10,000
/// unanchored <c>dev-N-\d+-temp</c> and one <c>alarm</c> (the literal index), each call to a new address
/// (<c>alarm.N</c>) so the address cache never answers — the profile of the publish-rate benchmark.
/// </summary>
[MemoryDiagnoser]
public class MatchBenchmarks
{
    private const int Addresses = 4096;
    private SubscriptionIndex<object> _index = null!;
    private string[] _addresses = null!;
    private int _next;

    [Params(true, false)]
    public bool Anchored { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _index = new SubscriptionIndex<object>();
        for (var c = 0; c < 100; c++)
        {
            var client = new object();
            for (var p = 0; p < 100; p++)
                _index.Subscribe(client, Anchored ? $"^dev\\.{c * 100 + p}\\.temp$" : $"dev-{c * 100 + p}-\\d+-temp");
        }
        _index.Subscribe(new object(), Anchored ? @"^alarm\." : "alarm");
        // Distinct addresses prepared up front, so the benchmark measures matching, not string formatting.
        _addresses = new string[Addresses * 64];
        for (var i = 0; i < _addresses.Length; i++)
            _addresses[i] = $"alarm.{i}";
    }

    [Benchmark(Description = "Match, 10,001 patterns, uncached address")]
    public int Match()
    {
        var address = _addresses[_next++ % _addresses.Length];
        return _index.Match(address).Length;
    }
}
