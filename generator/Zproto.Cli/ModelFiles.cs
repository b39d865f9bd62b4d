using System;
using System.Collections.Generic;
using System.IO;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using Zproto.Model.Machines;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Cli;

/// <summary>
/// A model read from disk: the path as the user gave it, the parser's verdict and, for a server or
/// client state machine, the protocol model it speaks and the diagnostics of its checks.
/// </summary>
internal sealed record LoadedModel(string Path, ParseResult Result)
{
    /// <summary>The codec spec, for a protocol model without errors.</summary>
    public ProtocolSpec? Spec => HasErrors ? null : Result.Spec;

    /// <summary>The state machine, for a server or client model without errors.</summary>
    public MachineSpec? Machine => HasErrors ? null : Result.Machine;

    /// <summary>For a state machine: the protocol model it speaks, when found and free of errors.</summary>
    public LoadedModel? Protocol { get; init; }

    /// <summary>Every diagnostic: the parser's, then (for a state machine) those of the checks against its protocol.</summary>
    public IReadOnlyList<ModelDiagnostic> Diagnostics { get; init; } = Result.Diagnostics;

    /// <summary>True when any diagnostic is an error: nothing is generated from such a model.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var d in Diagnostics)
                if (d.Severity == Severity.Error) return true;
            return false;
        }
    }
}

/// <summary>
/// Reads models from the file system (the source generator reads AdditionalFiles instead), with
/// the same checks: a state machine is checked against its protocol and the other side's machine.
/// </summary>
/// <remarks>
/// The generator finds a machine's protocol among the project's models; the CLI looks among the
/// models on its command line, then among the model files in the machine model's directory. So
/// <c>zproto check models/echo_server.xml</c> checks the server against <c>models/echo_msg.xml</c>.
/// </remarks>
internal static class ModelFiles
{
    /// <summary>
    /// Reads and parses the model at <paramref name="path"/>. Diagnostics name the path as given,
    /// so they are relative when the user typed a relative path, as compiler output is.
    /// </summary>
    /// <exception cref="CliException">The file does not exist or cannot be read.</exception>
    public static LoadedModel Load(string path)
    {
        if (Directory.Exists(path))
            throw new CliException($"'{path}' is a directory, not a model file");
        string text;
        try
        {
            text = File.ReadAllText(path);
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
        return new LoadedModel(path, ModelParser.Parse(new ModelSource(path, text), DiskResolver.Instance));
    }

    /// <summary>
    /// Loads <paramref name="paths"/> in order and runs the state-machine checks. A file that
    /// cannot be read is passed to <paramref name="unreadable"/> and left out.
    /// </summary>
    public static List<LoadedModel> LoadAll(IReadOnlyList<string> paths, Action<CliException> unreadable)
    {
        var models = new List<LoadedModel>();
        foreach (var path in paths)
        {
            try
            {
                models.Add(Load(path));
            }
            catch (CliException e)
            {
                unreadable(e);
            }
        }
        var neighbours = new Neighbours(models);
        for (var i = 0; i < models.Count; i++)
        {
            if (models[i].Result.Machine is { } machine && !models[i].HasErrors)
                models[i] = CheckMachine(models[i], machine, models, neighbours);
        }
        return models;
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

    private static LoadedModel CheckMachine(LoadedModel model, MachineSpec machine, List<LoadedModel> given, Neighbours neighbours)
    {
        var protocolKey = Naming.Key(machine.ProtocolClass);
        LoadedModel? protocol = null;
        MachineSpec? counterpart = null;
        foreach (var candidates in new Func<IEnumerable<LoadedModel>>[] { () => given, () => neighbours.Of(model.Path) })
        {
            foreach (var other in candidates())
            {
                if (protocol is null && other.Spec is { } spec && Naming.Key(spec.Name) == protocolKey)
                    protocol = other;
                if (counterpart is null && other.Machine is { } m && m.Kind != machine.Kind && Naming.Key(m.ProtocolClass) == protocolKey)
                    counterpart = m;
            }
            if (protocol is not null && counterpart is not null)
                break;
        }
        var diagnostics = new List<ModelDiagnostic>(model.Result.Diagnostics);
        if (model.Result.MachinePositions is { } positions)
            diagnostics.AddRange(MachineChecker.Check(machine, positions, protocol?.Spec, counterpart));
        return model with { Protocol = protocol, Diagnostics = diagnostics };
    }

    /// <summary>The other model files in a directory, parsed on first use; their problems are not reported.</summary>
    private sealed class Neighbours(List<LoadedModel> given)
    {
        private readonly Dictionary<string, List<LoadedModel>> _byDirectory = new(StringComparer.Ordinal);

        public List<LoadedModel> Of(string path)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            if (_byDirectory.TryGetValue(directory, out var models))
                return models;
            models = new List<LoadedModel>();
            var skip = new HashSet<string>(StringComparer.Ordinal);
            foreach (var g in given)
                skip.Add(Path.GetFullPath(g.Path));
            try
            {
                var files = Directory.GetFiles(directory);
                Array.Sort(files, StringComparer.Ordinal);
                foreach (var file in files)
                {
                    if (!ModelParser.IsModelFile(file) || skip.Contains(file))
                        continue;
                    try
                    {
                        var text = File.ReadAllText(file);
                        if (ModelParser.LooksLikeModel(file, text))
                            models.Add(new LoadedModel(file, ModelParser.Parse(new ModelSource(file, text), DiskResolver.Instance)));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // A neighbour that cannot be read is simply not a candidate.
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            _byDirectory[directory] = models;
            return models;
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
