using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Zccp.Tests.Infrastructure;

/// <summary>The real zccpd and zccp-sh programs (their dlls sit next to the tests), run as child processes.</summary>
internal sealed class ProgramProcess : IAsyncDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    private ProgramProcess(Process process)
    {
        Process = process;
        _stderrPump = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
                lock (_stderr) _stderr.AppendLine(line);
        });
    }

    public static string ZccpdDll => Path.Combine(AppContext.BaseDirectory, "zccpd.dll");

    public static string ShellDll => Path.Combine(AppContext.BaseDirectory, "zccp-sh.dll");

    public Process Process { get; }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static ProgramProcess Start(string dll, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        return new ProgramProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}"));
    }

    /// <summary>The next stdout line, or an exception with stderr when the program ends first or is too slow.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? limit = null)
    {
        using var cts = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(20));
        var line = await Process.StandardOutput.ReadLineAsync(cts.Token);
        if (line is null)
        {
            await _stderrPump;
            throw new InvalidOperationException($"{Process.StartInfo.ArgumentList[0]} ended its output early; stderr: {Stderr}");
        }
        return line;
    }

    /// <summary>Starts zccpd with <paramref name="args"/> and returns it with the endpoint it printed first.</summary>
    public static async Task<(ProgramProcess Broker, string Endpoint)> StartBrokerAsync(params string[] args)
    {
        var broker = Start(ZccpdDll, args);
        const string prefix = "zccpd: serving ZCCP on ";
        var line = await broker.ReadLineAsync();
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"unexpected first line from zccpd: {line}");
        return (broker, line[prefix.Length..]);
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. TERM, INT) with kill(1) and returns the exit code.</summary>
    public async Task<int> StopAsync(string signal = "TERM")
    {
        using (var kill = Process.Start("kill", new[] { $"-{signal}", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            await kill!.WaitForExitAsync();
        return await WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan? limit = null)
    {
        using var cts = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(20));
        await Process.WaitForExitAsync(cts.Token);
        await _stderrPump;
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
    }
}
