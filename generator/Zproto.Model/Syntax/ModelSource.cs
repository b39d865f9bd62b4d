using System;

namespace Zproto.Model.Syntax;

/// <summary>A model file's path and text.</summary>
public sealed record ModelSource(string Path, string Text)
{
    /// <summary>True for the YAML form (by extension).</summary>
    public bool IsYaml =>
        Path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || Path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Finds the text of an included file. The source generator answers from its AdditionalFiles
/// (analyzers may not read the disk); the CLI reads the file system.
/// </summary>
public interface IModelFileResolver
{
    /// <summary>The text of the file at <paramref name="path"/>, or null when there is none.</summary>
    string? TryRead(string path);
}

/// <summary>Include paths: relative to the including file, normalised so resolvers can compare them.</summary>
public static class ModelPaths
{
    /// <summary>Resolves <paramref name="fileName"/> against the directory of <paramref name="includingFile"/>.</summary>
    public static string Resolve(string includingFile, string fileName)
    {
        var dir = System.IO.Path.GetDirectoryName(includingFile) ?? "";
        var combined = System.IO.Path.IsPathRooted(fileName) ? fileName : System.IO.Path.Combine(dir, fileName);
        return Normalize(combined);
    }

    /// <summary>Collapses <c>.</c> and <c>..</c> segments and uses '/' separators, without touching the disk.</summary>
    public static string Normalize(string path)
    {
        var p = path.Replace('\\', '/');
        var rooted = p.StartsWith("/", StringComparison.Ordinal);
        var parts = p.Split('/');
        var stack = new System.Collections.Generic.List<string>();
        foreach (var part in parts)
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == ".." && stack.Count > 0 && stack[stack.Count - 1] != "..")
                stack.RemoveAt(stack.Count - 1);
            else
                stack.Add(part);
        }
        var joined = string.Join("/", stack);
        // Keep Windows drive-letter paths ("C:/x") as they are; only Unix roots need the slash back.
        return rooted ? "/" + joined : joined;
    }
}
