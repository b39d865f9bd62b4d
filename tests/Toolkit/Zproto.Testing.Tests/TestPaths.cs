using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace Zproto.Testing.Tests;

/// <summary>The repository (found by walking up to Zproto.Net.sln) and this project's source directory.</summary>
internal static class TestPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    /// <summary>This project's source directory, as the compiler recorded this file's path.</summary>
    public static string SourceDirectory { get; } = FindSourceDirectory();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Zproto.Net.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindSourceDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;
}
