using System;
using System.Collections.Generic;
using System.Linq;
using Zproto.CodeGen.Binding;
using Zproto.CodeGen.Rendering;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using Zproto.Model.Machines;
using Zproto.Model.Syntax;

namespace Zproto.CodeGen.Pipeline;

/// <summary>
/// The generation pipeline both front ends run: the source generator calls its steps one by one
/// (so each is cached on its own), the <c>zproto</c> CLI calls <see cref="Run"/>. The steps:
/// find a model's includes; parse it (namespace by <see cref="NamespacePolicy"/>); check each
/// state machine against the protocol and other side <see cref="ProtocolResolution"/> finds;
/// bind; render through a <see cref="TemplateSet"/>. The result is files and diagnostics.
/// </summary>
/// <remarks>
/// Every step is guarded: an exception inside one becomes ZP9001 at the model it was working
/// on, never a crash of the compiler or the CLI. A template problem is ZP2024 (an unknown name
/// in a binding expression) or ZP2025 (a template that does not compile), at the template file.
/// </remarks>
public static class GenerationPipeline
{
    /// <summary>True when any of <paramref name="diagnostics"/> is an error.</summary>
    public static bool HasErrors(IEnumerable<ModelDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
            if (d.Severity == Severity.Error) return true;
        return false;
    }

