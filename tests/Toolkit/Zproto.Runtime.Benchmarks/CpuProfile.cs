using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Zproto.Echo;

namespace Zproto.Runtime.Benchmarks;

/// <summary>
/// Where the time of a pipelined round trip goes, per thread: the same three echoes as
/// <see cref="EchoServerBenchmarks"/> (Window = 1000), with the CPU time each thread spent read from
/// Linux's scheduler statistics (/proc/self/task/TID/schedstat, nanoseconds on the CPU) before and after
/// a run of windows. The serving thread's CPU per message is what the state machine and codec add to a
/// raw echo; the client's and libzmq's I/O thread's are the same work for every server. Run with
/// <c>--cpu-profile</c>; Linux only.
/// </summary>
internal static class CpuProfile
{
    private const int Windows = 200;
    private const int Rounds = 3;

    /// <summary>The calling thread's Linux task id (readlink /proc/thread-self = "PID/task/TID").</summary>
    public static int CurrentThread() =>
        int.Parse(Path.GetFileName(new DirectoryInfo("/proc/thread-self").LinkTarget!), CultureInfo.InvariantCulture);

    public static void Run()
    {
        var bench = new EchoServerBenchmarks { Window = 1000 };
        bench.Setup();
        try
        {
            var client = CurrentThread();
            var server = bench.ServerThread;
            while (bench.RawThread == 0 || bench.CopyingThread == 0)
                Thread.Sleep(10);
            // libzmq names its I/O thread; one context serves every socket here, client and servers alike.
            var io = Directory.GetDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
                .Where(t => File.ReadAllText($"/proc/self/task/{t}/comm").StartsWith("ZMQbg/IO", StringComparison.Ordinal)).ToArray();
            var targets = new (string Name, Action RoundTrips, int Thread)[]
            {
                ("raw ROUTER echo", bench.RawEchoRoundTrips, bench.RawThread),
                ("raw ROUTER echo, copying receive", bench.CopyingEchoRoundTrips, bench.CopyingThread),
                ("generated echo server", bench.GeneratedServerRoundTrips, server),
            };
            var results = targets.ToDictionary(t => t.Name, _ => new List<double[]>());
            foreach (var target in targets)
                for (var i = 0; i < 20; i++)
                    target.RoundTrips();
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var target in targets)
                {
                    var threads = new[] { target.Thread, client }.Concat(io).ToArray();
                    var before = threads.Select(CpuNanoseconds).ToArray();
                    var clock = Stopwatch.StartNew();
                    for (var i = 0; i < Windows; i++)
                        target.RoundTrips();
                    var wall = clock.Elapsed.TotalNanoseconds;
                    var after = threads.Select(CpuNanoseconds).ToArray();
                    const double messages = Windows * 1000.0;
                    results[target.Name].Add([
                        wall / messages,
                        (after[0] - before[0]) / messages,
                        (after[1] - before[1]) / messages,
                        Enumerable.Range(2, io.Length).Sum(i => after[i] - before[i]) / messages,
                    ]);
                }
            }
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine($"{Rounds} rounds of {Windows} windows of 1000 round trips each; nanoseconds per round trip, median of the rounds");
            Console.WriteLine("| echo | wall | serving thread CPU | client thread CPU | libzmq I/O thread CPU |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (name, rows) in results)
            {
                var median = Enumerable.Range(0, 4).Select(c => rows.Select(r => r[c]).Order().ElementAt(rows.Count / 2)).ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {median[0]:F0} | {median[1]:F0} | {median[2]:F0} | {median[3]:F0} |"));
            }
            var allocated = bench.ServerAllocated;
            for (var i = 0; i < Windows; i++)
                bench.GeneratedServerRoundTrips();
            allocated = bench.ServerAllocated - allocated;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"allocated on the generated server's owner thread: {(double)allocated / (Windows * 1000.0):F1} B per round trip"));
            var codec = Enumerable.Range(0, Rounds).Select(_ => Codec(client)).OrderBy(c => c.Nanoseconds).ElementAt(Rounds / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"codec share of the generated server's thread: decode ECHO + build and encode ECHO-OK = {codec.Nanoseconds:F0} ns CPU and {codec.Bytes:F0} B allocated per round trip (median of {Rounds})"));
        }
        finally
        {
            bench.Cleanup();
        }
    }

    /// <summary>
    /// Runs echo round trips (Window = 1000) for <paramref name="seconds"/> per echo and prints how many each
    /// made, so an outside profiler can divide its samples per thread by them: <c>--spin ECHO SECONDS</c> with
    /// ECHO one of generated, raw, copying, or all (the three take turns, a second each, so they share the
    /// machine's load). Run under <c>perf record</c> (docs/benchmarks-runtime.md says how).
    /// </summary>
    public static void Spin(string echo, int seconds)
    {
        var bench = new EchoServerBenchmarks { Window = 1000 };
        bench.Setup();
        try
        {
            var all = new (string Name, Action RoundTrips)[]
            {
                ("generated", bench.GeneratedServerRoundTrips),
                ("raw", bench.RawEchoRoundTrips),
                ("copying", bench.CopyingEchoRoundTrips),
            };
            var chosen = echo == "all" ? all : all.Where(e => e.Name == echo).ToArray();
            if (chosen.Length == 0)
                throw new ArgumentException($"no echo named '{echo}' (generated, raw, copying, all)", nameof(echo));
            var windows = new long[chosen.Length];
            var elapsed = new double[chosen.Length];
            for (var second = 0; second < seconds; second++)
            {
                for (var i = 0; i < chosen.Length; i++)
                {
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed.TotalSeconds < 1)
                    {
                        chosen[i].RoundTrips();
                        windows[i]++;
                    }
                    elapsed[i] += clock.Elapsed.TotalSeconds;
                }
            }
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
            for (var i = 0; i < chosen.Length; i++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{chosen[i].Name}: {windows[i] * 1000} round trips in {elapsed[i]:F1} s = {windows[i] * 1000 / elapsed[i]:F0}/s"));
        }
        finally
        {
            bench.Cleanup();
        }
    }

    /// <summary>What the generated server's codec does per round trip, alone on this thread: decode the
    /// 16-byte ECHO from its frame, build the ECHO-OK the action builds, encode it into a reused buffer.</summary>
    private static (double Nanoseconds, double Bytes) Codec(int thread)
    {
        const int Count = 1_000_000;
        var frames = new List<ReadOnlyMemory<byte>>(EchoMsg.EncodeFrames(new EchoMsg.Echo { Sequence = 1, Body = new byte[16] }));
        var buffer = new byte[256];
        long octets = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var before = CpuNanoseconds(thread);
        for (var i = 0; i < Count; i++)
        {
            if (!EchoMsg.TryDecode(frames, out var message, out var error) || message is not EchoMsg.Echo echo)
                throw new InvalidOperationException($"the ECHO did not decode: {error}");
            octets += EchoMsg.Encode(new EchoMsg.EchoOk { Sequence = echo.Sequence, Body = echo.Body }, buffer);
        }
        var cpu = CpuNanoseconds(thread) - before;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        GC.KeepAlive(octets);
        return ((double)cpu / Count, (double)allocated / Count);
    }

    private static long CpuNanoseconds(int thread) =>
        long.Parse(File.ReadAllText($"/proc/self/task/{thread}/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);
}
