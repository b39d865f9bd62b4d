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
/// trip. <c>dotnet Remctl.Benchmarks.dll wakeups [ROUND_TRIPS]</c>.
/// </summary>
internal static class WakeupProfile
{
    /// <summary>The kernel's clock ticks per second (USER_HZ), the unit of the CPU times in <c>stat</c>.</summary>
    private const double TicksPerSecond = 100;

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
                .Select(entry =>
                {
                    var (switches, ticks) = before.GetValueOrDefault(entry.Key);
                    return (Thread: entry.Key,
                        Switches: (entry.Value.Switches - switches) / (double)roundTrips,
                        CpuMicroseconds: (entry.Value.Ticks - ticks) / TicksPerSecond * 1e6 / roundTrips);
                })
                .Where(entry => entry.Switches >= 0.01 || entry.CpuMicroseconds >= 0.5)
                .OrderByDescending(entry => entry.Switches)
                .ToList();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {perThread.Sum(entry => entry.Switches):F2} wake-ups and {perThread.Sum(entry => entry.CpuMicroseconds):F1} us CPU per round trip; {clock.Elapsed.TotalMicroseconds / roundTrips:F1} us elapsed per round trip"));
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
