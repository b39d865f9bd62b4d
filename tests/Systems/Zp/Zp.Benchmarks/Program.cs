using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;

namespace Zp.Benchmarks;

internal static class Program
{
    /// <summary>
    /// One in-process job: each operation is seconds of work by other processes, so it runs once
    /// per iteration (the monitoring strategy), one warm-up and three measured iterations.
    /// </summary>
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args,
        DefaultConfig.Instance.AddJob(Job.ShortRun
            // A copy of 1 GiB on a busy machine outlasts the in-process toolchain's default 5 minutes.
            .WithToolchain(new InProcessNoEmitToolchain(TimeSpan.FromHours(2), logOutput: true))
            .WithStrategy(RunStrategy.Monitoring)
            .WithWarmupCount(1)
            .WithId("Processes")));
}
