using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Zproto.Testing;

namespace Zproto.Generator.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="ZprotoGenerator"/> the way the compiler does, and compiles what it emits the
/// way a strict consumer project would (<see cref="StrictCompilation"/>, shared with Zproto.Net.Testing).
/// </summary>
internal static class GeneratorHarness
{
    public static CSharpParseOptions ParseOptions => StrictCompilation.ParseOptions;

    public static CSharpCompilation CreateCompilation(params string[] sources) => StrictCompilation.Create(sources);

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
    public static string Format(IEnumerable<Diagnostic> diagnostics) => StrictCompilation.Format(diagnostics);

    /// <summary>CS8795 (a partial method has no implementation) is how a state machine asks the user for its actions.</summary>
    public static bool IsActionForTheUser(Diagnostic d) => StrictCompilation.IsActionForTheUser(d);

    /// <summary>Runs the generator over <paramref name="model"/> and any model it needs (a machine's protocol).</summary>
    public static GeneratorOutcome RunModel(string model) => RunModels(Repository.WithDependencies(model));
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
        [.. Compilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden && !StrictCompilation.IsActionForTheUser(d))];
}
