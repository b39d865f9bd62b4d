using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Zproto.Repository.Tests;

/// <summary>
/// A fresh clone with nothing beside it must build, test and run: no source, project or script file
/// may read the reference material kept next to the repository, or any other path outside it.
/// </summary>
public sealed class SelfContainedTests
{
    // Built from parts so this file does not match itself.
    private static readonly string[] s_forbidden = [".." + "/shared", "/work" + "/", "/home" + "/", "/root" + "/"];

    // MSBuild paths: Include/Update/Remove/Project attributes and $(MSBuildThisFileDirectory)-relative values.
    private static readonly Regex s_msbuildPath = new(@"\b(?:Include|Project|Update|Remove|Link)\s*=\s*""([^""]*)""", RegexOptions.CultureInvariant);

    private static readonly string[] s_sourceExtensions = [".cs", ".csproj", ".props", ".targets", ".sh", ".json", ".config", ".sln"];

    public static IEnumerable<string> ScannedFiles() =>
        Repository.SourceFiles.Where(f => f == ".ci/run" || s_sourceExtensions.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            // Golden vectors are data, not code: their text never names a path that is read.
            .Where(f => !f.StartsWith("tests/reference/", StringComparison.Ordinal));

    [Fact]
    public void No_source_project_or_script_file_names_a_path_outside_the_repository()
    {
        var files = ScannedFiles().ToList();
        var offenders = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(Repository.Path(file));
            for (var i = 0; i < lines.Length; i++)
                foreach (var needle in s_forbidden)
                    if (lines[i].Contains(needle, StringComparison.Ordinal))
                        offenders.Add($"{file}:{i + 1}: {lines[i].Trim()}");
        }

        Assert.True(offenders.Count == 0, "paths outside the repository:\n" + string.Join('\n', offenders));
        Assert.True(files.Count > 200, $"only {files.Count} files scanned: the walk is broken");
        Assert.Contains(".ci/run", files);
    }

    [Fact]
    public void Every_relative_path_in_an_msbuild_file_stays_inside_the_repository()
    {
        var files = Repository.SourceFiles.Where(f => f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal)).ToList();
        var root = Repository.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var offenders = new List<string>();
        var checkedPaths = 0;
        foreach (var file in files)
        {
            var directory = Path.GetDirectoryName(Repository.Path(file))!;
            foreach (Match match in s_msbuildPath.Matches(File.ReadAllText(Repository.Path(file))))
            {
                foreach (var value in match.Groups[1].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    // Package ids, item transforms and property-built paths are not literal file paths.
                    if (value.Contains("$(", StringComparison.Ordinal) || value.Contains("@(", StringComparison.Ordinal) || !value.Contains('/'))
                        continue;
                    checkedPaths++;
                    var full = Path.GetFullPath(Path.Combine(directory, value));
                    if (!full.StartsWith(root, StringComparison.Ordinal))
                        offenders.Add($"{file}: {value} -> {full}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "MSBuild paths outside the repository:\n" + string.Join('\n', offenders));
        Assert.True(checkedPaths > 30, $"only {checkedPaths} MSBuild paths checked: the scan is broken");
    }
}
