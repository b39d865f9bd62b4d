using System;
using System.Diagnostics;
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
    /// <c>--crypto-floor</c> instead runs <see cref="CryptoFloorBenchmarks"/> and prints the CPU
    /// time of each operation, which a loaded machine does not inflate as it does wall time.
    /// </summary>
    private static void Main(string[] args)
    {
        if (args is ["--crypto-floor"])
        {
            CryptoFloor();
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args,
            DefaultConfig.Instance.AddJob(Job.ShortRun
                // A copy of 1 GiB on a busy machine outlasts the in-process toolchain's default 5 minutes.
                .WithToolchain(new InProcessNoEmitToolchain(TimeSpan.FromHours(2), logOutput: true))
                .WithStrategy(RunStrategy.Monitoring)
                .WithWarmupCount(1)
                .WithId("Processes")));
    }

    /// <summary>Each crypto operation once to warm up, then five times; the process's CPU time per run (one thread works).</summary>
    private static void CryptoFloor()
    {
        var floor = new CryptoFloorBenchmarks();
        floor.Setup();
        foreach (var (name, operation) in new (string, Action)[]
        {
            ("CURVE seal 1 GiB (sender's I/O thread)", floor.CurveSeal_1GiB),
            ("CURVE open 1 GiB (receiver's I/O thread)", floor.CurveOpen_1GiB),
            ("SHA-256 1 GiB (each side)", () => floor.Sha256_1GiB()),
        })
        {
            operation();
            var runs = new double[5];
            for (var i = 0; i < runs.Length; i++)
            {
                var before = Process.GetCurrentProcess().TotalProcessorTime;
                operation();
                runs[i] = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
            }
            Array.Sort(runs);
            Console.WriteLine($"{name}: CPU min {runs[0]:0.000} s, median {runs[2]:0.000} s");
        }
    }
}
