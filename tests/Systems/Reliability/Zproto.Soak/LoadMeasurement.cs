using System;

namespace Zproto.Soak;

/// <summary>Runs one load against a server and reports it: the load's own outcome, its peak RSS
/// against a bound, and whether RSS came back near idle in time.</summary>
internal static class LoadMeasurement
{
    public static void Run(ServerProcess server, long idle, string system, string attack, long bound, Func<string> load, Action<Result> report)
    {
        string outcome;
        bool ok;
        long peak;
        using (var probe = new RssProbe(server))
        {
            try
            {
                outcome = load();
                ok = true;
            }
            catch (Exception e)
            {
                outcome = $"{e.GetType().Name}: {e.Message}";
                ok = false;
            }
            peak = probe.Peak;
        }
        var (settled, seconds) = RssProbe.Settle(server, idle, Scale.SettleMargin, Scale.SettleLimit);
        var grew = peak - idle;
        ok &= grew < bound && settled - idle <= Scale.SettleMargin && !server.HasExited;
        report(new Result(system, attack,
            $"peak < idle + {Result.Mib(bound)}; back within {Result.Mib(Scale.SettleMargin)} in {Scale.SettleLimit.TotalSeconds:0} s",
            $"{outcome}; idle {Result.Mib(idle)}, peak idle + {Result.Mib(grew)}; after {seconds:0.0} s idle + {Result.Mib(settled - idle)}", ok));
    }
}
