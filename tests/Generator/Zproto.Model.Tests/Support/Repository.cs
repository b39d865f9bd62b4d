using System;
using System.IO;

namespace Zproto.Model.Tests.Support;

/// <summary>Paths in the repository, found from the test assembly's location.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    public static string Docs => Path.Combine(Root, "docs");

    /// <summary>The YAML fixtures of this test project (read from the source tree, not copied).</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "Generator", "Zproto.Model.Tests", "Fixtures");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Zproto.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
