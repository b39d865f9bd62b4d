using System;
using System.Collections.Generic;
using System.IO;
using Zproto.CodeGen.Pipeline;
using Zproto.CodeGen.Rendering;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using Zproto.Model.Machines;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Cli;

/// <summary>A model read from disk and parsed on its own (no state-machine checks): for commands that take one model.</summary>
internal sealed record LoadedModel(string Path, ParseResult Result)
{
    /// <summary>The codec spec, for a protocol model without errors.</summary>
    public ProtocolSpec? Spec => Result.Spec;

    /// <summary>The state machine, for a server or client model without errors.</summary>
    public MachineSpec? Machine => Result.Machine;

    /// <summary>The parser's diagnostics.</summary>
    public IReadOnlyList<ModelDiagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Result.HasErrors;
}

/// <summary>
/// The CLI's disk side of generation: reads model and template files and hands them to
/// <see cref="GenerationPipeline"/>, the same pipeline the source generator runs over
/// AdditionalFiles. Protocol resolution follows <see cref="ProtocolResolution"/>; the CLI's
/// model set is the models on its command line plus, for a state machine, the model files in
/// its directory, so <c>zproto check models/echo_server.xml</c> checks the server against
/// <c>models/echo_msg.xml</c>.
/// </summary>
internal static class ModelFiles
{
    /// <summary>
    /// Reads and parses the model at <paramref name="path"/>. Diagnostics name the path as given,
    /// so they are relative when the user typed a relative path, as compiler output is.
    /// </summary>
    /// <exception cref="CliException">The file does not exist or cannot be read.</exception>
    public static LoadedModel Load(string path) =>
        new(path, ModelParser.Parse(new ModelSource(path, ReadModel(path)), DiskResolver.Instance));

    /// <summary>
    /// Runs the pipeline over <paramref name="paths"/> in order. A file that cannot be read is
    /// passed to <paramref name="unreadable"/> and left out.
    /// </summary>
    public static GenerationResult Generate(IReadOnlyList<string> paths, string? @namespace, TemplateSet templates, Action<CliException> unreadable)
    {
        var models = new List<ModelInput>();
        foreach (var path in paths)
        {
            try
            {
                models.Add(new ModelInput(path, ReadModel(path), @namespace ?? ""));
            }
            catch (CliException e)
            {
                unreadable(e);
            }
        }
        return GenerationPipeline.Run(models, DiskResolver.Instance, templates, projectNamespace: "", Neighbours);
    }

    /// <summary>
    /// Loads a protocol model that must be free of errors: its diagnostics (warnings too) go to
    /// stderr, and any error stops the command with exit code 1.
    /// </summary>
    public static ProtocolSpec LoadProtocol(string path, CliContext context)
    {
        var model = Load(path);
        foreach (var d in model.Diagnostics)
            context.Error.WriteLine(d.ToString());
        if (model.HasErrors)
            throw new CliException($"model '{path}' has errors");
        if (model.Result.Machine is { } machine)
            throw new CliException($"'{path}' is a {machine.Kind.ToString().ToLowerInvariant()} state machine, not a protocol; use its protocol model '{machine.ProtocolClass}'");
        return model.Spec ?? throw new CliException($"'{path}' is not a protocol model");
    }

    /// <summary>Reads the templates named on the command line into the template set.</summary>
    /// <exception cref="CliException">A template cannot be read.</exception>
    public static TemplateSet LoadTemplates(IReadOnlyList<string> paths)
    {
        var files = new List<KeyValuePair<string, string>>();
        foreach (var path in paths)
        {
            try
            {
                files.Add(new KeyValuePair<string, string>(path, File.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read template '{path}': {e.Message}");
            }
        }
        return TemplateSet.FromFiles(files);
    }

    private static string ReadModel(string path)
    {
        if (Directory.Exists(path))
            throw new CliException($"'{path}' is a directory, not a model file");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"model file '{path}' not found");
        }
        catch (IOException e)
        {
            throw new CliException($"cannot read model file '{path}': {e.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"cannot read model file '{path}': access denied");
        }
    }

    /// <summary>
    /// The other model files in a machine model's directory, in ordinal order, named the way the
    /// machine's path is (relative stays relative); unreadable ones are skipped.
    /// </summary>
    private static IEnumerable<ModelInput> Neighbours(string machinePath)
    {
        var directory = Path.GetDirectoryName(machinePath) ?? "";
        string[] files;
        try
        {
            files = Directory.GetFiles(directory.Length == 0 ? "." : directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        Array.Sort(files, StringComparer.Ordinal);
        var self = Path.GetFullPath(machinePath);
        foreach (var found in files)
        {
            var file = Path.Combine(directory, Path.GetFileName(found));
            if (!ModelParser.IsModelFile(file) || string.Equals(Path.GetFullPath(found), self, StringComparison.Ordinal))
                continue;
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (ModelParser.LooksLikeModel(file, text))
                yield return new ModelInput(file, text, "");
        }
    }

    /// <summary>Resolves <c>&lt;include&gt;</c> from the disk; a file that cannot be read is "not there".</summary>
    private sealed class DiskResolver : IModelFileResolver
    {
        public static readonly DiskResolver Instance = new();

        public string? TryRead(string path)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllText(path) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
