using BenchmarkDotNet.Running;

namespace Zpipes.Benchmarks;

internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ThroughputConfig.Create());
}
