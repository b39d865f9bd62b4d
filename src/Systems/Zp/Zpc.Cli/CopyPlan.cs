using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Zpc.Cli;

/// <summary>
/// Which local file goes to which remote path, with scp's rules: one file to a DEST that does not
/// end in '/' is renamed to DEST; otherwise each source keeps its name under DEST (the remote home
/// when DEST is empty); <c>-r</c> copies a directory as a directory of that name, recursively.
/// </summary>
internal static class CopyPlan
{
    /// <exception cref="ArgumentException">A source is missing, or a directory without -r.</exception>
    public static IReadOnlyList<(string Local, string Remote)> Make(IReadOnlyList<string> sources, string destination, bool recursive)
    {
        var plan = new List<(string, string)>();
        var intoDirectory = destination.Length == 0 || destination.EndsWith('/') || sources.Count > 1 || sources.Any(Directory.Exists);
        foreach (var source in sources)
        {
            var trimmed = source.Length > 1 ? source.TrimEnd('/') : source;
            var name = Path.GetFileName(trimmed);
            var target = intoDirectory ? Join(destination, name) : destination;
            if (File.Exists(trimmed))
            {
                plan.Add((trimmed, target));
            }
            else if (Directory.Exists(trimmed))
            {
                if (!recursive)
                    throw new ArgumentException($"{source} is a directory (use -r)");
                foreach (var file in Directory.EnumerateFiles(trimmed, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    plan.Add((file, Join(target, Path.GetRelativePath(trimmed, file).Replace(Path.DirectorySeparatorChar, '/'))));
            }
            else
            {
                throw new ArgumentException($"{source}: no such file or directory");
            }
        }
        return plan;
    }

    private static string Join(string directory, string name) =>
        directory.Length == 0 ? name : directory.EndsWith('/') ? directory + name : directory + "/" + name;
}
