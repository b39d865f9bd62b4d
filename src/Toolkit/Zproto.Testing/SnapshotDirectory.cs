using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Zproto.CodeGen.Rendering;

namespace Zproto.Testing;

/// <summary>
/// A directory of verified snapshots, <c>NAME.verified.cs</c>, committed and reviewed like code.
/// A text that differs from its snapshot is written to <c>NAME.received.cs</c> beside it and
/// fails with a unified diff; with <c>ZPROTO_ACCEPT_SNAPSHOTS=1</c> the verified file is
/// overwritten instead, and snapshots nothing produces any more are deleted.
/// </summary>
/// <remarks>
/// Comparisons ignore CRLF versus LF (a Windows checkout may convert the committed files; the
/// generator writes LF only). Verified files are written as UTF-8 without a byte order mark.
/// </remarks>
public sealed class SnapshotDirectory
{
    /// <summary>The environment variable that accepts every received text as the new snapshot when set to <c>1</c>.</summary>
    public const string AcceptVariable = "ZPROTO_ACCEPT_SNAPSHOTS";

    /// <summary>How a verified snapshot's file name ends.</summary>
    public const string VerifiedSuffix = ".verified.cs";

    /// <summary>How a received (mismatching) text's file name ends.</summary>
    public const string ReceivedSuffix = ".received.cs";

    /// <summary>Lines of diff shown per mismatching file: enough to see the first differences.</summary>
    public const int DiffLines = 60;

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Snapshots in <paramref name="path"/>.</summary>
    /// <param name="path">The directory; created when the first file is written.</param>
    /// <param name="accept">True to accept every text; null to follow <see cref="AcceptVariable"/>.</param>
    public SnapshotDirectory(string path, bool? accept = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Accepting = accept ?? AcceptRequested;
    }

    /// <summary>True when <see cref="AcceptVariable"/> is <c>1</c> in this process's environment.</summary>
    public static bool AcceptRequested => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>True when texts are accepted as the new snapshots rather than compared.</summary>
    public bool Accepting { get; }

    /// <summary>The snapshot name of a generated file: its hint name without <c>.g.cs</c>.</summary>
    public static string NameOf(string hintName)
    {
        ArgumentNullException.ThrowIfNull(hintName);
        return hintName.EndsWith(".g.cs", StringComparison.Ordinal) ? hintName[..^".g.cs".Length] : hintName;
    }

    /// <summary>Where the verified snapshot <paramref name="name"/> lives.</summary>
    public string VerifiedPath(string name) => System.IO.Path.Combine(Path, name + VerifiedSuffix);

    /// <summary>Where a mismatching text for <paramref name="name"/> is written.</summary>
    public string ReceivedPath(string name) => System.IO.Path.Combine(Path, name + ReceivedSuffix);

