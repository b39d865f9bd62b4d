using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Zproto.Generator.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="ZprotoGenerator"/> the way the compiler does, and compiles what it emits the
/// way a strict consumer project would: nullable enabled, every warning an error (all warning
/// waves), and documentation diagnosed so an undocumented public member is CS1591.
/// </summary>
internal static class GeneratorHarness
{
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    public static CSharpCompilationOptions CompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        generalDiagnosticOption: ReportDiagnostic.Error,
        warningLevel: 9999,
        deterministic: true);

    /// <summary>
    /// The platform's trusted assemblies, Zproto.Wire (which codecs call), and Zproto.Runtime with
    /// the logging abstractions it exposes (which state machines build on).
    /// </summary>
    public static ImmutableArray<MetadataReference> References { get; } = LoadReferences();

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Consumer{i}.cs", encoding: Encoding.UTF8)),
            References,
            CompilationOptions);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> texts, AnalyzerConfigOptionsProvider? options = null, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new ZprotoGenerator().AsSourceGenerator()],
            texts,
            ParseOptions,
            options ?? TestOptionsProvider.Empty,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once over <paramref name="texts"/> and compiles the result.</summary>
    public static GeneratorOutcome Run(IEnumerable<AdditionalText> texts, AnalyzerConfigOptionsProvider? options = null)
    {
        var driver = CreateDriver(texts, options).RunGeneratorsAndUpdateCompilation(CreateCompilation(), out var output, out var diagnostics);
        return new GeneratorOutcome(driver.GetRunResult().Results.Single(), output, diagnostics);
    }

    /// <summary>Runs the generator over the real models named, at their real paths.</summary>
    public static GeneratorOutcome RunModels(params string[] fileNames) =>
        Run(fileNames.Select(TestAdditionalText.Model));

    /// <summary>One line per diagnostic, <c>file(line,col): severity ID: message</c>, for assertion messages.</summary>
    public static string Format(IEnumerable<Diagnostic> diagnostics)
    {
        var sb = new StringBuilder();
        foreach (var d in diagnostics)
        {
            var span = d.Location.GetLineSpan();
            sb.Append(Path.GetFileName(span.Path)).Append('(').Append(span.StartLinePosition.Line + 1).Append(',')
              .Append(span.StartLinePosition.Character + 1).Append("): ").Append(d.Severity).Append(' ')
              .Append(d.Id).Append(": ").Append(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>CS8795 (a partial method has no implementation) is how a state machine asks the user for its actions.</summary>
    public static bool IsActionForTheUser(Diagnostic d) => d.Id == "CS8795";

    /// <summary>Runs the generator over <paramref name="model"/> and any model it needs (a machine's protocol).</summary>
    public static GeneratorOutcome RunModel(string model) => RunModels(Repository.WithDependencies(model));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        string[] libraries = ["Zproto.Wire.dll", "Zproto.Runtime.dll", "Microsoft.Extensions.Logging.Abstractions.dll", "Microsoft.Extensions.DependencyInjection.Abstractions.dll"];
        var paths = trusted
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDirectory, StringComparison.Ordinal) || libraries.Contains(Path.GetFileName(p)))
            .OrderBy(p => p, StringComparer.Ordinal);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}

/// <summary>One generator run and the compilation with its output added.</summary>
internal sealed record GeneratorOutcome(GeneratorRunResult Run, Compilation Compilation, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public ImmutableArray<GeneratedSourceResult> Sources => Run.GeneratedSources;

    public IEnumerable<string> HintNames => Sources.Select(s => s.HintName);

    public string Text(string hintName) => Sources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>
    /// Every compiler diagnostic worth seeing: hidden ones (unused usings) are left out, and so is
    /// CS8795 for the action methods of state machines, which the user is meant to write.
    /// </summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics { get; } =
        [.. Compilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden && !GeneratorHarness.IsActionForTheUser(d))];
}
