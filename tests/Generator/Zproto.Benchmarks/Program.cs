using BenchmarkDotNet.Running;

namespace Zproto.Benchmarks;

/// <summary>
/// Runs the codec benchmarks chosen on the command line, for example
/// <c>dotnet run -c Release --project tests/Generator/Zproto.Benchmarks -- --filter '*'</c>, or with
/// <c>--job short</c> for a quick smoke run. See docs/benchmarks.md.
/// </summary>
/// <remarks>
/// <c>-- --codec-cpu-time</c> prints the processor time per operation of each <see cref="CFixturesBenchmarks"/>
/// case (best of 3 runs), the C benchmark's method, for when the machine is too loaded for wall time.
/// <c>-- --codec-profile</c> prints the processor time of the parts of one LOG decode and encode (<see cref="CodecProfile"/>).
/// <c>-- --generation-cpu-time</c> instead prints the processor time of one generation of every
/// model (after warm-up): on a shared machine under heavy load, wall time measures the other
/// tenants as much as the generator, processor time does not.
/// </remarks>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["--generation-cpu-time"])
        {
            GenerationCpuTime();
            return;
        }
        if (args is ["--codec-cpu-time"])
        {
            CFixturesBenchmarks.CpuTime();
            return;
        }
        if (args is ["--codec-profile"])
        {
            CodecProfile.Run();
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void GenerationCpuTime()
    {
        const int Warmup = 10, Runs = 20;
        var benchmark = new GenerationBenchmarks();
        benchmark.Setup();
        for (var i = 0; i < Warmup; i++)
            benchmark.GenerateAll();
        var process = System.Diagnostics.Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Runs; i++)
            benchmark.GenerateAll();
        wall.Stop();
        process.Refresh();
        var perRun = (process.TotalProcessorTime - cpu).TotalMilliseconds / Runs;
        System.Console.WriteLine($"generate every model in models/: {perRun:F1} ms processor time per run (all threads, GC included), {wall.Elapsed.TotalMilliseconds / Runs:F1} ms wall, {Runs} runs after {Warmup} warm-up runs");
    }
}
