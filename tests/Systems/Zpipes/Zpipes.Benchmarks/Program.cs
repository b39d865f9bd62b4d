using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Running;

namespace Zpipes.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        // probe CHUNK WINDOW...: the backlog measurement (see BacklogProbe), not a BenchmarkDotNet run.
        if (args.Length >= 3 && args[0] == "probe")
        {
            var numbers = args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
            BacklogProbe.RunAsync(numbers[0], numbers[1..]).GetAwaiter().GetResult();
            return;
        }
        // raw CHUNK ROUNDS: only the raw forward, for a profiler (perf) to compare against a probe.
        if (args.Length == 3 && args[0] == "raw")
        {
            var bench = new ThroughputBenchmarks { ChunkSize = int.Parse(args[1], CultureInfo.InvariantCulture) };
            bench.Setup();
            bench.Raw_forward().GetAwaiter().GetResult(); // warm-up
            var cpu = ThreadCpu.Snapshot();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
            for (var i = 0; i < rounds; i++)
                bench.Raw_forward().GetAwaiter().GetResult();
            Console.WriteLine(FormattableString.Invariant($"raw forward, chunk {bench.ChunkSize}: {rounds * (double)ThroughputBenchmarks.BytesPerOperation / watch.Elapsed.TotalSeconds / 1e6:0.0} MB/s over {rounds} rounds"));
            Console.WriteLine("  " + ThreadCpu.PerChunk(cpu, (long)rounds * (ThroughputBenchmarks.BytesPerOperation / bench.ChunkSize)));
            bench.Cleanup();
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ThroughputConfig.Create());
    }
}
