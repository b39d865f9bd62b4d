using System;
using BenchmarkDotNet.Running;

namespace Zproto.Runtime.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (Array.IndexOf(args, "--cpu-profile") >= 0)
        {
            CpuProfile.Run();
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
