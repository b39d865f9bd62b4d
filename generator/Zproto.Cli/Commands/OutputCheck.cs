using System;
using System.Collections.Generic;
using System.IO;
using Zproto.CodeGen.Rendering;

namespace Zproto.Cli.Commands;

/// <summary>
/// <c>zproto generate --check</c>: compares what would be generated with what is in the output
/// directory instead of writing it, for pipelines that commit generated code (like
/// <c>buf generate</c> followed by <c>git diff --exit-code</c>).
/// </summary>
/// <remarks>
/// A generated file not in the directory is missing, a <c>*.g.cs</c> file in the directory that
/// nothing generates is extra (other files are not ours and are ignored), and a file whose text
/// differs is changed; CRLF and LF compare equal, since a Windows checkout may convert them.
/// Differences are printed as unified diffs on stdout (disk as the old side, generated as the
/// new), with one summary line on stderr and exit code 1; an up-to-date directory prints nothing.
/// </remarks>
internal static class OutputCheck
{
    /// <summary>Lines of diff printed per file, so a rewritten file does not flood a CI log.</summary>
    public const int MaxDiffLines = 200;

    public static int Run(CliContext context, string outputDirectory, IReadOnlyList<GeneratedFile> files)
    {
        if (File.Exists(outputDirectory))
            throw new CliException($"'{outputDirectory}' is a file, not a directory");
        int changed = 0, missing = 0, extra = 0;
        var generated = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            generated.Add(file.HintName);
            var path = Path.Combine(outputDirectory, file.HintName);
            if (!File.Exists(path))
            {
                missing++;
                context.Output.Write(UnifiedDiff.Create("", file.Text, "/dev/null", path, maxLines: MaxDiffLines));
                continue;
            }
            var diff = UnifiedDiff.Create(File.ReadAllText(path), file.Text, path, path + " (generated)", maxLines: MaxDiffLines);
            if (diff.Length > 0)
            {
                changed++;
                context.Output.Write(diff);
            }
        }
        if (Directory.Exists(outputDirectory))
        {
            var present = Directory.GetFiles(outputDirectory, "*.g.cs");
            Array.Sort(present, StringComparer.Ordinal);
            foreach (var path in present)
            {
                if (generated.Contains(Path.GetFileName(path)))
                    continue;
                extra++;
                context.Output.Write(UnifiedDiff.Create(File.ReadAllText(path), "", path, "/dev/null", maxLines: MaxDiffLines));
            }
        }
        if (changed + missing + extra == 0)
            return Cli.Success;
        context.Error.WriteLine($"zproto generate: '{outputDirectory}' is out of date: {changed} changed, {missing} missing, {extra} extra; "
            + "run 'zproto generate' without --check to update it" + (extra > 0 ? " and delete the extra files" : ""));
        return Cli.Failure;
    }
}
