using System;
using System.Collections.Generic;
using System.IO;
using Zproto.Model.Syntax;

namespace Zproto.Model.Tests.Support;

/// <summary>An in-memory file set for includes; paths are normalised as the readers normalise them.</summary>
internal sealed class MemoryFiles : IModelFileResolver
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public MemoryFiles(params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files)
            _files[ModelPaths.Normalize(path)] = text;
    }

    /// <summary>Every path asked for, in order: proves what the readers resolved.</summary>
    public List<string> Requested { get; } = new();

    public string? TryRead(string path)
    {
        Requested.Add(path);
        return _files.TryGetValue(ModelPaths.Normalize(path), out var text) ? text : null;
    }
}

/// <summary>Reads files from the disk, for the models in models/ (which include nothing today).</summary>
internal sealed class DiskFiles : IModelFileResolver
{
    public static DiskFiles Instance { get; } = new();

    public string? TryRead(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
