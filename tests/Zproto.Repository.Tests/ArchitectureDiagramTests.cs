using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Zproto.Repository.Tests;

/// <summary>
/// The Mermaid picture at the top of docs/architecture.md has exactly the edges the csproj files
/// have: solid arrows for ProjectReferences, dotted ones for the source generator as an analyzer.
/// </summary>
public sealed class ArchitectureDiagramTests
{
    private static readonly Regex s_node = new(@"^\s*(\w+)\[""([^""(]+?)\s*(?:\([^""]*\))?""\]\s*$", RegexOptions.Multiline);
    private static readonly Regex s_edge = new(@"^\s*(\w+)\s*(-->|-\.->)\s*(\w+)\s*$", RegexOptions.Multiline);

    [Fact]
    public void The_diagram_has_exactly_the_project_references_of_the_csproj_files()
    {
        var projects = ProductProjects();
        var expected = projects.SelectMany(p => References(p)).ToHashSet();
        var (nodes, drawn) = Diagram();

        // A project the picture does not declare gets its node line first, then its edges.
        var undeclared = projects.Select(p => System.IO.Path.GetFileNameWithoutExtension(p))
            .Where(name => !nodes.ContainsValue(name)).ToList();
        Assert.True(undeclared.Count == 0, "docs/architecture.md: declare in the mermaid block, inside its layer's subgraph: "
            + string.Join(", ", undeclared.Select(n => $"{Id(n)}[\"{n}\"]")));

        var drawnEdges = drawn.Select(e => new Edge(nodes[e.From], e.Arrow, nodes[e.To])).ToHashSet();
        var missing = expected.Except(drawnEdges).OrderBy(e => e.ToString(), StringComparer.Ordinal).ToList();
        var extra = drawnEdges.Except(expected).OrderBy(e => e.ToString(), StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "docs/architecture.md's mermaid block is out of step with the csproj files.\n"
            + string.Concat(missing.Select(e => $"  add:    {Id(e.From)} {e.Arrow} {Id(e.To)}\n"))
            + string.Concat(extra.Select(e => $"  remove: {Id(e.From)} {e.Arrow} {Id(e.To)}\n")));
        Assert.True(expected.Count >= 20, $"only {expected.Count} project references found: the csproj scan is broken");
    }

    [Fact]
    public void Every_node_of_the_diagram_is_a_project()
    {
        var names = ProductProjects().Select(p => System.IO.Path.GetFileNameWithoutExtension(p)).ToHashSet(StringComparer.Ordinal);
        var (nodes, _) = Diagram();

        Assert.All(nodes.Values, name => Assert.True(names.Contains(name), $"docs/architecture.md draws {name}, which is no project under generator/, src/ or samples/"));
    }

    /// <summary>The diagram's node ids: the project name with dots as underscores.</summary>
    private static string Id(string project) => project.Replace('.', '_').Replace('-', '_');

    /// <summary>The product's projects: generator/, src/ and samples/ (tests are not in the picture).</summary>
    private static List<string> ProductProjects()
    {
        var projects = Repository.SourceFiles
            .Where(f => f.EndsWith(".csproj", StringComparison.Ordinal)
                && (f.StartsWith("generator/", StringComparison.Ordinal) || f.StartsWith("src/", StringComparison.Ordinal) || f.StartsWith("samples/", StringComparison.Ordinal)))
            .Where(f => References(f).Any() || IsReferenced(f))
            .ToList();
        Assert.True(projects.Count >= 15, $"only {projects.Count} projects found under generator/, src/ and samples/");
        return projects;
    }

    // Projects with no project references at all (samples built from packages) are not layers of this picture.
    private static bool IsReferenced(string project) =>
        Repository.SourceFiles.Where(f => f.EndsWith(".csproj", StringComparison.Ordinal))
            .Any(f => References(f).Any(e => e.To == System.IO.Path.GetFileNameWithoutExtension(project)));

    private static IEnumerable<Edge> References(string project)
    {
        var from = System.IO.Path.GetFileNameWithoutExtension(project);
        var document = XDocument.Load(Repository.Path(project));
        foreach (var reference in document.Descendants("ProjectReference"))
        {
            var include = (string?)reference.Attribute("Include") ?? "";
            var arrow = (string?)reference.Attribute("OutputItemType") == "Analyzer" ? "-.->" : "-->";
            foreach (var target in include.Split(';', StringSplitOptions.RemoveEmptyEntries))
                yield return new Edge(from, arrow, System.IO.Path.GetFileNameWithoutExtension(target.Trim()));
        }
    }

    private static (Dictionary<string, string> Nodes, List<(string From, string Arrow, string To)> Edges) Diagram()
    {
        var text = File.ReadAllText(Repository.Path("docs", "architecture.md"));
        var start = text.IndexOf("```mermaid", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no ```mermaid block");
        var end = text.IndexOf("```", start + 10, StringComparison.Ordinal);
        var block = text[start..end];

        var nodes = s_node.Matches(block).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);
        var edges = s_edge.Matches(block).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();
        foreach (var (from, _, to) in edges)
        {
            Assert.True(nodes.ContainsKey(from), $"docs/architecture.md: edge from undeclared node {from}");
            Assert.True(nodes.ContainsKey(to), $"docs/architecture.md: edge to undeclared node {to}");
        }
        Assert.True(edges.Count >= 20, $"only {edges.Count} edges parsed from docs/architecture.md");
        return (nodes, edges);
    }

    private sealed record Edge(string From, string Arrow, string To);
}
