using System;
using System.Collections.Generic;
using System.IO;
using Xunit.Sdk;

namespace Zproto.Generator.Tests.Infrastructure;

/// <summary>
/// Verified-text snapshots kept in Snapshots/ beside the test sources, reviewed in diffs like code.
/// A mismatch writes <c>NAME.received.cs</c> next to <c>NAME.verified.cs</c> and fails with the
/// first differing line; with <c>ZPROTO_ACCEPT_SNAPSHOTS=1</c> the verified file is overwritten.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "ZPROTO_ACCEPT_SNAPSHOTS";

    public static string Directory { get; } = Path.Combine(Repository.TestSourceDirectory, "Snapshots");

    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    public static string VerifiedPath(string name) => Path.Combine(Directory, name + ".verified.cs");

    public static string ReceivedPath(string name) => Path.Combine(Directory, name + ".received.cs");

    /// <summary>Names (without <c>.verified.cs</c>) of the verified snapshots starting with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> VerifiedNames(string prefix)
    {
        var names = new List<string>();
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var path in System.IO.Directory.GetFiles(Directory, prefix + "*.verified.cs"))
                names.Add(Path.GetFileName(path)[..^".verified.cs".Length]);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Compares <paramref name="actual"/> with the verified snapshot <paramref name="name"/>.</summary>
    public static void Verify(string name, string actual)
    {
        var verified = VerifiedPath(name);
        var received = ReceivedPath(name);
        System.IO.Directory.CreateDirectory(Directory);
        if (Accepting)
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual);
            throw new XunitException($"No verified snapshot {Path.GetFileName(verified)}; wrote {Path.GetFileName(received)}. Review it, then run with {AcceptVariable}=1 to accept.");
        }
        // A checkout with CRLF line ends still compares equal; the generator itself writes LF only.
        var expected = File.ReadAllText(verified).Replace("\r\n", "\n");
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        throw new XunitException($"{name} differs from its snapshot. {FirstDifference(expected, actual)}\n"
            + $"Wrote {received}; diff it against {Path.GetFileName(verified)}, and run with {AcceptVariable}=1 to accept.");
    }

    /// <summary>Deletes a verified snapshot that no output produces any more (accept mode only).</summary>
    public static void DeleteVerified(string name) => File.Delete(VerifiedPath(name));

    internal static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of file>";
            if (!string.Equals(el, al, StringComparison.Ordinal))
                return $"First difference at line {i + 1}:\n  verified: {el}\n  received: {al}";
        }
        return "The texts differ only in line ends.";
    }
}
