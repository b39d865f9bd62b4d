using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Model.Tests.Support;

/// <summary>Parsing helpers and diagnostic assertions shared by the tests.</summary>
internal static class Models
{
    /// <summary>The model files in models/, by file name.</summary>
    public static IEnumerable<string> All =>
        Directory.EnumerateFiles(Repository.Models)
            .Where(ModelParser.IsModelFile)
            .Select(p => Path.GetFileName(p)!)
            .OrderBy(n => n, StringComparer.Ordinal);

    public static TheoryData<string> AllNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in All)
            data.Add(name);
        return data;
    }

    /// <summary>Parses models/<paramref name="fileName"/>.</summary>
    public static ParseResult ParseRepositoryModel(string fileName)
    {
        var path = Path.Combine(Repository.Models, fileName);
        return ModelParser.Parse(new ModelSource(path, File.ReadAllText(path)), DiskFiles.Instance);
    }

    /// <summary>Parses a fixture of this project.</summary>
    public static ParseResult ParseFixture(string fileName)
    {
        var path = Path.Combine(Repository.Fixtures, fileName);
        return ModelParser.Parse(new ModelSource(path, File.ReadAllText(path)), DiskFiles.Instance);
    }

    /// <summary>Parses inline model text; the extension of <paramref name="path"/> picks XML or YAML.</summary>
    public static ParseResult Parse(string text, string path = "test.xml", params (string Path, string Text)[] files) =>
        ModelParser.Parse(new ModelSource(path, text), new MemoryFiles(files));

    public static ParseResult Yaml(string text, string path = "test.yaml", params (string Path, string Text)[] files) =>
        Parse(text, path, files);

    /// <summary>Parses a model that must have no diagnostics at all and returns its spec.</summary>
    public static ProtocolSpec Clean(string text, string path = "test.xml", params (string Path, string Text)[] files)
    {
        var result = Parse(text, path, files);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    /// <summary>
    /// The 1-based (line, column) of the <paramref name="occurrence"/>-th occurrence of
    /// <paramref name="marker"/> in <paramref name="text"/>: how tests say where a diagnostic must point.
    /// </summary>
    public static (int Line, int Column) At(string text, string marker, int occurrence = 1)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = text.IndexOf(marker, index + 1, StringComparison.Ordinal);
            if (index < 0)
                throw new ArgumentException($"'{marker}' occurs fewer than {occurrence} time(s)");
        }
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, index - lineStart + 1);
    }

    /// <summary>
    /// Asserts that <paramref name="result"/> has exactly one diagnostic with <paramref name="id"/>,
    /// of the descriptor's severity, at <paramref name="file"/> and <paramref name="at"/>; returns it.
    /// </summary>
    public static ModelDiagnostic Single(ParseResult result, DiagnosticDescriptor descriptor, string file, (int Line, int Column) at)
    {
        var matching = result.Diagnostics.Where(d => d.Id == descriptor.Id).ToList();
        Assert.True(matching.Count == 1, $"expected one {descriptor.Id}, got:\n{string.Join("\n", result.Diagnostics)}");
        var d = matching[0];
        Assert.Equal(descriptor.Severity, d.Severity);
        Assert.Equal(file, d.File);
        Assert.Equal(at, (d.Line, d.Column));
        if (descriptor.Severity == Severity.Error)
            Assert.Null(result.Spec);
        else
            Assert.NotNull(result.Spec);
        return d;
    }

    /// <summary>Asserts the only diagnostic is <paramref name="descriptor"/> (nothing else was reported).</summary>
    public static ModelDiagnostic Only(ParseResult result, DiagnosticDescriptor descriptor, string file, (int Line, int Column) at)
    {
        var d = Single(result, descriptor, file, at);
        Assert.True(result.Diagnostics.Count == 1, $"expected only {descriptor.Id}, got:\n{string.Join("\n", result.Diagnostics)}");
        return d;
    }
}
