using System;
using System.IO;

namespace Zproto.Cli.Tests;

/// <summary>Paths in the repository and of the zproto.dll under test, found from the test assembly.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Reference data copied into the repository (tests/reference/README.md).</summary>
    public static string Reference => Path.Combine(Root, "tests", "reference");

    /// <summary>The reference C codec's golden vectors.</summary>
    public static string Vectors => Path.Combine(Reference, "vectors");

    public static string Models => Path.Combine(Root, "models");

    public static string Model(string fileName) => Path.Combine(Models, fileName);

    /// <summary>The CLI's own assembly, copied next to the tests by the project reference.</summary>
    public static string ZprotoDll => Path.Combine(AppContext.BaseDirectory, "zproto.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Zproto.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
