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
        var spin = Array.IndexOf(args, "--spin");
        if (spin >= 0)
        {
            CpuProfile.Spin(args.Length > spin + 1 ? args[spin + 1] : "generated", args.Length > spin + 2 ? int.Parse(args[spin + 2], System.Globalization.CultureInfo.InvariantCulture) : 20);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
