using System.Collections.Concurrent;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
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
        if (output.Error is not null)
            context.ReportDiagnostic(ToRoslyn(output.Error));
        foreach (var file in output.Files)
            context.AddSource(file.HintName, SourceText.From(file.Text, Encoding.UTF8));
    }

    private static void Report(SourceProductionContext context, EquatableArray<ModelDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
            context.ReportDiagnostic(ToRoslyn(d));
    }

    /// <summary>A model diagnostic as a compiler diagnostic at the model's file, line and column.</summary>
    internal static Diagnostic ToRoslyn(ModelDiagnostic d)
    {
        var descriptor = s_descriptors.GetOrAdd(d.Id, id =>
        {
            var title = id;
            foreach (var known in ModelDescriptors.All)
                if (known.Id == id) title = known.Title;
            return new DiagnosticDescriptor(id, title, "{0}", "Zproto",
                d.Severity == Severity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                isEnabledByDefault: true, helpLinkUri: "https://github.com/zproto-net/zproto.net/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant());
        });
        var position = new LinePosition(d.Line - 1, d.Column - 1);
        var location = Location.Create(d.File, default, new LinePositionSpan(position, position));
        return Diagnostic.Create(descriptor, location, d.Message);
    }
}
