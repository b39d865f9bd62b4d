using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Zproto.CodeGen.Pipeline;
using Zproto.CodeGen.Rendering;
using Zproto.Model.Syntax;

namespace Zproto.Benchmarks;

/// <summary>
/// Issue 15.5: generating every model in models/ in-process (parse, check, bind, render: the
/// pipeline both the CLI and the source generator run), after BenchmarkDotNet's warm-up, so the
/// templates are compiled once as in a long-lived compiler server. Goal: under 200 ms.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class GenerationBenchmarks
{
    private List<ModelInput> _models = [];
    private DiskFiles _files = null!;

    [GlobalSetup]
    public void Setup()
    {
        var directory = ModelsDirectory();
        _files = new DiskFiles(directory);
        _models = Directory.GetFiles(directory)
            .Where(p => p.EndsWith(".xml", StringComparison.Ordinal) || p.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => new ModelInput(p, File.ReadAllText(p), ""))
            .ToList();
        // A run that fails or generates nothing would make the number meaningless.
        var result = GenerateAll();
        if (GenerationPipeline.HasErrors(result.Diagnostics) || result.Files.Count() < _models.Count)
            throw new InvalidOperationException($"models/ did not generate cleanly: {string.Join("; ", result.Diagnostics)}");
    }

    [Benchmark(Description = "every model in models/")]
    [BenchmarkCategory("Generate")]
    public GenerationResult GenerateAll() => GenerationPipeline.Run(_models, _files, TemplateSet.BuiltIn, "Zproto.Generated");

    private static string ModelsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Zproto.Net.sln")))
                return Path.Combine(dir.FullName, "models");
        }
        throw new DirectoryNotFoundException("no Zproto.Net.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>Includes read from the models directory (no model there includes anything today).</summary>
    private sealed class DiskFiles(string directory) : IModelFileResolver
    {
        public string? TryRead(string path)
        {
            var full = Path.IsPathRooted(path) ? path : Path.Combine(directory, path);
            return File.Exists(full) ? File.ReadAllText(full) : null;
        }
    }
}
