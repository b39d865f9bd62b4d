using System;
using System.IO;

namespace Zproto.Codecs.Tests;

/// <summary>Paths of the repository and of ../shared, found from the test assembly's location.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Vectors => Path.Combine(Shared, "vectors");

    public static string Models => Path.Combine(Root, "models");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Zproto.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
