using System.Globalization;
using BenchmarkDotNet.Running;

namespace Remctl.Benchmarks;

/// <summary>
/// Runs the remctl benchmarks, e.g.
/// <c>dotnet run -c Release --project tests/Systems/Remctl/Remctl.Benchmarks -- --filter '*' --job short</c>,
/// or, with <c>wakeups [ROUND_TRIPS]</c>, the wake-up profile instead (<see cref="WakeupProfile"/>).
/// See docs/benchmarks-remctl.md.
/// </summary>
public static class Program
{
    /// <summary>The argument that runs this program as the raw REP server of <see cref="ServerProcess.StartRawRep"/>.</summary>
    internal const string RawRepCommand = "raw-rep";

    public static void Main(string[] args)
    {
        if (args is [RawRepCommand])
        {
            RawReqRep.ServeForever();
            return;
        }
        if (args is ["wakeups", .. var rest])
        {
            WakeupProfile.Run(rest is [var count] ? int.Parse(count, CultureInfo.InvariantCulture) : 20_000);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
