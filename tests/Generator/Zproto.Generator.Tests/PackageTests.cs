using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using Zproto.Generator.Tests.Infrastructure;
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
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void Packed_generator_builds_and_runs_a_zpipes_consumer()
    {
        var temp = Directory.CreateTempSubdirectory("zproto-package-").FullName;
        try
        {
            // A version no NuGet cache has seen, so nothing stale is ever restored.
            var version = "0.0.0-test" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
            var feed = Path.Combine(temp, "feed");
            // Separate artifacts keep these builds out of the bin/obj folders other builds use.
            var artifacts = Path.Combine(temp, "artifacts");
            string[] common = ["-o", feed, $"-p:Version={version}", "--artifacts-path", artifacts, "--disable-build-servers", "-nologo"];

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
            WriteNuGetConfig(consumer, feed, MachineSources(temp));

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

    /// <summary>The package sources this machine's NuGet configuration enables (what <c>dotnet nuget list source</c> shows).</summary>
    private static IReadOnlyList<string> MachineSources(string directory)
    {
        var listing = Dotnet.Start(directory, ["nuget", "list", "source", "--format", "short"]).Succeed();
        return [.. listing.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("E ", StringComparison.Ordinal)).Select(l => l[2..].Trim())];
    }

    /// <summary>The fresh feed for Zproto.Net.* packages, the machine's sources for everything else.</summary>
    private static void WriteNuGetConfig(string directory, string feed, IReadOnlyList<string> machineSources)
    {
        var sources = new XElement("packageSources", new XElement("clear"), new XElement("add", new XAttribute("key", "zproto-test"), new XAttribute("value", feed)));
        var mapping = new XElement("packageSourceMapping",
            new XElement("packageSource", new XAttribute("key", "zproto-test"), new XElement("package", new XAttribute("pattern", "Zproto.Net.*"))));
        for (var i = 0; i < machineSources.Count; i++)
        {
            var key = $"machine{i}";
            sources.Add(new XElement("add", new XAttribute("key", key), new XAttribute("value", machineSources[i])));
            mapping.Add(new XElement("packageSource", new XAttribute("key", key), new XElement("package", new XAttribute("pattern", "*"))));
        }
        new XDocument(new XElement("configuration", sources, mapping)).Save(Path.Combine(directory, "nuget.config"));
    }

    /// <summary>A <c>dotnet</c> command run to completion, with its output kept for the failure message.</summary>
    private sealed class Dotnet
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly string _command;

        private Dotnet(Process process, string command)
        {
            _process = process;
            _command = command;
        }

        public static Dotnet Start(string workingDirectory, string[] arguments)
        {
            var info = new ProcessStartInfo(DotnetPath())
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
                UseShellExecute = false,
            };
            foreach (var a in arguments)
                info.ArgumentList.Add(a);
            // The test host runs under `dotnet test`, whose MSBuild settings must not leak into these builds.
            foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
                info.Environment.Remove(key);
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

            var process = new Process { StartInfo = info };
            var run = new Dotnet(process, "dotnet " + string.Join(' ', arguments));
            process.OutputDataReceived += (_, e) => run.Append(e.Data);
            process.ErrorDataReceived += (_, e) => run.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return run;
        }

        /// <summary>Waits for the command, fails the test unless it exits with 0, and returns its output.</summary>
        public string Succeed()
        {
            if (!_process.WaitForExit(s_commandTimeout))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
                Assert.Fail($"{_command} did not finish in {s_commandTimeout}:\n{Output()}");
            }
            _process.WaitForExit(); // flushes the redirected output
            var exitCode = _process.ExitCode;
            _process.Dispose();
            Assert.True(exitCode == 0, $"{_command} exited with {exitCode}:\n{Output()}");
            return Output();
        }

        private void Append(string? line)
        {
            if (line is null)
                return;
            lock (_output)
                _output.Append(line).Append('\n');
        }

        private string Output()
        {
            lock (_output)
                return _output.ToString();
        }

        private static string DotnetPath()
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
                return host;
            var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(dir, name);
                if (dir.Length > 0 && File.Exists(candidate))
                    return candidate;
            }
            return name;
        }
    }
}
