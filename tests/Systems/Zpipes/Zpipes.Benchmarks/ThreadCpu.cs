using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Zpipes.Benchmarks;

/// <summary>
/// CPU time of every thread of this process, from Linux's /proc/self/task/TID/stat (utime + stime, in
/// clock ticks of 10 ms): what the probes report per chunk, grouped by thread name, because CPU time
/// moves far less with other processes' load than wall time does.
/// </summary>
internal static class ThreadCpu
{
    private const double SecondsPerTick = 0.01;

    /// <summary>Ticks used so far by each live thread, by thread id, with its name.</summary>
    public static Dictionary<int, (string Name, long Ticks)> Snapshot()
    {
        var threads = new Dictionary<int, (string, long)>();
        if (!Directory.Exists("/proc/self/task"))
            return threads;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // "tid (name) state ppid ..." — the name may hold spaces and parentheses.
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                // Fields after the name start at field 3 (state); utime and stime are fields 14 and 15.
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (stat[(open + 1)..close], ticks);
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }
        return threads;
    }

    /// <summary>Microseconds of CPU per chunk since <paramref name="before"/>, by thread name (threads of one name summed), largest first.</summary>
    public static string PerChunk(Dictionary<int, (string Name, long Ticks)> before, long chunks)
    {
        var after = Snapshot();
        var byName = after
            .GroupBy(t => GroupName(t.Value.Name))
            .Select(g => (Name: g.Key, Ticks: g.Sum(t => t.Value.Ticks - (before.TryGetValue(t.Key, out var b) && b.Name == t.Value.Name ? b.Ticks : 0))))
            .Where(g => g.Ticks > 0)
            .OrderByDescending(g => g.Ticks)
            .ToList();
        var total = byName.Sum(g => g.Ticks);
        return string.Join(", ", byName.Select(g => FormattableString.Invariant($"{g.Name} {g.Ticks * SecondsPerTick * 1e6 / chunks:0.0}")))
            + FormattableString.Invariant($"; total {total * SecondsPerTick * 1e6 / chunks:0.0} µs CPU per chunk");
    }

    // Thread-pool workers and the like carry numbers or ids in their names; one group each.
    private static string GroupName(string name) => name.StartsWith(".NET TP", StringComparison.Ordinal) ? ".NET TP" : name;
}
