using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Zproto.Generator.Tests.Infrastructure;

/// <summary>Paths in the repository, found by walking up from the test assembly to Zproto.Net.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    public static string Templates => Path.Combine(Root, "templates");

    /// <summary>This project's source directory (where snapshots and the package consumer live).</summary>
    public static string TestSourceDirectory { get; } = FindTestSourceDirectory();

    /// <summary>File names of every model in models/, in ordinal order.</summary>
    public static IReadOnlyList<string> ModelFileNames { get; } = ListModels();

    public static string ModelPath(string fileName) => Path.Combine(Models, fileName);

    public static string ReadModel(string fileName) => File.ReadAllText(ModelPath(fileName));

    /// <summary>
    /// <paramref name="fileName"/> and the models it needs: a state machine model names its
    /// codec model in <c>protocol_class</c>, which must be an AdditionalFile beside it.
    /// </summary>
    public static string[] WithDependencies(string fileName)
    {
        var match = Regex.Match(ReadModel(fileName), @"\bprotocol_class\s*=\s*""([^""]+)""");
        if (!match.Success)
            return [fileName];
        var protocol = match.Groups[1].Value;
        var dependency = ModelFileNames.FirstOrDefault(m => Path.GetFileNameWithoutExtension(m) == protocol)
            ?? throw new InvalidOperationException($"{fileName} speaks {protocol}, which is not in models/");
        return [fileName, dependency];
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Zproto.Net.sln not found above " + AppContext.BaseDirectory);
    }

    // The compiler records this file's path; fall back to the conventional place when the build
    // mapped source paths (deterministic CI builds may).
    private static string FindTestSourceDirectory([CallerFilePath] string thisFile = "")
    {
        var dir = Path.GetDirectoryName(Path.GetDirectoryName(thisFile));
        if (dir is not null && File.Exists(Path.Combine(dir, "Zproto.Generator.Tests.csproj")))
            return dir;
        return Path.Combine(Root, "tests", "Generator", "Zproto.Generator.Tests");
    }

    private static IReadOnlyList<string> ListModels()
    {
        var names = new List<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(Root, "models")))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(".xml", StringComparison.Ordinal) || name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
                names.Add(name);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
