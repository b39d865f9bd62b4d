using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Zpipes.Tests.Infrastructure;

/// <summary>Runs the real zbroker and zpipes programs (their dlls sit next to the tests) as child processes.</summary>
internal static partial class Programs
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    public static string ZbrokerDll => Path.Combine(AppContext.BaseDirectory, "zbroker.dll");

    public static string ZpipesDll => Path.Combine(AppContext.BaseDirectory, "zpipes.dll");

    public static Process Start(string dll, IEnumerable<string> args, bool redirectInput = false)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
    }

    public static void Signal(Process process, int signal)
    {
        if (Kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Runs zpipes to completion with optional stdin bytes; returns exit code, stdout bytes and stderr text.</summary>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunZpipesAsync(IEnumerable<string> args, byte[]? stdin = null, TimeSpan? limit = null)
    {
        using var process = Start(ZpipesDll, args, redirectInput: true);
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"zpipes {string.Join(' ', args)} did not finish; stderr: {await stderr}");
        }
        await copyOut;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}

/// <summary>A zbroker process; it is ready once it printed its endpoints.</summary>
internal sealed class BrokerProcess : IAsyncDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    private BrokerProcess(Process process, List<string> endpoints, string? clusterEndpoint)
    {
        Process = process;
        Endpoints = endpoints;
        ClusterEndpoint = clusterEndpoint;
        _stderrPump = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
                lock (_stderr) _stderr.AppendLine(line);
        });
    }

    public Process Process { get; }

    public List<string> Endpoints { get; }

    public string Endpoint => Endpoints[0];

    /// <summary>The cluster endpoint it printed, when started with --cluster-bind.</summary>
    public string? ClusterEndpoint { get; }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Starts zbroker with <paramref name="args"/> and waits for its <paramref name="endpoints"/> "serving" lines (and the cluster line with --cluster-bind).</summary>
    public static async Task<BrokerProcess> StartAsync(int endpoints, params string[] args)
    {
        var process = Programs.Start(Programs.ZbrokerDll, args);
        var bound = new List<string>();
        string? cluster = null;
        var clustered = Array.IndexOf(args, "--cluster-bind") >= 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (bound.Count < endpoints || (clustered && cluster is null))
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null)
            {
                var error = await process.StandardError.ReadToEndAsync();
                throw new InvalidOperationException($"zbroker exited before it was ready: {error}");
            }
            const string prefix = "zbroker: serving ZPIPES on ";
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                bound.Add(line[prefix.Length..]);
            else if (line.StartsWith("zbroker: cluster node ", StringComparison.Ordinal))
                cluster = line[(line.LastIndexOf(" on ", StringComparison.Ordinal) + 4)..];
        }
        return new BrokerProcess(process, bound, cluster);
    }

    /// <summary>Sends <paramref name="signal"/> and waits for the exit; returns the exit code and how long it took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync(int signal = Programs.SIGTERM)
    {
        var watch = Stopwatch.StartNew();
        Programs.Signal(Process, signal);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Process.WaitForExitAsync(cts.Token);
        await _stderrPump;
        return (Process.ExitCode, watch.Elapsed);
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
