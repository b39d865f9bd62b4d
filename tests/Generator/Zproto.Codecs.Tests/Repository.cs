using System;
using System.IO;

namespace Zproto.Codecs.Tests;

/// <summary>Paths in the repository, found from the test assembly's location.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The reference C codec's golden vectors, copied into the repository (tests/reference/README.md).</summary>
    public static string Vectors => Path.Combine(Root, "tests", "reference", "vectors");

    public static string Models => Path.Combine(Root, "models");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Zproto.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
