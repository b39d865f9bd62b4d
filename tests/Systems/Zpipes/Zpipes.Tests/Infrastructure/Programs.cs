using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

using Zproto.Tests.Shared;

namespace Zpipes.Tests.Infrastructure;

/// <summary>Runs the real zbroker and zpipes programs (their dlls sit next to the tests) as child processes.</summary>
internal static class Programs
{
    public const int SIGINT = ChildProcesses.SIGINT;
    public const int SIGTERM = ChildProcesses.SIGTERM;

    public static string ZbrokerDll => Path.Combine(AppContext.BaseDirectory, "zbroker.dll");

    public static string ZpipesDll => Path.Combine(AppContext.BaseDirectory, "zpipes.dll");

    public static Process Start(string dll, IEnumerable<string> args, bool redirectInput = false) => ChildProcesses.Start(dll, args, redirectInput);

    public static void Signal(Process process, int signal) => ChildProcesses.Signal(process, signal);

    /// <summary>Runs zpipes to completion with optional stdin bytes; returns exit code, stdout bytes and stderr text.</summary>
    public static Task<(int ExitCode, byte[] Stdout, string Stderr)> RunZpipesAsync(IEnumerable<string> args, byte[]? stdin = null, TimeSpan? limit = null) =>
        ChildProcesses.RunAsync(ZpipesDll, args, stdin, limit ?? TimeSpan.FromSeconds(30));
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
        // A process start on a loaded machine can take many seconds.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
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
