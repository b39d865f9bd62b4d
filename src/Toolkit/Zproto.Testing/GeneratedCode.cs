using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Zproto.CodeGen.Rendering;

namespace Zproto.Testing;

/// <summary>
/// What one generator run produced: the files (hint name and text, exactly what the build adds
/// to the compilation), the generator's diagnostics, and the checks a snapshot test makes.
/// </summary>
public sealed class GeneratedCode
{
    private readonly Compilation _compilation;

    internal GeneratedCode(ImmutableArray<GeneratedFile> files, ImmutableArray<Diagnostic> diagnostics, Compilation compilation)
    {
        Files = files;
        Diagnostics = diagnostics;
        _compilation = compilation;
    }

    /// <summary>The generated files, in ordinal order of their hint names.</summary>
    public ImmutableArray<GeneratedFile> Files { get; }

    /// <summary>What the generator reported about the models (ZP codes), errors and warnings alike.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>The text of the file with hint name <paramref name="hintName"/> (<c>.g.cs</c> may be left off).</summary>
    /// <exception cref="KeyNotFoundException">No such file was generated; the message lists those that were.</exception>
    public string this[string hintName]
    {
        get
        {
            foreach (var f in Files)
            {
                if (f.HintName == hintName || SnapshotDirectory.NameOf(f.HintName) == hintName)
                    return f.Text;
            }
            throw new KeyNotFoundException($"no generated file '{hintName}'; generated: {string.Join(", ", Files.Select(f => f.HintName))}");
        }
    }

    /// <summary>
    /// Compares every generated file with <c>NAME.verified.cs</c> in <paramref name="directory"/>
    /// and reports verified files nothing generates any more. On any difference, writes
    /// <c>NAME.received.cs</c> and throws <see cref="SnapshotMismatchException"/> with a unified
    /// diff of the first differences; with <c>ZPROTO_ACCEPT_SNAPSHOTS=1</c> accepts instead.
    /// </summary>
    /// <param name="directory">
    /// The snapshot directory: absolute, or relative to the calling source file's directory;
    /// by default <c>Snapshots</c> beside the calling test. Give each model set its own.
    /// </param>
    /// <param name="callerFilePath">Filled in by the compiler.</param>
    /// <exception cref="GeneratedCodeException">The generator reported errors: there is nothing to compare.</exception>
    /// <exception cref="SnapshotMismatchException">A snapshot did not match.</exception>
    public void VerifySnapshots(string? directory = null, [CallerFilePath] string callerFilePath = "")
    {
        ThrowOnGeneratorErrors();
        SnapshotsAt(directory, callerFilePath).VerifyAll(Files);
    }

    /// <summary>
    /// The snapshot directory <see cref="VerifySnapshots"/> uses for the same arguments, for
    /// checking files one at a time (one theory case per generated file).
    /// </summary>
    public static SnapshotDirectory SnapshotsAt(string? directory = null, [CallerFilePath] string callerFilePath = "")
    {
        var baseDirectory = Path.GetDirectoryName(callerFilePath);
        if (string.IsNullOrEmpty(baseDirectory) || !Directory.Exists(baseDirectory))
        {
            // The compiler's path is mapped (deterministic CI builds may map it to /_/): no way to find the sources.
            if (directory is null || !Path.IsPathFullyQualified(directory))
                throw new InvalidOperationException($"the test's source directory '{baseDirectory}' does not exist here (is the path mapped?); give the snapshot directory as an absolute path");
            baseDirectory = directory;
        }
        return new SnapshotDirectory(Path.Combine(baseDirectory, directory ?? "Snapshots"));
    }

    /// <summary>
    /// Compiles the generated code (with <paramref name="additionalSources"/>, say your
    /// implementations of a state machine's actions) under <see cref="StrictCompilation"/>:
    /// nullable enabled, every warning an error, documentation diagnosed. Returns every
    /// diagnostic of the generator and the compiler except hidden ones and CS8795 (actions left to you).
    /// </summary>
    public ImmutableArray<Diagnostic> Compile(IEnumerable<string>? additionalSources = null, IEnumerable<MetadataReference>? additionalReferences = null)
    {
        var compilation = _compilation;
        if (additionalSources is not null || additionalReferences is not null)
        {
            var extra = StrictCompilation.Create(additionalSources ?? [], additionalReferences);
            compilation = compilation.AddSyntaxTrees(extra.SyntaxTrees).AddReferences(additionalReferences ?? []);
        }
        return
        [
            .. Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden),
            .. compilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden && !StrictCompilation.IsActionForTheUser(d)),
        ];
    }

    /// <summary>
    /// The one-call compile check: throws <see cref="GeneratedCodeException"/> listing every
    /// diagnostic <see cref="Compile"/> finds, with the generated line each one points at.
    /// </summary>
    public void AssertCompiles(params string[] additionalSources)
    {
        var diagnostics = Compile(additionalSources.Length == 0 ? null : additionalSources);
        if (diagnostics.IsEmpty)
            return;
        var sb = new StringBuilder();
        sb.Append("the generated code has ").Append(diagnostics.Length).Append(" diagnostic(s) under nullable + warnings-as-errors:\n");
        foreach (var d in diagnostics)
        {
            sb.Append(StrictCompilation.Format([d]));
            if (d.Location.IsInSource)
            {
                var line = d.Location.SourceTree!.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line];
                sb.Append("    ").Append(line.ToString().Trim()).Append('\n');
            }
        }
        throw new GeneratedCodeException(sb.ToString());
    }

    private void ThrowOnGeneratorErrors()
    {
        var errors = Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new GeneratedCodeException("the models have errors, so nothing is generated for them:\n" + StrictCompilation.Format(errors));
    }
}

/// <summary>The generated code failed a check: the models have errors, or the code does not compile cleanly.</summary>
public sealed class GeneratedCodeException(string message) : Exception(message);
