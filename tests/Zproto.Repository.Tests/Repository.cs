using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Zproto.Repository.Tests;

/// <summary>The repository's root (found by walking up to Zproto.Net.sln) and its source files.</summary>
internal static class Repository
{
    // Build output, caches and results: not part of the sources.
    private static readonly HashSet<string> s_skippedDirectories = new(StringComparer.Ordinal)
    {
        ".git", "bin", "obj", "artifacts", "TestResults", "BenchmarkDotNet.Artifacts", "node_modules", ".vs",
    };

    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Every file under the root except build output, relative with '/' separators, in ordinal order.</summary>
    public static IReadOnlyList<string> SourceFiles { get; } = ListSourceFiles();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Zproto.Net.sln not found above " + AppContext.BaseDirectory);
    }

    private static List<string> ListSourceFiles()
    {
        var files = new List<string>();
        var pending = new Stack<string>();
        pending.Push(Root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.GetDirectories(dir))
                if (!s_skippedDirectories.Contains(System.IO.Path.GetFileName(sub))) pending.Push(sub);
            files.AddRange(Directory.GetFiles(dir).Select(f => System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/')));
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
