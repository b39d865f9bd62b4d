using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using Xunit;

namespace Zproto.Tests.Shared;

/// <summary>
/// A <c>dotnet</c> command run to completion, with its output kept for the failure message.
/// Shared as source by the tests that pack packages and build projects with them.
/// </summary>
internal sealed class Dotnet
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(4);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _command;

    private Dotnet(Process process, string command)
    {
        _process = process;
        _command = command;
    }

    /// <summary>Starts <c>dotnet arguments</c> in <paramref name="workingDirectory"/>, with <paramref name="environment"/> added.</summary>
    public static Dotnet Start(string workingDirectory, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
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
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;

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
        var exitCode = Wait();
        Assert.True(exitCode == 0, $"{_command} exited with {exitCode}:\n{Output()}");
        return Output();
    }

    /// <summary>Waits for the command, fails the test if it exits with 0, and returns its output.</summary>
    public string Fail()
    {
        var exitCode = Wait();
        Assert.True(exitCode != 0, $"{_command} succeeded, but was expected to fail:\n{Output()}");
        return Output();
    }

    private int Wait()
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
        return exitCode;
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

/// <summary>A folder of freshly packed Zproto.Net.* packages, and the nuget.config that restores from it.</summary>
/// <param name="Directory">The feed folder packs write to.</param>
/// <param name="Version">A version no NuGet cache has seen, so nothing stale is ever restored.</param>
/// <param name="PackArguments">What every <c>dotnet pack</c> into the feed adds to its command line.</param>
internal sealed record LocalFeed(string Directory, string Version, string[] PackArguments)
{
    /// <summary>A feed under <paramref name="temp"/>; its builds use their own artifacts folder there, away from the bin/obj folders other builds use.</summary>
    public static LocalFeed Under(string temp)
    {
        var version = "0.0.0-test" + DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var feed = Path.Combine(temp, "feed");
        return new LocalFeed(feed, version, ["-o", feed, $"-p:Version={version}", "--artifacts-path", Path.Combine(temp, "artifacts"), "--disable-build-servers", "-nologo"]);
    }

    /// <summary>The package sources this machine's NuGet configuration enables (what <c>dotnet nuget list source</c> shows).</summary>
    public static IReadOnlyList<string> MachineSources(string directory)
    {
        var listing = Dotnet.Start(directory, ["nuget", "list", "source", "--format", "short"]).Succeed();
        return [.. listing.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("E ", StringComparison.Ordinal)).Select(l => l[2..].Trim())];
    }

    /// <summary>Writes a nuget.config into <paramref name="directory"/>: <paramref name="feed"/> for Zproto.Net.* packages, the machine's sources for everything else.</summary>
    public static void WriteNuGetConfig(string directory, string feed, IReadOnlyList<string> machineSources)
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
}
