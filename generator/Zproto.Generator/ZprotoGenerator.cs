using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Zproto.CodeGen.Rendering;

namespace Zproto.Generator;

/// <summary>
/// Generates codecs from zproto models given as AdditionalFiles (.xml, .yaml, .yml), rendered
/// through Handlebars templates that a project can override with its own .hbs AdditionalFiles.
/// </summary>
/// <remarks>
/// The recipe (each step is named in <see cref="StepNames"/> so tests can prove what is cached):
/// 1. Files: every AdditionalFile as (path, text); models are those whose root is &lt;class&gt;.
/// 2. Parse: model text (plus the other files, for includes) to a spec and diagnostics.
/// 3. Diagnostics go to the compiler at the model's file, line and column; a spec with errors is dropped.
/// 4. Bind: spec to an equatable view model with every C# name computed.
/// 5. Render: view model through the template set to source files.
/// 6. State machines (server and client models) are checked against their protocol and the other
///    side's machine, then bound and rendered the same way.
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

        // What includes can name: the .xml/.yaml files. Templates and other files stay out, so
        // editing them does not parse every model again.
        var includable = files
            .Where(static f => Zproto.Model.ModelParser.IsModelFile(f.Path))
            .Collect();

        var models = context.AdditionalTextsProvider
            .Where(static text => Zproto.Model.ModelParser.IsModelFile(text.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadModelInput(pair.Left, pair.Right, ct))
            .Where(static input => input is not null)
            .Select(static (input, _) => input!)
            .WithTrackingName(StepNames.ModelInputs);

        var parsed = models
            .Combine(includable)
            .Select(static (pair, ct) => Parse(pair.Left, pair.Right, ct))
            .WithTrackingName(StepNames.Parse);

        context.RegisterSourceOutput(
            parsed.Select(static (model, _) => model.Diagnostics).WithTrackingName(StepNames.Diagnostics),
            static (spc, diagnostics) => Report(spc, diagnostics));

        var specs = parsed
            .Where(static model => model.Spec is not null)
            .Select(static (model, _) => new SpecInput(model.Spec!, model.Namespace))
            .WithTrackingName(StepNames.Specs);

        var views = specs
            .Select(static (input, ct) => Bind(input, ct))
            .WithTrackingName(StepNames.Bind);

        var templates = files
            .Where(static f => f.Path.EndsWith(".hbs", System.StringComparison.OrdinalIgnoreCase))
            .Collect()
            .Select(static (all, _) => TemplatesFrom(all))
            .WithTrackingName(StepNames.Templates);

        var rendered = views
            .Combine(templates)
            .Select(static (pair, ct) => Render(pair.Left, pair.Right, ct))
            .WithTrackingName(StepNames.Render);

        context.RegisterSourceOutput(rendered, static (spc, output) => Emit(spc, output));

        // State machines: checked against their protocol (and the other side's machine), then bound and rendered.
        var machines = parsed
            .Where(static model => model.Machine is not null)
            .Select(static (model, _) => new MachineInput(model.Machine!, model.Positions!, model.Namespace))
            .WithTrackingName(StepNames.Machines);

        var checkedMachines = machines
            .Combine(specs.Collect())
            .Combine(machines.Select(static (m, _) => m.Machine).Collect())
            .Select(static (pair, ct) => CheckMachine(pair.Left.Left, pair.Left.Right, pair.Right, ct))
            .WithTrackingName(StepNames.MachineChecks);

        context.RegisterSourceOutput(
            checkedMachines.Select(static (m, _) => m.Diagnostics),
            static (spc, diagnostics) => Report(spc, diagnostics));

        var machineViews = checkedMachines
            .Where(static m => m.Protocol is not null && !HasErrors(m.Diagnostics))
            .Select(static (m, _) => new MachineBindInput(m.Machine, m.Protocol!, m.ProtocolNamespace, m.Namespace))
            .Select(static (input, ct) => BindMachine(input, ct))
            .WithTrackingName(StepNames.MachineBind);

        var renderedMachines = machineViews
            .Combine(templates)
            .Select(static (pair, ct) => RenderMachine(pair.Left, pair.Right, ct))
            .WithTrackingName(StepNames.MachineRender);

        context.RegisterSourceOutput(renderedMachines, static (spc, output) => Emit(spc, output));

        // The project's setup (runtime reference, build props), apart from the model pipeline.
        RegisterProjectChecks(context);
    }

    private static bool HasErrors(Zproto.Model.EquatableArray<Zproto.Model.Diagnostics.ModelDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
            if (d.Severity == Zproto.Model.Diagnostics.Severity.Error) return true;
        return false;
    }

    private static TemplateSet TemplatesFrom(ImmutableArray<SourceFile> files)
    {
        if (files.IsDefaultOrEmpty)
            return TemplateSet.BuiltIn;
        var overrides = new System.Collections.Generic.List<TemplateSource>();
        foreach (var f in files)
            overrides.Add(new TemplateSource(System.IO.Path.GetFileNameWithoutExtension(f.Path), f.Text));
        return TemplateSet.WithOverrides(overrides);
    }
}
