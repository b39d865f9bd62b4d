using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Zproto.CodeGen.Pipeline;
using Zproto.CodeGen.Rendering;
using Zproto.Model;

namespace Zproto.Generator;

/// <summary>
/// Generates codecs and state machines from zproto models given as AdditionalFiles (.xml, .yaml,
/// .yml), rendered through Handlebars templates that a project can override with its own .hbs
/// AdditionalFiles.
/// </summary>
/// <remarks>
/// The work is <see cref="GenerationPipeline"/>'s, the same the <c>zproto</c> CLI runs; this class
/// only wires its steps into Roslyn's incremental pipeline, each tracked under a name in
/// <see cref="StepNames"/> so tests can prove what is cached:
/// 1. Files / ModelInputs: every AdditionalFile as (path, text); models are those whose root is &lt;class&gt;.
/// 2. Includes: the files each model includes, so a model is parsed again only when it or one of them changes.
/// 3. Parse, reported at the model's file, line and column; a spec with errors is dropped.
/// 4. Bind and Render each protocol through the template set.
/// 5. Machines: server and client models checked against the protocol and other side that
///    <see cref="ProtocolResolution"/> finds, then bound and rendered the same way.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class ZprotoGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Select(static (text, ct) => ReadFile(text, ct))
            .WithTrackingName(StepNames.Files);

        // What includes can name: the .xml/.yaml files. Templates and other files stay out.
        var includable = files
            .Where(static f => ModelParser.IsModelFile(f.Path))
            .Collect();

        var models = context.AdditionalTextsProvider
            .Where(static text => ModelParser.IsModelFile(text.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadModelInput(pair.Left, pair.Right, ct))
            .Where(static input => input is not null)
            .Select(static (input, _) => input!)
            .WithTrackingName(StepNames.ModelInputs);

        // Runs again whenever any model file changes, but its output (the model with the files it
        // includes) stays equal for models that include nothing that changed: Parse is cached for them.
        var withIncludes = models
            .Combine(includable)
            .Select(static (pair, ct) => FindIncludes(pair.Left, pair.Right, ct))
            .WithTrackingName(StepNames.Includes);

        var projectNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => RootNamespace(options));

        var parsed = withIncludes
            .Combine(projectNamespace)
            .Select(static (pair, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                return GenerationPipeline.Parse(pair.Left, pair.Right);
            })
            .WithTrackingName(StepNames.Parse);

        context.RegisterSourceOutput(
            parsed.Select(static (model, _) => model.Diagnostics).WithTrackingName(StepNames.Diagnostics),
            static (spc, diagnostics) => Report(spc, diagnostics));

        // Protocols of one name (ZP2026): cheap steps over names, namespaces and positions only.
        var protocolNames = parsed
            .Select(static (model, _) => GenerationPipeline.AsProtocolName(model))
            .Where(static p => p is not null)
            .Select(static (p, _) => p!)
            .Collect()
            .WithTrackingName(StepNames.ProtocolNames);

        // Positions are read again from the texts, only for duplicates (rare), in the output itself.
        context.RegisterSourceOutput(
            protocolNames.Combine(models.Collect()),
            static (spc, pair) =>
            {
                foreach (var d in GenerationPipeline.CheckProtocolNames(pair.Left, path => TextOf(pair.Right, path)))
                    spc.ReportDiagnostic(ToRoslyn(d));
            });

        var notGenerated = protocolNames.Select(static (all, _) => GenerationPipeline.NotGenerated(all));

        // A reference-only protocol (ZprotoReference="true") is compiled elsewhere: no codec here;
        // nor for a second protocol of one name that would be the same type (ZP2026).
        var specs = parsed
            .Where(static model => !model.ReferenceOnly)
            .Select(static (model, _) => GenerationPipeline.AsProtocol(model))
            .Where(static p => p is not null)
            .Combine(notGenerated)
            .Where(static pair => !pair.Right.Contains(pair.Left!.Path))
            .Select(static (pair, _) => new SpecInput(pair.Left!.Path, pair.Left.Spec, pair.Left.Namespace))
            .WithTrackingName(StepNames.Specs);

        var views = specs
            .Select(static (input, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                return GenerationPipeline.Bind(input);
            })
            .WithTrackingName(StepNames.Bind);

        var templates = files
            .Where(static f => f.Path.EndsWith(".hbs", System.StringComparison.OrdinalIgnoreCase))
            .Collect()
            .Select(static (all, _) => TemplatesFrom(all))
            .WithTrackingName(StepNames.Templates);

        var rendered = views
            .Combine(templates)
            .Select(static (pair, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                return GenerationPipeline.Render(pair.Left, pair.Right);
            })
            .WithTrackingName(StepNames.Render);

        context.RegisterSourceOutput(rendered, static (spc, output) => Emit(spc, output));

        // State machines: checked against their protocol (and the other side's machine), then bound and rendered.
        var machines = parsed
            .Select(static (model, _) => GenerationPipeline.AsMachine(model))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(StepNames.Machines);

        var protocols = parsed
            .Select(static (model, _) => GenerationPipeline.AsProtocol(model))
            .Where(static p => p is not null)
            .Select(static (p, _) => p!)
            .Collect();

        var counterparts = parsed
            .Select(static (model, _) => GenerationPipeline.AsCounterpart(model))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .Collect();

        var checkedMachines = machines
            .Combine(protocols)
            .Combine(counterparts)
            .Select(static (pair, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                return GenerationPipeline.CheckMachine(pair.Left.Left, pair.Left.Right, pair.Right);
            })
            .WithTrackingName(StepNames.MachineChecks);

        context.RegisterSourceOutput(
            checkedMachines.Select(static (m, _) => m.Diagnostics),
            static (spc, diagnostics) => Report(spc, diagnostics));

        var machineViews = checkedMachines
            .Select(static (m, _) => GenerationPipeline.ToBind(m))
            .Where(static m => m is not null)
            .Select(static (input, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                return GenerationPipeline.Bind(input!);
            })
            .WithTrackingName(StepNames.MachineBind);

        var renderedMachines = machineViews
            .Combine(templates)
            .Select(static (pair, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                return GenerationPipeline.Render(pair.Left, pair.Right);
            })
            .WithTrackingName(StepNames.MachineRender);

        context.RegisterSourceOutput(renderedMachines, static (spc, output) => Emit(spc, output));

        // The project's setup (runtime reference, build props), apart from the model pipeline.
        RegisterProjectChecks(context);
    }

    private static string? TextOf(ImmutableArray<ModelInput> models, string path)
    {
        foreach (var m in models)
            if (m.Path == path) return m.Text;
        return null;
    }

    private static TemplateSet TemplatesFrom(ImmutableArray<SourceFile> files)
    {
        var pairs = new System.Collections.Generic.List<System.Collections.Generic.KeyValuePair<string, string>>();
        foreach (var f in files)
            pairs.Add(new(f.Path, f.Text));
        return TemplateSet.FromFiles(pairs);
    }
}
