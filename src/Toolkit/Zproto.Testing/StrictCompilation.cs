using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Zproto.Testing;

/// <summary>
/// How generated code is compiled to check it: as the strictest consumer project would, with
/// nullable enabled, every warning of every warning wave an error, and documentation comments
/// diagnosed (an undocumented public member is CS1591).
/// </summary>
public static class StrictCompilation
{
    /// <summary>The latest language version, documentation comments diagnosed.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>A library with nullable enabled and all warnings (level 9999) reported as errors.</summary>
    public static CSharpCompilationOptions Options { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        generalDiagnosticOption: ReportDiagnostic.Error,
        warningLevel: 9999,
        deterministic: true);

    /// <summary>
    /// What generated code compiles against: the .NET runtime's assemblies, and from the running
    /// test's dependencies every <c>Zproto.*</c> assembly (codecs call Zproto.Wire, state
    /// machines derive from Zproto.Runtime) and the <c>Microsoft.Extensions.*</c> abstractions the
    /// runtime exposes. Your test project gets them by referencing the project with your models.
    /// </summary>
    public static ImmutableArray<MetadataReference> References { get; } = LoadReferences();

    /// <summary>A compilation named <c>Consumer</c> of <paramref name="sources"/> with <see cref="Options"/> and <see cref="References"/>.</summary>
    public static CSharpCompilation Create(IEnumerable<string> sources, IEnumerable<MetadataReference>? additionalReferences = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Consumer{i}.cs", encoding: Encoding.UTF8));
        return CSharpCompilation.Create("Consumer", trees, References.AddRange(additionalReferences ?? []), Options);
    }

    /// <summary>
    /// CS8795 (a partial method has no implementation) is how a state machine asks you for its
    /// actions: it is expected of generated code on its own, and not counted as a failure.
    /// </summary>
    public static bool IsActionForTheUser(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return diagnostic.Id == "CS8795";
    }

    /// <summary>One line per diagnostic, <c>file(line,col): severity ID: message</c>, for failure messages.</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var sb = new StringBuilder();
        foreach (var d in diagnostics)
        {
            var span = d.Location.GetLineSpan();
            sb.Append(Path.GetFileName(span.Path)).Append('(').Append(span.StartLinePosition.Line + 1).Append(',')
              .Append(span.StartLinePosition.Character + 1).Append("): ").Append(d.Severity).Append(' ')
              .Append(d.Id).Append(": ").Append(d.GetMessage(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var paths = trusted
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal) || IsGeneratedCodeDependency(Path.GetFileName(p)))
            .OrderBy(p => p, StringComparer.Ordinal);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool IsGeneratedCodeDependency(string fileName) =>
        fileName.StartsWith("Zproto.", StringComparison.Ordinal)
        || (fileName.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && fileName.EndsWith(".Abstractions.dll", StringComparison.Ordinal));
}
