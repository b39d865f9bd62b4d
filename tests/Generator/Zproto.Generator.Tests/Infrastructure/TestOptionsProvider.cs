using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Zproto.Generator.Tests.Infrastructure;

/// <summary>
/// What MSBuild's .editorconfig-style options give the generator: global build properties
/// (<c>build_property.RootNamespace</c>) and per-AdditionalFile metadata
/// (<c>build_metadata.AdditionalFiles.Namespace</c>), keyed by the file's path.
/// </summary>
internal sealed class TestOptionsProvider : AnalyzerConfigOptionsProvider
{
    private static readonly DictionaryOptions s_empty = new(ImmutableDictionary<string, string>.Empty);
    private readonly ImmutableDictionary<string, DictionaryOptions> _files;

    private TestOptionsProvider(DictionaryOptions global, ImmutableDictionary<string, DictionaryOptions> files)
    {
        GlobalOptions = global;
        _files = files;
    }

    public static TestOptionsProvider Empty { get; } = new(s_empty, ImmutableDictionary<string, DictionaryOptions>.Empty);

    public override AnalyzerConfigOptions GlobalOptions { get; }

    /// <summary>Adds the project's RootNamespace, as the package's props make visible.</summary>
    public TestOptionsProvider WithRootNamespace(string rootNamespace) =>
        new(new DictionaryOptions(((DictionaryOptions)GlobalOptions).Values.SetItem("build_property.RootNamespace", rootNamespace)), _files);

    /// <summary>Adds <c>Namespace</c> metadata to the AdditionalFile at <paramref name="path"/>.</summary>
    public TestOptionsProvider WithFileNamespace(string path, string @namespace) =>
        new((DictionaryOptions)GlobalOptions, _files.SetItem(path, new DictionaryOptions(ImmutableDictionary<string, string>.Empty.Add("build_metadata.AdditionalFiles.Namespace", @namespace))));

    /// <summary>Adds item metadata <paramref name="name"/> to the AdditionalFile at <paramref name="path"/>, keeping what it has.</summary>
    public TestOptionsProvider WithFileMetadata(string path, string name, string value)
    {
        var current = _files.TryGetValue(path, out var options) ? options.Values : ImmutableDictionary<string, string>.Empty;
        return new((DictionaryOptions)GlobalOptions, _files.SetItem(path, new DictionaryOptions(current.SetItem("build_metadata.AdditionalFiles." + name, value))));
    }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => s_empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        _files.TryGetValue(textFile.Path, out var options) ? options : s_empty;

    private sealed class DictionaryOptions(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public ImmutableDictionary<string, string> Values { get; } = values.WithComparers(StringComparer.OrdinalIgnoreCase);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => Values.TryGetValue(key, out value);
    }
}
