using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Zproto.Generator.Tests.Infrastructure;
using Zproto.Tests.Shared;
using Xunit;

namespace Zproto.Generator.Tests;

/// <summary>
/// Packs the generator and the Zproto.Wire runtime as a user would get them, then builds and runs
/// a consumer project (PackageConsumer/) that references only the generator package. That proves
/// the package carries everything the analyzer loads (Handlebars.dll and YamlDotNet.dll beside
/// it), its props, and the runtime dependency. Slow (tens of seconds), so it has a category of its
/// own, but it stays in the default run.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageTests
{
    [Fact]
    public void Packed_generator_builds_and_runs_a_zpipes_consumer()
    {
        var temp = Directory.CreateTempSubdirectory("zproto-package-").FullName;
        try
        {
            var local = LocalFeed.Under(temp);
            var (feed, version, common) = (local.Directory, local.Version, local.PackArguments);

            var wire = Dotnet.Start(temp, ["pack", Path.Combine(Repository.Root, "src", "Toolkit", "Zproto.Wire", "Zproto.Wire.csproj"), "-p:PackageId=Zproto.Net.Wire", .. common]);
            var generator = Dotnet.Start(temp, ["pack", Path.Combine(Repository.Root, "generator", "Zproto.Generator", "Zproto.Generator.csproj"), .. common]);
            wire.Succeed();
            generator.Succeed();

            AssertGeneratorPackage(Path.Combine(feed, $"Zproto.Net.Generator.{version}.nupkg"), version);
            Assert.True(File.Exists(Path.Combine(feed, $"Zproto.Net.Wire.{version}.nupkg")), "Zproto.Net.Wire was not packed");

            var consumer = Path.Combine(temp, "consumer");
            Directory.CreateDirectory(consumer);
            foreach (var name in new[] { "PackageConsumer.csproj", "Program.cs" })
                File.Copy(Path.Combine(Repository.TestSourceDirectory, "PackageConsumer", name), Path.Combine(consumer, name));
            LocalFeed.WriteNuGetConfig(consumer, feed, LocalFeed.MachineSources(temp));

            Dotnet.Start(consumer,
            [
                "build", "-c", "Release", "--disable-build-servers", "-nologo",
                $"-p:ZprotoPackageVersion={version}", $"-p:ZprotoModels={Repository.Models}",
                $"-p:RestorePackagesPath={Path.Combine(temp, "packages")}",
            ]).Succeed();
            var output = Dotnet.Start(consumer, [Path.Combine(consumer, "bin", "Release", "net10.0", "PackageConsumer.dll")]).Succeed();

            // write: 2 signature + 1 id + 4 length + 14 UTF-8 octets of chunk + 4 timeout = 25.
            Assert.Equal("write id=12 frames=1 octets=25 timeout=250 chunk=héllo, wörld equal=True", output.Trim());
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static void AssertGeneratorPackage(string path, string version)
    {
        using var package = ZipFile.OpenRead(path);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var dll in new[] { "Zproto.Generator.dll", "Zproto.Model.dll", "Zproto.CodeGen.dll", "Handlebars.dll", "YamlDotNet.dll" })
            Assert.Contains("analyzers/dotnet/cs/" + dll, entries);
        Assert.Contains("build/Zproto.Net.Generator.props", entries);
        // Nothing under lib/: the generator is not a compile reference of the consumer.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));

        using var nuspec = package.GetEntry("Zproto.Net.Generator.nuspec")!.Open();
        var ns = XNamespace.Get("http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd");
        var dependency = Assert.Single(XDocument.Load(nuspec).Descendants(ns + "dependency"));
        Assert.Equal("Zproto.Net.Wire", (string?)dependency.Attribute("id"));
        Assert.Equal(version, (string?)dependency.Attribute("version"));
    }
}
