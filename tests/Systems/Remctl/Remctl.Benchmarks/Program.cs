using BenchmarkDotNet.Running;

namespace Remctl.Benchmarks;

/// <summary>
/// Runs the remctl benchmarks, e.g.
/// <c>dotnet run -c Release --project tests/Systems/Remctl/Remctl.Benchmarks -- --filter '*' --job short</c>.
/// See docs/benchmarks-remctl.md.
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
