using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;
using Zproto.Tests.Shared;

namespace Zproto.Testing.Tests;

/// <summary>
/// Packs Zproto.Net.Testing (and the Zproto.Wire runtime) as a user gets them, then drives a
/// user's test project (SnapshotConsumer/) through the whole workflow with <c>dotnet test</c>:
/// no snapshots yet (fails), accept, pass, edit the model (fails with a diff), accept, pass.
/// Slow (a minute or more), so it has a category of its own, but it stays in the default run.
/// </summary>
[Trait("Category", "Package")]
public sealed class SnapshotConsumerTests
{
    private static readonly Dictionary<string, string> s_accept = new() { [SnapshotDirectory.AcceptVariable] = "1" };

    [Fact]
    public void A_user_test_project_fails_with_a_diff_when_the_model_changes_and_passes_after_accepting()
    {
        var temp = Directory.CreateTempSubdirectory("zproto-testing-package-").FullName;
        try
        {
            var local = LocalFeed.Under(temp);
            var (feed, version, common) = (local.Directory, local.Version, local.PackArguments);
            var root = TestPaths.Root;
            var wire = Dotnet.Start(temp, ["pack", Path.Combine(root, "src", "Toolkit", "Zproto.Wire", "Zproto.Wire.csproj"), .. common]);
            var testing = Dotnet.Start(temp, ["pack", Path.Combine(root, "src", "Toolkit", "Zproto.Testing", "Zproto.Testing.csproj"), .. common]);
            wire.Succeed();
            testing.Succeed();
            AssertTestingPackage(Path.Combine(feed, $"Zproto.Net.Testing.{version}.nupkg"));

            var consumer = Path.Combine(temp, "consumer");
            CopyConsumer(Path.Combine(TestPaths.SourceDirectory, "SnapshotConsumer"), consumer);
            LocalFeed.WriteNuGetConfig(consumer, feed, LocalFeed.MachineSources(temp));
            Dotnet.Start(consumer,
            [
                "build", "-c", "Release", "--disable-build-servers", "-nologo",
                $"-p:ZprotoPackageVersion={version}", $"-p:RestorePackagesPath={Path.Combine(temp, "packages")}",
            ]).Succeed();

            // The models are read when the tests run, so after the one build only the model changes.
            string[] test = ["test", "-c", "Release", "--no-build", "-nologo"];
            var snapshots = Path.Combine(consumer, "Snapshots");
            var codec = Path.Combine(snapshots, "Chat.Protocols.ChatMsg.Codec");

            var first = Dotnet.Start(consumer, test).Fail();
            Assert.Contains("there is no verified snapshot Chat.Protocols.ChatMsg.Codec.verified.cs", first, StringComparison.Ordinal);
            Assert.Contains("Passed:     1", first, StringComparison.Ordinal); // the compile check
            Assert.True(File.Exists(codec + ".received.cs"));

            Dotnet.Start(consumer, test, s_accept).Succeed();
            Assert.Equal(["Chat.Protocols.ChatMsg.Codec.verified.cs", "Chat.Protocols.ChatMsg.Messages.verified.cs"], Directory.GetFiles(snapshots).Select(Path.GetFileName).Order());
            Assert.Contains("namespace Chat.Protocols", File.ReadAllText(codec + ".verified.cs"), StringComparison.Ordinal);
            Dotnet.Start(consumer, test).Succeed();

            // The model gains a field: the snapshot test fails with a diff that shows it.
            var model = Path.Combine(consumer, "Models", "chat_msg.xml");
            File.WriteAllText(model, File.ReadAllText(model).Replace(
                "<field name = \"text\" type = \"longstr\">What was said</field>",
                "<field name = \"text\" type = \"longstr\">What was said</field>\n    <field name = \"mood\" type = \"number\" size = \"1\">How it was said</field>",
                StringComparison.Ordinal));
            var changed = Dotnet.Start(consumer, test).Fail();
            Assert.Contains("Chat.Protocols.ChatMsg.Messages differs from its verified snapshot", changed, StringComparison.Ordinal);
            Assert.Contains("--- Chat.Protocols.ChatMsg.Messages.verified.cs", changed, StringComparison.Ordinal);
            Assert.Contains(changed.Split('\n'), l => l.StartsWith('+') && l.Contains("Mood", StringComparison.Ordinal));
            Assert.Contains("ZPROTO_ACCEPT_SNAPSHOTS=1", changed, StringComparison.Ordinal);
            Assert.DoesNotContain("Mood", File.ReadAllText(Path.Combine(snapshots, "Chat.Protocols.ChatMsg.Messages.verified.cs")), StringComparison.Ordinal);

            Dotnet.Start(consumer, test, s_accept).Succeed();
            Assert.Contains("Mood", File.ReadAllText(Path.Combine(snapshots, "Chat.Protocols.ChatMsg.Messages.verified.cs")), StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(snapshots, "*.received.cs"));
            Dotnet.Start(consumer, test).Succeed();
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>The generator and its libraries ride in lib/; the libraries they use are package dependencies.</summary>
    private static void AssertTestingPackage(string path)
    {
        using var package = ZipFile.OpenRead(path);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var dll in new[] { "Zproto.Testing.dll", "Zproto.Generator.dll", "Zproto.Model.dll", "Zproto.CodeGen.dll" })
            Assert.Contains("lib/net10.0/" + dll, entries);
        Assert.Contains("build/Zproto.Net.Testing.targets", entries);

        using var nuspec = package.GetEntry("Zproto.Net.Testing.nuspec")!.Open();
        var ns = XNamespace.Get("http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd");
        var dependencies = XDocument.Load(nuspec).Descendants(ns + "dependency").Select(d => (string?)d.Attribute("id")).Order().ToList();
        Assert.Equal(["Handlebars.Net", "Microsoft.CodeAnalysis.CSharp", "YamlDotNet"], dependencies);
    }

    private static void CopyConsumer(string source, string destination)
    {
        foreach (var file in new[] { "SnapshotConsumer.csproj", "ChatProtocolTests.cs", Path.Combine("Models", "chat_msg.xml") })
        {
            var target = Path.Combine(destination, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(source, file), target);
        }
    }
}
