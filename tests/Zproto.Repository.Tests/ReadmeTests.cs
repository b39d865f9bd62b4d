using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Zproto.Repository.Tests;

/// <summary>
/// The README's tour compiles because it is the sample's own code: every C# and XML snippet in
/// README.md is a run of consecutive lines of a file under samples/Hello (indentation aside), and
/// .ci/run builds and runs that sample from the packages.
/// </summary>
public sealed class ReadmeTests
{
    private static readonly Regex s_block = new(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);

    [Fact]
    public void Every_csharp_and_xml_snippet_is_taken_from_samples_Hello()
    {
        var readme = File.ReadAllText(Repository.Path("README.md")).Replace("\r\n", "\n");
        var snippets = s_block.Matches(readme)
            .Where(m => m.Groups[1].Value is "csharp" or "xml")
            .Select(m => Lines(m.Groups[2].Value))
            .ToList();
        var sampleFiles = Repository.SourceFiles
            .Where(f => f.StartsWith("samples/Hello/", StringComparison.Ordinal) && (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".xml", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
            .ToDictionary(f => f, f => Lines(File.ReadAllText(Repository.Path(f))));

        Assert.True(snippets.Count >= 6, $"only {snippets.Count} C#/XML snippets found in README.md");
        Assert.True(sampleFiles.Count >= 7, $"only {sampleFiles.Count} files found under samples/Hello");
        foreach (var snippet in snippets)
        {
            Assert.True(sampleFiles.Values.Any(file => Contains(file, snippet)),
                "README.md snippet is not in any file of samples/Hello (copy it from there, or change the sample):\n" + string.Join('\n', snippet));
        }
    }

    [Fact]
    public void The_sample_references_packages_only()
    {
        var projects = Repository.SourceFiles.Where(f => f.StartsWith("samples/Hello/", StringComparison.Ordinal) && f.EndsWith(".csproj", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, projects.Count);
        foreach (var project in projects)
        {
            var text = File.ReadAllText(Repository.Path(project));
            Assert.DoesNotContain("ProjectReference", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<Import", text, StringComparison.Ordinal);
            Assert.Contains("<PackageReference Include=\"Zproto.Net.Generator\"", text, StringComparison.Ordinal);
        }
    }

    /// <summary>Non-blank lines, trimmed: snippets keep their own indentation.</summary>
    private static List<string> Lines(string text) =>
        text.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    private static bool Contains(List<string> file, List<string> snippet)
    {
        for (var start = 0; start + snippet.Count <= file.Count; start++)
        {
            var i = 0;
            while (i < snippet.Count && file[start + i] == snippet[i])
                i++;
            if (i == snippet.Count)
                return true;
        }
        return false;
    }
}
