using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace Remctl.Tests;

/// <summary>The two programs as real processes: <c>dotnet remctl-zmq.dll</c> and <c>dotnet remctl-zmqd.dll</c>,
/// copied next to the tests by their project references.</summary>
internal static class Programs
{
    public static string ClientDll => Locate("remctl-zmq.dll");

    public static string DaemonDll => Locate("remctl-zmqd.dll");

    /// <summary>Runs the client to completion (at most a minute) with binary-exact stdout and stderr.</summary>
    public static ProcessResult Client(params string[] args) => Run(ClientDll, args);

    /// <summary>Runs <c>dotnet DLL args</c> to completion.</summary>
    public static ProcessResult Run(string dll, IReadOnlyList<string> args, int timeoutMs = 60_000)
    {
        var start = StartInfo(dll, args);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = ReadAllAsync(process.StandardOutput.BaseStream);
        var stderr = ReadAllAsync(process.StandardError.BaseStream);
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not finish within {timeoutMs} ms");
        }
        Task.WaitAll(stdout, stderr);
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static ProcessStartInfo StartInfo(string dll, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return start;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static string Locate(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, fileName);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{fileName} is not next to the tests (project reference missing?)", path);
    }
}

/// <summary>A finished process: exit code and its exact output bytes.</summary>
internal sealed record ProcessResult(int ExitCode, byte[] StdoutBytes, byte[] StderrBytes)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public string Stderr => Encoding.UTF8.GetString(StderrBytes);

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
