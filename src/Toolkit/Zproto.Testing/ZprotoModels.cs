using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Zproto.CodeGen.Rendering;
using Zproto.Generator;

namespace Zproto.Testing;

/// <summary>
/// The models of one project and the build settings the generator reads, described as the
/// project file does: each model an <c>AdditionalFiles</c> item with optional <c>Namespace</c>
/// metadata, <c>.hbs</c> template overrides, and the project's <c>RootNamespace</c>.
/// <see cref="Generate"/> runs the same source generator the build runs, in-process.
/// </summary>
/// <example>
/// For <c>&lt;AdditionalFiles Include="Protocols/chat_msg.xml" Namespace="Chat.Protocols" /&gt;</c>
/// in <c>src/Chat/Chat.csproj</c>:
/// <code>
/// var generated = new ZprotoModels()
///     .WithRootNamespace("Chat")
///     .Add("../../src/Chat/Protocols/chat_msg.xml", @namespace: "Chat.Protocols")
///     .Generate();
/// generated.VerifySnapshots();
/// </code>
/// </example>
public sealed class ZprotoModels
{
    private readonly string _baseDirectory;
    private readonly List<InputFile> _files = [];
    private string _rootNamespace = "";

    /// <summary>
    /// An empty set whose relative paths resolve against <paramref name="baseDirectory"/>, by
    /// default the directory of the source file that calls this constructor (your test).
    /// </summary>
    public ZprotoModels(string? baseDirectory = null, [CallerFilePath] string callerFilePath = "")
    {
        _baseDirectory = baseDirectory ?? Path.GetDirectoryName(callerFilePath) ?? Directory.GetCurrentDirectory();
    }

    /// <summary>The project's <c>RootNamespace</c> (an SDK project's default is its file name).</summary>
    public ZprotoModels WithRootNamespace(string rootNamespace)
    {
        ArgumentNullException.ThrowIfNull(rootNamespace);
        _rootNamespace = rootNamespace;
        return this;
    }

    /// <summary>Adds a model file (or an included file, or a <c>.hbs</c> template), read now.</summary>
    /// <param name="path">Absolute, or relative to the base directory.</param>
    /// <param name="namespace">The item's <c>Namespace</c> metadata, if it has any.</param>
    /// <exception cref="FileNotFoundException">The file does not exist; the message names where it was looked for.</exception>
    public ZprotoModels Add(string path, string? @namespace = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(Path.Combine(_baseDirectory, path));
        if (!File.Exists(full))
            throw new FileNotFoundException($"model file '{path}' not found (looked for {full}); relative paths start at {_baseDirectory}", full);
        return AddText(full, File.ReadAllText(full), @namespace);
    }

    /// <summary>Adds every model and template file in <paramref name="directory"/> (not its subdirectories), in ordinal order.</summary>
    public ZprotoModels AddDirectory(string directory, string? @namespace = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(Path.Combine(_baseDirectory, directory));
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"model directory '{directory}' not found (looked for {full})");
        var files = Directory.GetFiles(full)
            .Where(f => Zproto.Model.ModelParser.IsModelFile(f) || f.EndsWith(".hbs", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
            AddText(file, File.ReadAllText(file), @namespace);
        return this;
    }

    /// <summary>Adds a file held in memory at <paramref name="path"/> (which need not exist).</summary>
    public ZprotoModels AddText(string path, string text, string? @namespace = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        _files.Add(new InputFile(path, text, @namespace ?? ""));
        return this;
    }

    /// <summary>Runs the source generator over the files, as the compiler does in a build.</summary>
    /// <exception cref="InvalidOperationException">No file was added, or the generator threw.</exception>
    public GeneratedCode Generate()
    {
        if (_files.Count == 0)
            throw new InvalidOperationException("no model files: add the project's models before generating");
        var options = new OptionsProvider(_rootNamespace, _files);
        var driver = CSharpGeneratorDriver.Create(
            [new ZprotoGenerator().AsSourceGenerator()],
            _files.Select(f => (AdditionalText)f),
            StrictCompilation.ParseOptions,
            options).RunGeneratorsAndUpdateCompilation(StrictCompilation.Create([]), out var compilation, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is { } e)
            throw new InvalidOperationException($"the generator failed: {e.Message}", e);
        var files = result.GeneratedSources
            .Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString()))
            .OrderBy(f => f.HintName, StringComparer.Ordinal)
            .ToImmutableArray();
        return new GeneratedCode(files, diagnostics, compilation);
    }

    /// <summary>An AdditionalFile held in memory, with its <c>Namespace</c> metadata.</summary>
    private sealed class InputFile(string path, string text, string @namespace) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

        public override string Path { get; } = path;

        public string Namespace { get; } = @namespace;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>What the generator package's props make visible: <c>RootNamespace</c> and each file's <c>Namespace</c>.</summary>
    private sealed class OptionsProvider(string rootNamespace, IEnumerable<InputFile> files) : AnalyzerConfigOptionsProvider
    {
        private static readonly Options s_empty = new(ImmutableDictionary<string, string>.Empty);
        private readonly Dictionary<AdditionalText, Options> _files = files.ToDictionary(
            f => (AdditionalText)f,
            f => f.Namespace.Length == 0 ? s_empty : new Options(ImmutableDictionary<string, string>.Empty.Add("build_metadata.AdditionalFiles.Namespace", f.Namespace)));

        public override AnalyzerConfigOptions GlobalOptions { get; } = rootNamespace.Length == 0
            ? s_empty
            : new Options(ImmutableDictionary<string, string>.Empty.Add("build_property.RootNamespace", rootNamespace));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => s_empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _files.GetValueOrDefault(textFile, s_empty);

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