    /// <summary>Names (without <see cref="VerifiedSuffix"/>) of the verified snapshots starting with <paramref name="prefix"/>, in ordinal order.</summary>
    public IReadOnlyList<string> VerifiedNames(string prefix = "")
    {
        var names = new List<string>();
        if (Directory.Exists(Path))
        {
            foreach (var file in Directory.GetFiles(Path, prefix + "*" + VerifiedSuffix))
                names.Add(System.IO.Path.GetFileName(file)[..^VerifiedSuffix.Length]);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with snapshot <paramref name="name"/> and returns the
    /// verdict without throwing: the test-framework neutral core of <see cref="Verify"/>. Writes
    /// the received file on a mismatch, deletes it on a match, overwrites the snapshot when accepting.
    /// </summary>
    public SnapshotComparison Compare(string name, string actual)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(actual);
        var verified = VerifiedPath(name);
        var received = ReceivedPath(name);
        if (Accepting)
        {
            Directory.CreateDirectory(Path);
            File.WriteAllText(verified, actual, s_utf8);
            File.Delete(received);
            return new SnapshotComparison(name, SnapshotStatus.Accepted, $"{name}: accepted into {verified}");
        }
        if (!File.Exists(verified))
        {
            Directory.CreateDirectory(Path);
            File.WriteAllText(received, actual, s_utf8);
            return new SnapshotComparison(name, SnapshotStatus.Missing,
                $"{name}: there is no verified snapshot {System.IO.Path.GetFileName(verified)}. Wrote {received}; review it, then accept it.");
        }
        var expected = File.ReadAllText(verified);
        var diff = UnifiedDiff.Create(expected, actual, System.IO.Path.GetFileName(verified), System.IO.Path.GetFileName(received), maxLines: DiffLines);
        if (diff.Length == 0)
        {
            File.Delete(received);
            return new SnapshotComparison(name, SnapshotStatus.Matched, $"{name}: matches its snapshot");
        }
        File.WriteAllText(received, actual, s_utf8);
        return new SnapshotComparison(name, SnapshotStatus.Changed, $"{name} differs from its verified snapshot (received text in {received}):\n{diff}");
    }

    /// <summary>
    /// Verified snapshots starting with <paramref name="prefix"/> that are not in
    /// <paramref name="produced"/>: a failure each, or deleted when accepting.
    /// </summary>
    public IReadOnlyList<SnapshotComparison> CompareStale(IEnumerable<string> produced, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(produced);
        var keep = new HashSet<string>(produced, StringComparer.Ordinal);
        var results = new List<SnapshotComparison>();
        foreach (var name in VerifiedNames(prefix))
        {
            if (keep.Contains(name))
                continue;
            if (Accepting)
            {
                File.Delete(VerifiedPath(name));
                File.Delete(ReceivedPath(name));
                results.Add(new SnapshotComparison(name, SnapshotStatus.Accepted, $"{name}: no longer produced; deleted its snapshot"));
            }
            else
            {
                results.Add(new SnapshotComparison(name, SnapshotStatus.Stale,
                    $"{name}: {VerifiedPath(name)} is no longer produced; delete it, or accept to delete it."));
            }
        }
        return results;
    }

    /// <summary>Compares one text with its snapshot; throws <see cref="SnapshotMismatchException"/> unless it matches or is accepted.</summary>
    public void Verify(string name, string actual) => ThrowOnFailures([Compare(name, actual)]);

    /// <summary>
    /// Compares every generated file with its snapshot and reports snapshots no file produces;
    /// throws one <see cref="SnapshotMismatchException"/> describing every failure.
    /// </summary>
    /// <param name="files">The files, by hint name (<c>.g.cs</c> is dropped from snapshot names).</param>
    /// <param name="prefix">Only verified snapshots starting with this are checked for staleness.</param>
    public void VerifyAll(IEnumerable<GeneratedFile> files, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(files);
        var results = new List<SnapshotComparison>();
        var names = new List<string>();
        foreach (var file in files)
        {
            var name = NameOf(file.HintName);
            names.Add(name);
            results.Add(Compare(name, file.Text));
        }
        results.AddRange(CompareStale(names, prefix));
        ThrowOnFailures(results);
    }

    private void ThrowOnFailures(IReadOnlyList<SnapshotComparison> results)
    {
        var failures = new List<SnapshotComparison>();
        foreach (var r in results)
            if (!r.Passed) failures.Add(r);
        if (failures.Count == 0)
            return;
        var sb = new StringBuilder();
        sb.Append(failures.Count == 1 ? "1 snapshot" : $"{failures.Count} snapshots")
          .Append(" in ").Append(Path).Append(" failed (of ").Append(results.Count).Append(" checked).\n");
        foreach (var f in failures)
            sb.Append('\n').Append(f.Message.TrimEnd('\n')).Append('\n');
        sb.Append("\nIf the change is intended, run the tests again with ").Append(AcceptVariable).Append("=1 and commit the verified files.");
        throw new SnapshotMismatchException(sb.ToString(), failures);
    }
}

/// <summary>What a snapshot comparison found.</summary>
public enum SnapshotStatus
{
    /// <summary>The text equals the verified snapshot.</summary>
    Matched,

    /// <summary>Accept mode: the snapshot was written (or, for a stale one, deleted).</summary>
    Accepted,

    /// <summary>There is no verified snapshot yet; the text was written as received.</summary>
    Missing,

    /// <summary>The text differs from the verified snapshot; the text was written as received.</summary>
    Changed,

    /// <summary>A verified snapshot that nothing produces any more.</summary>
    Stale,
}

/// <summary>The verdict on one snapshot, with a message for people (a diff when it changed).</summary>
/// <param name="Name">The snapshot name.</param>
/// <param name="Status">What was found.</param>
/// <param name="Message">One paragraph: what happened, where the received text is, the diff.</param>
public sealed record SnapshotComparison(string Name, SnapshotStatus Status, string Message)
{
    /// <summary>True when the test should pass: the snapshot matched or was accepted.</summary>
    public bool Passed => Status is SnapshotStatus.Matched or SnapshotStatus.Accepted;
}

/// <summary>Snapshots that did not match; the message holds a unified diff of each.</summary>
public sealed class SnapshotMismatchException : Exception
{
    /// <summary>Creates the exception for <paramref name="failures"/>.</summary>
    public SnapshotMismatchException(string message, IReadOnlyList<SnapshotComparison> failures) : base(message)
    {
        Failures = failures;
    }

    /// <summary>Every failed comparison.</summary>
    public IReadOnlyList<SnapshotComparison> Failures { get; }
}
