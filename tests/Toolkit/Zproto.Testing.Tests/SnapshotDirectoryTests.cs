using System;
using System.IO;
using System.Linq;
using Xunit;
using Zproto.CodeGen.Rendering;

namespace Zproto.Testing.Tests;

/// <summary>
/// Verified snapshots in a temporary directory: missing, matching, changed, stale, accepted.
/// Accepting is passed explicitly: the environment variable is process-wide and tests run in parallel.
/// </summary>
public sealed class SnapshotDirectoryTests : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("zproto-snapshots-").FullName;

    public void Dispose() => Directory.Delete(_path, recursive: true);

    private SnapshotDirectory Snapshots(bool accept = false) => new(_path, accept);

    private string Verified(string name) => Path.Combine(_path, name + ".verified.cs");

    private string Received(string name) => Path.Combine(_path, name + ".received.cs");

    [Fact]
    public void A_missing_snapshot_fails_and_writes_the_received_text()
    {
        var e = Assert.Throws<SnapshotMismatchException>(() => Snapshots().Verify("My.Codec", "class A { }\n"));

        Assert.Equal(SnapshotStatus.Missing, Assert.Single(e.Failures).Status);
        Assert.Contains("no verified snapshot My.Codec.verified.cs", e.Message, StringComparison.Ordinal);
        Assert.Contains("ZPROTO_ACCEPT_SNAPSHOTS=1", e.Message, StringComparison.Ordinal);
        Assert.Equal("class A { }\n", File.ReadAllText(Received("My.Codec")));
        Assert.False(File.Exists(Verified("My.Codec")));
    }

    [Fact]
    public void Accepting_writes_the_verified_file_and_then_it_matches()
    {
        File.WriteAllText(Received("My.Codec"), "stale received text\n");

        Snapshots(accept: true).Verify("My.Codec", "class A { }\n");

        Assert.Equal("class A { }\n"u8.ToArray(), File.ReadAllBytes(Verified("My.Codec"))); // UTF-8, no BOM
        Assert.False(File.Exists(Received("My.Codec")));
        Assert.Equal(SnapshotStatus.Matched, Snapshots().Compare("My.Codec", "class A { }\n").Status);
    }

    [Fact]
    public void A_changed_text_fails_with_a_unified_diff_and_keeps_the_verified_file()
    {
        File.WriteAllText(Verified("My.Codec"), "a\nb\nc\n");

        var e = Assert.Throws<SnapshotMismatchException>(() => Snapshots().Verify("My.Codec", "a\nB\nc\n"));

        Assert.Equal(SnapshotStatus.Changed, Assert.Single(e.Failures).Status);
        Assert.Contains("--- My.Codec.verified.cs\n+++ My.Codec.received.cs\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", e.Message, StringComparison.Ordinal);
        Assert.Equal("a\nb\nc\n", File.ReadAllText(Verified("My.Codec")));
        Assert.Equal("a\nB\nc\n", File.ReadAllText(Received("My.Codec")));
    }

    [Fact]
    public void A_match_deletes_the_received_file_of_an_earlier_failure_and_ignores_CRLF()
    {
        File.WriteAllText(Verified("My.Codec"), "a\r\nb\r\n");
        File.WriteAllText(Received("My.Codec"), "a\nX\n");

        Snapshots().Verify("My.Codec", "a\nb\n");

        Assert.False(File.Exists(Received("My.Codec")));
    }

    [Fact]
    public void VerifyAll_reports_every_failure_at_once_including_stale_snapshots()
    {
        File.WriteAllText(Verified("My.Msg.Codec"), "old codec\n");
        File.WriteAllText(Verified("My.Msg.Messages"), "messages\n");
        File.WriteAllText(Verified("My.Gone.Codec"), "gone\n");
        GeneratedFile[] files = [new("My.Msg.Codec.g.cs", "new codec\n"), new("My.Msg.Messages.g.cs", "messages\n"), new("My.New.Codec.g.cs", "new\n")];

        var e = Assert.Throws<SnapshotMismatchException>(() => Snapshots().VerifyAll(files));

        Assert.Equal(
            [("My.Msg.Codec", SnapshotStatus.Changed), ("My.New.Codec", SnapshotStatus.Missing), ("My.Gone.Codec", SnapshotStatus.Stale)],
            e.Failures.Select(f => (f.Name, f.Status)));
        Assert.StartsWith($"3 snapshots in {_path} failed (of 4 checked).", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Verified("My.Gone.Codec")));
    }

    [Fact]
    public void Accepting_VerifyAll_writes_every_file_and_deletes_stale_snapshots()
    {
        File.WriteAllText(Verified("My.Gone.Codec"), "gone\n");
        File.WriteAllText(Verified("Other.Codec"), "not under the prefix\n");
        GeneratedFile[] files = [new("My.Msg.Codec.g.cs", "codec\n"), new("My.Msg.Messages.g.cs", "messages\n")];

        Snapshots(accept: true).VerifyAll(files, prefix: "My.");

        Assert.Equal(["My.Msg.Codec", "My.Msg.Messages", "Other.Codec"], Snapshots().VerifiedNames());
        Snapshots().VerifyAll(files, prefix: "My.");
    }

    [Fact]
    public void Snapshot_names_drop_the_generated_suffix_only()
    {
        Assert.Equal("Ns.ZpipesMsg.Codec", SnapshotDirectory.NameOf("Ns.ZpipesMsg.Codec.g.cs"));
        Assert.Equal("Ns.Notes.txt", SnapshotDirectory.NameOf("Ns.Notes.txt"));
    }
}
