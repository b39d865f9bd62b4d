using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using Zproto.Model.Syntax;
using ModelDescriptor = Zproto.Model.Diagnostics.DiagnosticDescriptor;

namespace Zproto.Generator;

/// <summary>
/// Checks of the consuming project's setup (ZP4xxx), kept apart from the model pipeline: they read
/// only cheap facts (assembly names the compilation references, two build properties, whether a
/// model file names a <c>protocol_class</c>), so they never hold back or invalidate the heavy steps.
/// </summary>
public sealed partial class ZprotoGenerator
{
    /// <summary>The property Zproto.Net.Generator.props sets and makes compiler-visible.</summary>
    internal const string PropsMarker = "build_property.ZprotoGeneratorProps";

    // A state machine model names the codec it speaks; a codec model never has this attribute/key.
    private static readonly Regex s_protocolClass = new(@"\bprotocol_class\s*[=:]", RegexOptions.CultureInvariant);
    private static readonly Regex s_clientScript = new(@"zproto_client", RegexOptions.CultureInvariant);

    /// <summary>A model file that needs the runtime: a server or client.</summary>
    internal sealed record MachineFile(string Path, string Kind);

    private static void RegisterProjectChecks(IncrementalGeneratorInitializationContext context)
    {
        var referencesRuntime = context.CompilationProvider
            .Select(static (compilation, _) => ReferencesRuntime(compilation));

        var machineFiles = context.AdditionalTextsProvider
            .Where(static text => ModelParser.IsModelFile(text.Path))
            .Select(static (text, ct) => MachineFileOf(text, ct))
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .Collect();

        context.RegisterSourceOutput(machineFiles.Combine(referencesRuntime), static (spc, pair) =>
        {
            if (pair.Right)
                return;
            foreach (var file in pair.Left)
                spc.ReportDiagnostic(Create(PackageDiagnostics.RuntimeNotReferenced, file.Path, file.Path, file.Kind));
        });

        // Which model a missing-props warning names: the first, so the warning appears once per project.
        var firstModel = context.AdditionalTextsProvider
            .Where(static text => ModelParser.IsModelFile(text.Path))
            .Select(static (text, _) => ModelPaths.Normalize(text.Path))
            .Collect();
        var propsMissing = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => PropsMissing(options.GlobalOptions));

        context.RegisterSourceOutput(firstModel.Combine(propsMissing), static (spc, pair) =>
        {
            if (pair.Right && !pair.Left.IsDefaultOrEmpty)
                spc.ReportDiagnostic(Create(PackageDiagnostics.PropsNotImported, pair.Left[0], pair.Left[0]));
        });
    }

    private static bool ReferencesRuntime(Compilation compilation)
    {
        foreach (var name in compilation.ReferencedAssemblyNames)
            if (name.Name == "Zproto.Runtime") return true;
        return false;
    }

    private static MachineFile? MachineFileOf(AdditionalText text, System.Threading.CancellationToken ct)
    {
        var content = text.GetText(ct)?.ToString() ?? "";
        if (!s_protocolClass.IsMatch(content))
            return null;
        return new MachineFile(ModelPaths.Normalize(text.Path), s_clientScript.IsMatch(content) ? "client" : "server");
    }

    /// <summary>
    /// True when MSBuild runs the compiler (it always passes <c>TargetFramework</c>) but the props that
    /// expose <c>Namespace</c> metadata were not imported. Hosts that are not MSBuild (tests, tools)
    /// pass neither and are left alone.
    /// </summary>
    private static bool PropsMissing(AnalyzerConfigOptions global) =>
        global.TryGetValue("build_property.TargetFramework", out _) && !global.TryGetValue(PropsMarker, out _);

    private static Diagnostic Create(ModelDescriptor descriptor, string file, params object[] arguments)
    {
        var roslyn = new Microsoft.CodeAnalysis.DiagnosticDescriptor(descriptor.Id, descriptor.Title, descriptor.Format, "Zproto",
            descriptor.Severity == Severity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            isEnabledByDefault: true, helpLinkUri: "https://github.com/zproto-net/zproto.net/blob/main/docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant());
        var location = Location.Create(file, default, new LinePositionSpan(default, default));
        return Diagnostic.Create(roslyn, location, arguments);
    }
}
