using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Zproto.Cli.Tests;

/// <summary>What one run of zproto printed and returned.</summary>
internal sealed record RunResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout split into lines, without the final empty one.</summary>
    public string[] StdoutLines => Lines(Stdout);

    /// <summary>stderr split into lines, without the final empty one.</summary>
    public string[] StderrLines => Lines(Stderr);

    private static string[] Lines(string text)
    {
        var normalized = text.Replace("\r\n", "\n");
        if (normalized.EndsWith('\n'))
            normalized = normalized[..^1];
        return normalized.Length == 0 ? [] : normalized.Split('\n');
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs zproto in-process (fast: the compiled codecs stay loaded) or as a real process.</summary>
internal static class Zproto
{
    public static RunResult Run(params string[] args) => RunWithInput(null, args);

    public static RunResult RunWithInput(string? stdin, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = Cli.Run(args, stdout, stderr, stdin is null ? null : new StringReader(stdin));
        return new RunResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <c>dotnet zproto.dll args</c> and waits for it (at most a minute).</summary>
    public static RunResult ProcessWith(IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        start.ArgumentList.Add(Repository.ZprotoDll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
                start.Environment[key] = value;
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("zproto " + string.Join(' ', args) + " did not finish within a minute");
        }
        Task.WaitAll(stdout, stderr);
        return new RunResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static RunResult Process(params string[] args) => ProcessWith(null, null, args);
}
