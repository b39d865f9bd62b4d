using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Zproto.CodeGen.Rendering;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using Zproto.Model.Machines;
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
        public const string Machines = nameof(Machines);
        public const string MachineChecks = nameof(MachineChecks);
        public const string MachineBind = nameof(MachineBind);
        public const string MachineRender = nameof(MachineRender);
    }

    /// <summary>An AdditionalFile's path and text. Equatable, so unchanged files are cached.</summary>
    internal sealed record SourceFile(string Path, string Text);

    /// <summary>
    /// A model file with the namespaces the project offers for it: the file's own
    /// <c>Namespace</c> metadata and the project's <c>RootNamespace</c> (either may be empty).
    /// <see cref="ReferenceOnly"/> (metadata <c>ZprotoReference="true"</c>) marks a protocol whose
    /// code lives in a referenced assembly: its model serves checking and binding, nothing is emitted.
    /// </summary>
    internal sealed record ModelInput(string Path, string Text, string FileNamespace, string RootNamespace)
    {
        public bool ReferenceOnly { get; init; }
    }

    /// <summary>The parse result: a codec spec or a state machine (null on errors), all diagnostics, and the namespace.</summary>
    internal sealed record ParsedModel(ProtocolSpec? Spec, EquatableArray<ModelDiagnostic> Diagnostics, string Namespace)
    {
        /// <summary>The protocol's code is in a referenced assembly: bind machines to it, emit no codec.</summary>
        public bool ReferenceOnly { get; init; }
        public MachineSpec? Machine { get; init; }
        public MachinePositions? Positions { get; init; }
    }

    /// <summary>A state machine with the positions its checks report at.</summary>
    internal sealed record MachineInput(MachineSpec Machine, MachinePositions Positions, string Namespace);

    /// <summary>A machine after its checks: the protocol it speaks (when found and error-free) and the diagnostics.</summary>
    internal sealed record CheckedMachine(MachineSpec Machine, ProtocolSpec? Protocol, string ProtocolNamespace, string Namespace, EquatableArray<ModelDiagnostic> Diagnostics);

    /// <summary>What machine binding needs: no positions.</summary>
    internal sealed record MachineBindInput(MachineSpec Machine, ProtocolSpec Protocol, string ProtocolNamespace, string Namespace);

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
        options.GetOptions(text).TryGetValue("build_metadata.AdditionalFiles.Namespace", out var fileNamespace);
        options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var rootNamespace);
        options.GetOptions(text).TryGetValue("build_metadata.AdditionalFiles.ZprotoReference", out var reference);
        return new ModelInput(path, content, Trimmed(fileNamespace), Trimmed(rootNamespace))
        {
            ReferenceOnly = string.Equals(Trimmed(reference), "true", System.StringComparison.OrdinalIgnoreCase),
        };
    }

    private static string Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? "" : value!.Trim();

    /// <summary>
    /// The namespace of a model's code: the file's <c>Namespace</c> metadata, else the model's own
    /// <c>namespace</c> attribute, else the project's <c>RootNamespace</c>, else <c>Zproto.Generated</c>.
    /// The model's attribute comes before RootNamespace because every SDK project has a
    /// RootNamespace; it is also the order the CLI uses (--namespace, attribute, default).
    /// </summary>
    internal static string ChooseNamespace(ModelInput input, ProtocolSpec? spec)
    {
        if (input.FileNamespace.Length > 0)
            return input.FileNamespace;
        if (spec is { Namespace.Length: > 0 })
            return spec.Namespace;
        return input.RootNamespace.Length > 0 ? input.RootNamespace : DefaultNamespace;
    }

    /// <summary>The namespace used when neither the project nor the model names one.</summary>
    internal const string DefaultNamespace = "Zproto.Generated";

    private static ParsedModel Parse(ModelInput input, ImmutableArray<SourceFile> files, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            var result = ModelParser.Parse(new ModelSource(input.Path, input.Text), new FileSetResolver(files));
            return new ParsedModel(result.Spec, result.Diagnostics, ChooseNamespace(input, result.Spec))
            {
                ReferenceOnly = input.ReferenceOnly,
                Machine = result.Machine,
                Positions = result.MachinePositions,
            };
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            var d = DiagnosticDescriptors.InternalError;
            return new ParsedModel(null, new[] { new ModelDiagnostic(d.Id, d.Severity, string.Format(d.Format, e.Message), input.Path, 1, 1) }.ToEquatableArray(), ChooseNamespace(input, null));
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

    private static CheckedMachine CheckMachine(MachineInput input, ImmutableArray<SpecInput> protocols, ImmutableArray<MachineSpec> machines, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        SpecInput? protocol = null;
        foreach (var p in protocols)
            if (Naming.Key(p.Spec.Name) == Naming.Key(input.Machine.ProtocolClass)) protocol = p;
        MachineSpec? counterpart = null;
        foreach (var m in machines)
            if (m.Kind != input.Machine.Kind && Naming.Key(m.ProtocolClass) == Naming.Key(input.Machine.ProtocolClass)) counterpart = m;
        var diagnostics = MachineChecker.Check(input.Machine, input.Positions, protocol?.Spec, counterpart);
        return new CheckedMachine(input.Machine, protocol?.Spec, protocol?.Namespace ?? "", input.Namespace, diagnostics.ToEquatableArray());
    }

    private static MachineView BindMachine(MachineBindInput input, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Zproto.CodeGen.Binding.MachineBinder.Bind(input.Machine, input.Protocol, input.ProtocolNamespace, input.Namespace);
    }

    private static RenderOutput RenderMachine(MachineView view, TemplateSet templates, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            var file = TemplateRenderer.RenderMachine(view, templates);
            return new RenderOutput(new[] { new GeneratedFileSpec(file.HintName, file.Text) }.ToEquatableArray(), null);
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
