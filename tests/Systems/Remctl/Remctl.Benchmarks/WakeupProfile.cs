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
/// Where a round trip's time goes, counted rather than timed, so a loaded machine changes it little:
/// for each path the benchmarks measure, per round trip and per thread of the three processes (this
/// one, the daemon, the raw REP server), the voluntary context switches (a thread going to sleep, so
/// each is one wake-up later; from <c>/proc/PID/task/TID/status</c>) and the CPU time used (from
/// <c>/proc/PID/task/TID/stat</c>). A thread hand-off shows up as one more sleeping thread per round
/// trip. The elapsed time per round trip is shown too, measured with the paths taking turns, but the
/// latency figures of record are the BenchmarkDotNet run's. <c>dotnet Remctl.Benchmarks.dll wakeups [ROUND_TRIPS]</c>.
/// </summary>
internal static class WakeupProfile
{
    /// <summary>The kernel's clock ticks per second (USER_HZ), the unit of the CPU times in <c>stat</c>.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>How many turns each path takes.</summary>
    private const int Rounds = 20;

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
        foreach (var (_, roundTrip) in paths)
        {
            for (var i = 0; i < 2000; i++)
                roundTrip();
        }

        // The paths take turns in short blocks, so a change in the machine's load during the run
        // reaches every path alike; the elapsed time is the median over the blocks.
        var block = Math.Max(1, roundTrips / Rounds);
        var totals = paths.Select(_ => new Dictionary<string, (long Switches, long Ticks)>(StringComparer.Ordinal)).ToArray();
        var elapsed = paths.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                var before = Snapshot(processes);
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < block; i++)
                    paths[p].RoundTrip();
                clock.Stop();
                foreach (var (thread, (switches, ticks)) in Snapshot(processes))
                {
                    var (switchesBefore, ticksBefore) = before.GetValueOrDefault(thread);
                    var (switchesSum, ticksSum) = totals[p].GetValueOrDefault(thread);
                    totals[p][thread] = (switchesSum + switches - switchesBefore, ticksSum + ticks - ticksBefore);
                }
                elapsed[p].Add(clock.Elapsed.TotalMicroseconds / block);
            }
        }

        var measured = (double)block * Rounds;
        Console.WriteLine($"Per round trip, {Rounds} rounds of {block} round trips per path, taking turns (load {File.ReadAllText("/proc/loadavg").Trim()})");
        for (var p = 0; p < paths.Length; p++)
        {
            var perThread = totals[p]
                .Select(entry => (Thread: entry.Key,
                    Switches: entry.Value.Switches / measured,
                    CpuMicroseconds: entry.Value.Ticks / TicksPerSecond * 1e6 / measured))
                .Where(entry => entry.Switches >= 0.01 || entry.CpuMicroseconds >= 0.5)
                .OrderByDescending(entry => entry.Switches)
                .ToList();
            var times = elapsed[p].Order().ToList();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{paths[p].Name}: {perThread.Sum(entry => entry.Switches):F2} wake-ups, {perThread.Sum(entry => entry.CpuMicroseconds):F1} us CPU; elapsed median {times[times.Count / 2]:F1} us (best block {times[0]:F1} us)"));
            foreach (var (thread, switches, cpu) in perThread)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {switches,6:F2} wake-ups {cpu,6:F1} us CPU  {thread}"));
        }
    }

    /// <summary>Voluntary context switches and CPU ticks by process and thread name (threads of one name summed).</summary>
    private static Dictionary<string, (long Switches, long Ticks)> Snapshot(int[] processes)
    {
        var counts = new Dictionary<string, (long Switches, long Ticks)>(StringComparer.Ordinal);
        foreach (var pid in processes)
        {
            var process = pid == processes[0] ? "benchmark" : pid == processes[1] ? "daemon" : "raw REP process";
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string[] status;
                string stat;
                try
                {
                    status = File.ReadAllLines(Path.Combine(task, "status"));
                    stat = File.ReadAllText(Path.Combine(task, "stat"));
                }
                catch (IOException)
                {
                    continue; // The thread ended between listing and reading.
                }
                var name = status.First(line => line.StartsWith("Name:", StringComparison.Ordinal))[5..].Trim();
                var switches = long.Parse(status.First(line => line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))[24..].Trim(), CultureInfo.InvariantCulture);
                // utime and stime are fields 14 and 15; the name in parentheses (field 2) may hold spaces.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var key = $"{process}: {name}";
                var (totalSwitches, totalTicks) = counts.GetValueOrDefault(key);
                counts[key] = (totalSwitches + switches, totalTicks + ticks);
            }
        }
        return counts;
    }
}
