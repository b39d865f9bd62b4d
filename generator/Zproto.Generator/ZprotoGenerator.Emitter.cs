using System.Collections.Concurrent;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Zproto.CodeGen.Pipeline;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using DiagnosticDescriptor = Microsoft.CodeAnalysis.DiagnosticDescriptor;
using ModelDescriptors = Zproto.Model.Diagnostics.DiagnosticDescriptors;

namespace Zproto.Generator;

public sealed partial class ZprotoGenerator
{
    private static readonly ConcurrentDictionary<string, DiagnosticDescriptor> s_descriptors = new();

    private static void Emit(SourceProductionContext context, RenderOutput output)
    {
        foreach (var d in output.Diagnostics)
            context.ReportDiagnostic(ToRoslyn(d));
        foreach (var file in output.Files)
            context.AddSource(file.HintName, SourceText.From(file.Text, Encoding.UTF8));
    }

    private static void Report(SourceProductionContext context, EquatableArray<ModelDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
            context.ReportDiagnostic(ToRoslyn(d));
    }

    /// <summary>
    /// A model diagnostic as a compiler diagnostic at the model's file, line and column. Each id
    /// has one descriptor with its real title and message format (ZP1xxx to ZP9xxx alike), given
    /// the arguments the message was formatted from.
    /// </summary>
    internal static Diagnostic ToRoslyn(ModelDiagnostic d)
    {
        var known = Find(d.Id);
        var useFormat = known is not null && d.Arguments.Count > 0;
        var descriptor = s_descriptors.GetOrAdd(useFormat ? d.Id : d.Id + "\0plain", _ => new DiagnosticDescriptor(
            d.Id,
            known?.Title ?? d.Id,
            useFormat ? known!.Format : "{0}",
            known?.Id.StartsWith("ZP3", System.StringComparison.Ordinal) == true ? "Zproto.StateMachine" : "Zproto",
            d.Severity == Severity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: "https://github.com/zproto-net/zproto.net/blob/main/docs/diagnostics.md#" + d.Id.ToLowerInvariant()));
        var position = new LinePosition(d.Line - 1, d.Column - 1);
        var location = Location.Create(d.File, default, new LinePositionSpan(position, position));
        if (!useFormat)
            return Diagnostic.Create(descriptor, location, d.Message);
        var args = new object[d.Arguments.Count];
        for (var i = 0; i < args.Length; i++)
            args[i] = d.Arguments[i];
        return Diagnostic.Create(descriptor, location, args);
    }

    /// <summary>The model library's descriptor for <paramref name="id"/>, or null.</summary>
    internal static Zproto.Model.Diagnostics.DiagnosticDescriptor? Find(string id)
    {
        foreach (var known in ModelDescriptors.All)
            if (known.Id == id) return known;
        foreach (var known in Zproto.Model.Machines.MachineDiagnostics.All)
            if (known.Id == id) return known;
        return null;
    }
}
