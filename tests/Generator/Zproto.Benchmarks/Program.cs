using BenchmarkDotNet.Running;

namespace Zproto.Benchmarks;

/// <summary>
/// Runs the codec benchmarks chosen on the command line, for example
/// <c>dotnet run -c Release --project tests/Generator/Zproto.Benchmarks -- --filter '*'</c>, or with
/// <c>--job short</c> for a quick smoke run. See docs/benchmarks.md.
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
