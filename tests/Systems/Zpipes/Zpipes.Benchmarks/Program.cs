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
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ThroughputConfig.Create());
    }
}
