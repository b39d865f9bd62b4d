using System;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Zproto.Generator.Tests.Infrastructure;
using Xunit;

namespace Zproto.Generator.Tests;

/// <summary>
/// The ZP4xxx checks of the consuming project's setup: a machine model without Zproto.Runtime, and
/// an MSBuild build without the generator's props (whose Namespace metadata would be lost).
/// </summary>
public sealed class ProjectCheckTests
{
    [Theory]
    [InlineData("echo_server.xml", "server")]
    [InlineData("echo_client.xml", "client")]
    public void ZP4001_a_machine_model_without_the_runtime_names_the_package_to_add(string model, string kind)
    {
        var diagnostics = RunWithoutRuntime(Repository.WithDependencies(model));

        var zp4001 = Assert.Single(diagnostics, d => d.Id == "ZP4001");
        Assert.Equal(DiagnosticSeverity.Error, zp4001.Severity);
        Assert.Equal(Repository.ModelPath(model), zp4001.Location.GetLineSpan().Path);
        var message = zp4001.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"is a {kind} model", message, StringComparison.Ordinal);
        Assert.Contains("<PackageReference Include=\"Zproto.Net.Runtime\" />", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZP4001_is_not_reported_for_a_codec_alone_or_when_the_runtime_is_referenced()
    {
        Assert.DoesNotContain(RunWithoutRuntime("echo_msg.xml"), d => d.Id == "ZP4001");
        Assert.DoesNotContain(GeneratorHarness.RunModel("echo_server.xml").GeneratorDiagnostics, d => d.Id == "ZP4001");
    }

    [Fact]
    public void ZP4002_an_msbuild_build_without_the_props_warns_instead_of_ignoring_Namespace()
    {
        var texts = new[] { TestAdditionalText.Model("echo_msg.xml"), TestAdditionalText.Model("zpipes_msg.xml") };
        var withoutProps = new BuildProperties(("build_property.TargetFramework", "net10.0"));

        var outcome = GeneratorHarness.Run(texts, withoutProps);

        var zp4002 = Assert.Single(outcome.GeneratorDiagnostics, d => d.Id == "ZP4002");
        Assert.Equal(DiagnosticSeverity.Warning, zp4002.DefaultSeverity);
        Assert.Contains("Zproto.Net.Generator.props", zp4002.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ZP4002_is_not_reported_when_the_props_are_imported_or_the_host_is_not_msbuild()
    {
        var texts = new[] { TestAdditionalText.Model("echo_msg.xml") };
        var withProps = new BuildProperties(("build_property.TargetFramework", "net10.0"), ("build_property.ZprotoGeneratorProps", "true"));

        Assert.DoesNotContain(GeneratorHarness.Run(texts, withProps).GeneratorDiagnostics, d => d.Id == "ZP4002");
        Assert.DoesNotContain(GeneratorHarness.Run(texts).GeneratorDiagnostics, d => d.Id == "ZP4002");
    }

    [Fact]
    public void The_props_file_sets_the_marker_the_generator_looks_for()
    {
        var props = System.IO.File.ReadAllText(System.IO.Path.Combine(Repository.Root, "generator", "Zproto.Generator", "build", "Zproto.Net.Generator.props"));

        Assert.Contains("<ZprotoGeneratorProps>true</ZprotoGeneratorProps>", props, StringComparison.Ordinal);
        Assert.Contains("<CompilerVisibleProperty Include=\"ZprotoGeneratorProps\" />", props, StringComparison.Ordinal);
    }

    /// <summary>Runs the generator in a compilation that references the platform and Zproto.Wire, not Zproto.Runtime.</summary>
    private static ImmutableArray<Diagnostic> RunWithoutRuntime(params string[] models)
    {
        var runtimeDirectory = System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator)
            .Where(p => System.IO.Path.GetDirectoryName(p) == runtimeDirectory || System.IO.Path.GetFileName(p) == "Zproto.Wire.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("NoRuntime", [], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorHarness.CreateDriver(models.Select(TestAdditionalText.Model))
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        return diagnostics;
    }

    /// <summary>Global build properties as MSBuild passes them; no per-file metadata.</summary>
    private sealed class BuildProperties(params (string Key, string Value)[] values) : AnalyzerConfigOptionsProvider
    {
        private static readonly Options s_none = new(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values.ToImmutableDictionary(v => v.Key, v => v.Value));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => s_none;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => s_none;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