    /// <summary>Step 1: the files <paramref name="model"/> includes (transitively), with their texts.</summary>
    public static ModelWithIncludes FindIncludes(ModelInput model, IModelFileResolver files)
    {
        try
        {
            var found = new List<IncludedFile>();
            foreach (var read in ModelParser.IncludedFiles(new ModelSource(model.Path, model.Text), files))
                found.Add(new IncludedFile(read.Key, read.Value));
            return new ModelWithIncludes(model, found.ToEquatableArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Parse reports the failure: it reads the same text.
            return new ModelWithIncludes(model, EquatableArray<IncludedFile>.Empty);
        }
    }

    /// <summary>Step 2: parses a model whose includes were found by <see cref="FindIncludes"/>.</summary>
    public static ParsedModel Parse(ModelWithIncludes input, string projectNamespace) =>
        Parse(input.Model, new IncludeResolver(input.Includes), projectNamespace);

    /// <summary>Step 2: parses <paramref name="input"/>, reading includes through <paramref name="resolver"/>.</summary>
    public static ParsedModel Parse(ModelInput input, IModelFileResolver resolver, string projectNamespace)
    {
        try
        {
            var result = ModelParser.Parse(new ModelSource(input.Path, input.Text), resolver);
            return new ParsedModel(input.Path, result.Spec, result.Diagnostics, NamespacePolicy.Choose(input.ExplicitNamespace, result.Spec, projectNamespace))
            {
                ReferenceOnly = input.ReferenceOnly,
                Machine = result.Machine,
                CheckableMachine = result.CheckableMachine,
                Positions = result.MachinePositions,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ParsedModel(input.Path, null, new[] { InternalError(input.Path, "parsing", e) }.ToEquatableArray(),
                NamespacePolicy.Choose(input.ExplicitNamespace, null, projectNamespace))
            {
                ReferenceOnly = input.ReferenceOnly,
            };
        }
    }

    /// <summary>The protocol a parsed model offers to machines: an error-free codec spec, else null.</summary>
    public static ProtocolCandidate? AsProtocol(ParsedModel model) =>
        model.Spec is { } spec && !model.HasErrors ? new ProtocolCandidate(spec, model.Namespace, model.Path) : null;

    /// <summary>The name of the protocol a parsed model offers (see <see cref="AsProtocol"/>), else null.</summary>
    public static ProtocolName? AsProtocolName(ParsedModel model) =>
        AsProtocol(model) is { } p ? new ProtocolName(model.Path, p.Spec.Name, p.Namespace) : null;

    /// <summary>
    /// ZP2026 for every protocol that shares its name with another of the model set, except the one
    /// <see cref="ProtocolResolution"/> picks (the first path), in path order, at the class name
    /// in the text <paramref name="textOf"/> gives for a path.
    /// </summary>
    public static List<ModelDiagnostic> CheckProtocolNames(IEnumerable<ProtocolName> protocols, Func<string, string?> textOf)
    {
        var diagnostics = new List<ModelDiagnostic>();
        foreach (var (p, first) in Duplicates(protocols))
        {
            var (line, column) = textOf(p.Path) is { } text ? ModelParser.ClassNameAt(new ModelSource(p.Path, text)) : (1, 1);
            var skipped = p.Namespace == first.Namespace ? $"; both would be type {p.Namespace}.{Naming.Pascal(p.Name)}, so no code is generated from this one" : "";
            diagnostics.Add(ModelDiagnostic.Create(DiagnosticDescriptors.DuplicateProtocolName, p.Path, line, column, p.Name, first.Path, skipped));
        }
        return diagnostics;
    }

    /// <summary>
    /// The paths of protocols whose code would be the very type of an earlier protocol of the same
    /// name (ZP2026): they are checked but not generated. Positions play no part, so the set stays
    /// equal (and the render steps cached) when lines move.
    /// </summary>
    public static EquatableArray<string> NotGenerated(IEnumerable<ProtocolName> protocols)
    {
        var paths = new List<string>();
        foreach (var (p, first) in Duplicates(protocols))
            if (p.Namespace == first.Namespace) paths.Add(p.Path);
        return paths.ToEquatableArray();
    }

    /// <summary>Each protocol that has the name of one at an earlier path, with the first of that name.</summary>
    private static List<(ProtocolName Duplicate, ProtocolName First)> Duplicates(IEnumerable<ProtocolName> protocols)
    {
        var sorted = new List<ProtocolName>(protocols);
        sorted.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var first = new Dictionary<string, ProtocolName>(StringComparer.Ordinal);
        var result = new List<(ProtocolName, ProtocolName)>();
        foreach (var p in sorted)
        {
            if (first.TryGetValue(Naming.Key(p.Name), out var winner))
                result.Add((p, winner));
            else
                first.Add(Naming.Key(p.Name), p);
        }
        return result;
    }

    /// <summary>The machine a parsed model offers as the other side: an error-free machine, else null.</summary>
    public static MachineCandidate? AsCounterpart(ParsedModel model) =>
        model.Machine is { } machine && !model.HasErrors ? new MachineCandidate(machine, model.Path) : null;

    /// <summary>The machine to check, errors or not, or null for a protocol model.</summary>
    public static MachineInput? AsMachine(ParsedModel model) =>
        model.CheckableMachine is { } machine && model.Positions is { } positions
            ? new MachineInput(model.Path, machine, positions, model.Namespace, model.HasErrors)
            : null;

    /// <summary>Step 3 (machines): checks against the protocol and other side found by <see cref="ProtocolResolution"/>.</summary>
    public static CheckedMachine CheckMachine(MachineInput input, IEnumerable<ProtocolCandidate> protocols, IEnumerable<MachineCandidate> machines)
    {
        try
        {
            var protocol = ProtocolResolution.FindProtocol(input.Machine, protocols);
            var counterpart = ProtocolResolution.FindCounterpart(input.Machine, machines);
            var diagnostics = MachineChecker.Check(input.Machine, input.Positions, protocol?.Spec, counterpart);
            return new CheckedMachine(input, protocol, diagnostics.ToEquatableArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new CheckedMachine(input, null, new[] { InternalError(input.Path, "checking the state machine", e) }.ToEquatableArray());
        }
    }

    /// <summary>What binding <paramref name="checkedMachine"/> needs, when it can be bound.</summary>
    public static MachineBindInput? ToBind(CheckedMachine checkedMachine) =>
        checkedMachine.CanBind
            ? new MachineBindInput(checkedMachine.Input.Path, checkedMachine.Input.Machine, checkedMachine.Protocol!.Spec, checkedMachine.Protocol.Namespace, checkedMachine.Input.Namespace)
            : null;

    /// <summary>Step 4: binds a protocol to its view model.</summary>
    public static Bound<ProtocolView> Bind(SpecInput input)
    {
        try
        {
            return new Bound<ProtocolView>(input.Path, Binder.Bind(input.Spec, input.Namespace), EquatableArray<ModelDiagnostic>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Bound<ProtocolView>(input.Path, null, new[] { InternalError(input.Path, "binding", e) }.ToEquatableArray());
        }
    }

    /// <summary>Step 4 (machines): binds a state machine to its view model.</summary>
    public static Bound<MachineView> Bind(MachineBindInput input)
    {
        try
        {
            return new Bound<MachineView>(input.Path, MachineBinder.Bind(input.Machine, input.Protocol, input.ProtocolNamespace, input.Namespace), EquatableArray<ModelDiagnostic>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Bound<MachineView>(input.Path, null, new[] { InternalError(input.Path, "binding the state machine", e) }.ToEquatableArray());
        }
    }

    /// <summary>Step 5: renders a bound protocol through <paramref name="templates"/>.</summary>
    public static RenderOutput Render(Bound<ProtocolView> bound, TemplateSet templates) =>
        Render(bound, templates, view => TemplateRenderer.Render(view, templates));

    /// <summary>Step 5 (machines): renders a bound state machine through <paramref name="templates"/>.</summary>
    public static RenderOutput Render(Bound<MachineView> bound, TemplateSet templates) =>
        Render(bound, templates, view => new[] { TemplateRenderer.RenderMachine(view, templates) });

    private static RenderOutput Render<TView>(Bound<TView> bound, TemplateSet templates, Func<TView, IReadOnlyList<GeneratedFile>> render)
        where TView : class
    {
        if (bound.View is null)
            return new RenderOutput(EquatableArray<GeneratedFile>.Empty, bound.Diagnostics);
        try
        {
            return new RenderOutput(render(bound.View).ToEquatableArray(), bound.Diagnostics);
        }
        catch (TemplateException e)
        {
            var d = e.IsBinding ? DiagnosticDescriptors.TemplateBinding : DiagnosticDescriptors.TemplateSyntax;
            var at = e.TemplatePath.Length > 0 ? e.TemplatePath : bound.Path;
            return new RenderOutput(EquatableArray<GeneratedFile>.Empty,
                new[] { ModelDiagnostic.Create(d, at, e.Line, e.Column, e.TemplateName, e.Message) }.ToEquatableArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new RenderOutput(EquatableArray<GeneratedFile>.Empty, new[] { InternalError(bound.Path, "rendering", e) }.ToEquatableArray());
        }
    }

    /// <summary>
    /// The whole pipeline over a model set (the CLI's path; the generator runs the same steps
    /// incrementally). <paramref name="neighbours"/>, when given, names more models for a state
    /// machine at a path (the CLI: the model files beside it); they take part in protocol
    /// resolution only, and their diagnostics and files are not part of the result.
    /// </summary>
    public static GenerationResult Run(IReadOnlyList<ModelInput> models, IModelFileResolver resolver, TemplateSet templates, string projectNamespace,
        Func<string, IEnumerable<ModelInput>>? neighbours = null)
    {
        var parsed = new List<ParsedModel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in models)
        {
            parsed.Add(Parse(m, resolver, projectNamespace));
            seen.Add(ModelPaths.Normalize(m.Path));
        }
        var all = new List<ParsedModel>(parsed);
        if (neighbours is not null)
        {
            foreach (var model in parsed)
            {
                if (model.CheckableMachine is null)
                    continue;
                foreach (var n in neighbours(model.Path))
                {
                    if (seen.Add(ModelPaths.Normalize(n.Path)))
                        all.Add(Parse(n, resolver, projectNamespace));
                }
            }
        }
        var protocols = new List<ProtocolCandidate>();
        var machines = new List<MachineCandidate>();
        foreach (var m in all)
        {
            if (AsProtocol(m) is { } p) protocols.Add(p);
            if (AsCounterpart(m) is { } c) machines.Add(c);
        }

        var names = new List<ProtocolName>();
        foreach (var m in parsed)
            if (AsProtocolName(m) is { } name) names.Add(name);
        var duplicates = CheckProtocolNames(names, path => models.FirstOrDefault(m => m.Path == path)?.Text);
        var notGenerated = NotGenerated(names);

        var results = new List<ModelResult>();
        foreach (var model in parsed)
        {
            var diagnostics = new List<ModelDiagnostic>(model.Diagnostics);
            foreach (var d in duplicates)
                if (d.File == model.Path) diagnostics.Add(d);
            var files = new List<GeneratedFile>();
            ProtocolCandidate? protocol = null;
            if (AsProtocol(model) is { } candidate && !notGenerated.Contains(model.Path))
            {
                var output = Render(Bind(new SpecInput(model.Path, candidate.Spec, candidate.Namespace)), templates);
                diagnostics.AddRange(output.Diagnostics);
                files.AddRange(output.Files);
            }
            else if (AsMachine(model) is { } machine)
            {
                var checkedMachine = CheckMachine(machine, protocols, machines);
                protocol = checkedMachine.Protocol;
                diagnostics.AddRange(checkedMachine.Diagnostics);
                if (ToBind(checkedMachine) is { } bind)
                {
                    var output = Render(Bind(bind), templates);
                    diagnostics.AddRange(output.Diagnostics);
                    files.AddRange(output.Files);
                }
            }
            results.Add(new ModelResult(model, protocol, diagnostics, files));
        }
        return new GenerationResult(results);
    }

    private static ModelDiagnostic InternalError(string path, string step, Exception e)
    {
        return ModelDiagnostic.Create(DiagnosticDescriptors.InternalError, path, 1, 1, $"{step}: {e.GetType().Name}: {e.Message}");
    }

    /// <summary>Resolves includes against the files the include step found: parsing reads nothing else.</summary>
    private sealed class IncludeResolver(EquatableArray<IncludedFile> files) : IModelFileResolver
    {
        public string? TryRead(string path)
        {
            var wanted = ModelPaths.Normalize(path);
            foreach (var f in files)
                if (string.Equals(ModelPaths.Normalize(f.Path), wanted, StringComparison.Ordinal)) return f.Text;
            return null;
        }
    }
}

/// <summary>A bound view model (null when binding failed) with the model's path and the binding's diagnostics.</summary>
public sealed record Bound<TView>(string Path, TView? View, EquatableArray<ModelDiagnostic> Diagnostics) where TView : class;

/// <summary>One model's outcome: what parsing found, the protocol it speaks (a machine), every diagnostic, its files.</summary>
public sealed record ModelResult(ParsedModel Parsed, ProtocolCandidate? Protocol, IReadOnlyList<ModelDiagnostic> Diagnostics, IReadOnlyList<GeneratedFile> Files)
{
    /// <summary>The model's path.</summary>
    public string Path => Parsed.Path;

    /// <summary>True when any diagnostic is an error: nothing is generated from such a model.</summary>
    public bool HasErrors => GenerationPipeline.HasErrors(Diagnostics);
}

/// <summary>The pipeline's result over a model set: one <see cref="ModelResult"/> per model, in input order.</summary>
public sealed record GenerationResult(IReadOnlyList<ModelResult> Models)
{
    /// <summary>Every diagnostic, model by model.</summary>
    public IEnumerable<ModelDiagnostic> Diagnostics
    {
        get
        {
            foreach (var m in Models)
                foreach (var d in m.Diagnostics)
                    yield return d;
        }
    }

    /// <summary>Every generated file, model by model.</summary>
    public IEnumerable<GeneratedFile> Files
    {
        get
        {
            foreach (var m in Models)
                foreach (var f in m.Files)
                    yield return f;
        }
    }
}
