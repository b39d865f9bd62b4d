using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Remctl.Protocol;
using Zproto.Runtime.Zmq;

namespace Remctl.Benchmarks;

/// <summary>
/// Where a round trip's time goes, counted rather than timed: for each path the benchmarks measure,
/// the voluntary context switches (a thread going to sleep, so each is one wake-up later) per round
/// trip of every thread of the three processes (this one, the daemon, the raw REP server), from
/// <c>/proc/PID/task/TID/status</c>. A thread hand-off shows up as one more sleeping thread per
/// round trip. <c>dotnet Remctl.Benchmarks.dll wakeups [ROUND_TRIPS]</c>.
/// </summary>
internal static class WakeupProfile
{
    public static void Run(int roundTrips)
    {
        using var daemon = ServerProcess.StartDaemon();
        using var raw = new RawReqRep();
        using var toDaemon = new ZmqSocket(raw.Context, ZmqSocketType.Req) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        toDaemon.Connect(daemon.Endpoint);
        using var rawRep = ServerProcess.StartRawRep();
        using var toRawRep = new ZmqSocket(raw.Context, ZmqSocketType.Req) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        toRawRep.Connect(rawRep.Endpoint);
        using var client = new RemctlClient(daemon.Endpoint, new RemctlClientOptions { Timeout = TimeSpan.FromSeconds(30), User = "bench@EXAMPLE.ORG" });
        var inline = RemctlMsg.EncodeFrames(client.CreateRequest("bench", [(ReadOnlyMemory<byte>)"inline"u8.ToArray()]));
        var pooled = RemctlMsg.EncodeFrames(client.CreateRequest("bench", [(ReadOnlyMemory<byte>)"persistent"u8.ToArray()]));
        var paths = new (string Name, Action RoundTrip)[]
        {
            ("raw libzmq REQ/REP", () => raw.RoundTrip(inline)),
            ("raw libzmq REQ/REP, REP in another process", () => HandlerBenchmarks.RoundTrip(toRawRep, inline)),
            ("inline handler, raw REQ client", () => HandlerBenchmarks.RoundTrip(toDaemon, inline)),
            ("inline handler, RemctlClient.Execute", () => client.Execute("bench", ["inline"])),
            ("pooled handler, raw REQ client", () => HandlerBenchmarks.RoundTrip(toDaemon, pooled)),
            ("pooled handler, RemctlClient.ExecuteAsync", () => client.ExecuteAsync("bench", ["persistent"]).GetAwaiter().GetResult()),
        };
        int[] processes = [Environment.ProcessId, daemon.ProcessId, rawRep.ProcessId];
        Console.WriteLine($"Voluntary context switches per round trip ({roundTrips} round trips each; load {File.ReadAllText("/proc/loadavg").Trim()})");
        foreach (var (name, roundTrip) in paths)
        {
            for (var i = 0; i < Math.Min(roundTrips, 2000); i++)
                roundTrip();
            var before = Snapshot(processes);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < roundTrips; i++)
                roundTrip();
            clock.Stop();
            var after = Snapshot(processes);
            var perThread = after
                .Select(entry => (Thread: entry.Key, Switches: (entry.Value - before.GetValueOrDefault(entry.Key)) / (double)roundTrips))
                .Where(entry => entry.Switches >= 0.01)
                .OrderByDescending(entry => entry.Switches)
                .ToList();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {perThread.Sum(entry => entry.Switches):F2} per round trip, {clock.Elapsed.TotalMicroseconds / roundTrips:F1} us per round trip"));
            foreach (var (thread, switches) in perThread)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {switches,6:F2}  {thread}"));
        }
    }

    /// <summary>Voluntary context switches by process and thread name (threads of one name summed).</summary>
    private static Dictionary<string, long> Snapshot(int[] processes)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pid in processes)
        {
            var process = pid == processes[0] ? "benchmark" : pid == processes[1] ? "daemon" : "raw REP process";
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string[] status;
                try
                {
                    status = File.ReadAllLines(Path.Combine(task, "status"));
                }
                catch (IOException)
                {
                    continue; // The thread ended between listing and reading.
                }
                var name = status.First(line => line.StartsWith("Name:", StringComparison.Ordinal))[5..].Trim();
                var switches = long.Parse(status.First(line => line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))[24..].Trim(), CultureInfo.InvariantCulture);
                var key = $"{process}: {name}";
                counts[key] = counts.GetValueOrDefault(key) + switches;
            }
        }
        return counts;
    }
}
