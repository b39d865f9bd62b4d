using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Zproto.CodeGen.Pipeline;
using Zproto.Model;
using Zproto.Model.Syntax;

namespace Zproto.Generator;

public sealed partial class ZprotoGenerator
{
    /// <summary>Names of the tracked pipeline steps, for incrementality tests.</summary>
    public static class StepNames
    {
        public const string Files = nameof(Files);
        public const string ModelInputs = nameof(ModelInputs);
        public const string Includes = nameof(Includes);
        public const string Parse = nameof(Parse);
        public const string Diagnostics = nameof(Diagnostics);
        public const string ProtocolNames = nameof(ProtocolNames);
        public const string Specs = nameof(Specs);
        public const string Bind = nameof(Bind);
        public const string Templates = nameof(Templates);
        public const string Render = nameof(Render);
        public const string Machines = nameof(Machines);
        public const string MachineChecks = nameof(MachineChecks);
        public const string MachineBind = nameof(MachineBind);
        public const string MachineRender = nameof(MachineRender);
    }

    private static SourceFile ReadFile(AdditionalText text, CancellationToken ct) =>
        new(ModelPaths.Normalize(text.Path), text.GetText(ct)?.ToString() ?? "");

    /// <summary>
    /// A model AdditionalFile with its <c>Namespace</c> and <c>ZprotoReference</c> item metadata, or
    /// null for other .xml/.yaml files.
    /// </summary>
    private static ModelInput? ReadModelInput(AdditionalText text, AnalyzerConfigOptionsProvider options, CancellationToken ct)
    {
        var content = text.GetText(ct)?.ToString() ?? "";
        var path = ModelPaths.Normalize(text.Path);
        // Other .xml/.yaml AdditionalFiles (included fragments, unrelated config) are not models.
        if (!ModelParser.LooksLikeModel(path, content))
            return null;
        var metadata = options.GetOptions(text);
        metadata.TryGetValue("build_metadata.AdditionalFiles.Namespace", out var fileNamespace);
        metadata.TryGetValue("build_metadata.AdditionalFiles.ZprotoReference", out var reference);
        return new ModelInput(path, content, Trimmed(fileNamespace))
        {
            ReferenceOnly = string.Equals(Trimmed(reference), "true", System.StringComparison.OrdinalIgnoreCase),
        };
    }

    private static string RootNamespace(AnalyzerConfigOptionsProvider options)
    {
        options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var rootNamespace);
        return Trimmed(rootNamespace);
    }

    private static string Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? "" : value!.Trim();

    private static ModelWithIncludes FindIncludes(ModelInput model, ImmutableArray<SourceFile> files, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return GenerationPipeline.FindIncludes(model, new FileSetResolver(files));
    }

    /// <summary>Resolves includes against the project's AdditionalFiles: analyzers may not read the disk.</summary>
    private sealed class FileSetResolver(ImmutableArray<SourceFile> files) : IModelFileResolver
    {
        public string? TryRead(string path)
        {
            var wanted = ModelPaths.Normalize(path);
            foreach (var f in files)
            {
                if (string.Equals(f.Path, wanted, System.StringComparison.Ordinal))
                    return f.Text;
            }
            return null;
        }
    }
}
