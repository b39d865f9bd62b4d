using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Zproto.CodeGen.Rendering;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Generator;

public sealed partial class ZprotoGenerator
{
    /// <summary>Names of the tracked pipeline steps, for incrementality tests.</summary>
    public static class StepNames
    {
        public const string Files = nameof(Files);
        public const string ModelInputs = nameof(ModelInputs);
        public const string Parse = nameof(Parse);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Specs = nameof(Specs);
        public const string Bind = nameof(Bind);
        public const string Templates = nameof(Templates);
        public const string Render = nameof(Render);
    }

    /// <summary>An AdditionalFile's path and text. Equatable, so unchanged files are cached.</summary>
    internal sealed record SourceFile(string Path, string Text);

    /// <summary>A model file with the namespace its code goes into.</summary>
    internal sealed record ModelInput(string Path, string Text, string Namespace);

    /// <summary>The parse result: a spec (null on errors), all diagnostics, and the namespace.</summary>
    internal sealed record ParsedModel(ProtocolSpec? Spec, EquatableArray<ModelDiagnostic> Diagnostics, string Namespace);

    /// <summary>What binding needs: no positions, so a comment edit that moves lines leaves it equal.</summary>
    internal sealed record SpecInput(ProtocolSpec Spec, string Namespace);

    /// <summary>Rendered files, or the internal error that stopped rendering.</summary>
    internal sealed record RenderOutput(EquatableArray<GeneratedFileSpec> Files, ModelDiagnostic? Error);

    /// <summary>A generated file as an equatable pair.</summary>
    internal sealed record GeneratedFileSpec(string HintName, string Text);

    private static SourceFile ReadFile(AdditionalText text, CancellationToken ct) =>
        new(ModelPaths.Normalize(text.Path), text.GetText(ct)?.ToString() ?? "");

    private static ModelInput? ReadModelInput(AdditionalText text, AnalyzerConfigOptionsProvider options, CancellationToken ct)
    {
        var content = text.GetText(ct)?.ToString() ?? "";
        var path = ModelPaths.Normalize(text.Path);
        // Other .xml/.yaml AdditionalFiles (included fragments, unrelated config) are not models.
        if (!ModelParser.LooksLikeModel(path, content))
            return null;
        var fileOptions = options.GetOptions(text);
        fileOptions.TryGetValue("build_metadata.AdditionalFiles.Namespace", out var ns);
        if (string.IsNullOrWhiteSpace(ns))
            options.GlobalOptions.TryGetValue("build_property.RootNamespace", out ns);
        return new ModelInput(path, content, string.IsNullOrWhiteSpace(ns) ? "" : ns!.Trim());
    }

    private static ParsedModel Parse(ModelInput input, ImmutableArray<SourceFile> files, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            var result = ModelParser.Parse(new ModelSource(input.Path, input.Text), new FileSetResolver(files));
            var ns = input.Namespace;
            if (result.Spec is { Namespace.Length: > 0 } spec && ns.Length == 0)
                ns = spec.Namespace;
            return new ParsedModel(result.Spec, result.Diagnostics, ns.Length == 0 ? "Zproto.Generated" : ns);
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            var d = DiagnosticDescriptors.InternalError;
            return new ParsedModel(null, new[] { new ModelDiagnostic(d.Id, d.Severity, string.Format(d.Format, e.Message), input.Path, 1, 1) }.ToEquatableArray(), input.Namespace);
        }
    }

    private static ProtocolView Bind(SpecInput input, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Zproto.CodeGen.Binding.Binder.Bind(input.Spec, input.Namespace);
    }

    private static RenderOutput Render(ProtocolView view, TemplateSet templates, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            var files = new List<GeneratedFileSpec>();
            foreach (var f in TemplateRenderer.Render(view, templates))
                files.Add(new GeneratedFileSpec(f.HintName, f.Text));
            return new RenderOutput(files.ToEquatableArray(), null);
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            var d = DiagnosticDescriptors.InternalError;
            return new RenderOutput(EquatableArray<GeneratedFileSpec>.Empty,
                new ModelDiagnostic(d.Id, d.Severity, string.Format(d.Format, $"rendering {view.FileName}: {e.Message}"), view.FileName, 1, 1));
        }
    }

    /// <summary>Resolves includes against the project's AdditionalFiles: analyzers may not read the disk.</summary>
    private sealed class FileSetResolver(ImmutableArray<SourceFile> files) : IModelFileResolver
    {
        public string? TryRead(string path)
        {
            var wanted = ModelPaths.Normalize(path);
            foreach (var f in files)
            {
                if (string.Equals(f.Path, wanted, System.StringComparison.Ordinal))
                    return f.Text;
            }
            return null;
        }
    }
}
