using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Zccp.Benchmarks;

internal static class Program
{
    // In process: the broker, its clients and the proxy are threads of the benchmark process on tcp://127.0.0.1.
    // Rows that measure another build's zccpd run only when ZCCP_BASELINE_DIR names one (BaselineBroker).
    private static void Main(string[] args)
    {
        var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess"));
        if (!BaselineBroker.IsConfigured)
            config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains(BaselineBroker.Category)));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
