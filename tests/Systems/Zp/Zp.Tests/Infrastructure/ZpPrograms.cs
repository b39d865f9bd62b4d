using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Zp.Client;
using Zproto.Tests.Shared;

namespace Zp.Tests.Infrastructure;

/// <summary>Runs the real zpd, zp and zpc programs (their dlls sit next to the tests) as child processes.</summary>
internal static class ZpPrograms
{
    public const int SIGTERM = ChildProcesses.SIGTERM;

    public static string ZpdDll => Path.Combine(AppContext.BaseDirectory, "zpd.dll");

    public static string ZpDll => Path.Combine(AppContext.BaseDirectory, "zp.dll");

    public static string ZpcDll => Path.Combine(AppContext.BaseDirectory, "zpc.dll");

    public static Process Start(string dll, IEnumerable<string> args, bool redirectInput = false) => ChildProcesses.Start(dll, args, redirectInput);

    public static void Signal(Process process, int signal) => ChildProcesses.Signal(process, signal);

    /// <summary>Runs zp to completion with optional stdin bytes; returns exit code, stdout bytes and stderr text.</summary>
    public static Task<ZpRun> RunZpAsync(IEnumerable<string> args, byte[]? stdin = null, TimeSpan? limit = null) =>
        RunAsync(ZpDll, args, stdin, limit);

    /// <summary>Runs zpc to completion.</summary>
    public static Task<ZpRun> RunZpcAsync(IEnumerable<string> args, TimeSpan? limit = null) => RunAsync(ZpcDll, args, null, limit);

    private static async Task<ZpRun> RunAsync(string dll, IEnumerable<string> args, byte[]? stdin, TimeSpan? limit)
    {
        var (exitCode, stdout, stderr) = await ChildProcesses.RunAsync(dll, args, stdin, limit ?? TimeSpan.FromSeconds(60));
        return new ZpRun(exitCode, stdout, stderr);
    }
}

/// <summary>A finished zp run.</summary>
internal sealed record ZpRun(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);
}

/// <summary>
/// A zpd process on 127.0.0.1 with a fresh host key, and one client identity authorized for the
/// current user; <see cref="ZpArgs"/> builds zp command lines that trust it.
/// </summary>
internal sealed class ZpdProcess : IAsyncDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    private ZpdProcess(Process process, string directory, int port, int? keyPort, string serverKey)
    {
        Process = process;
        Directory = directory;
        Port = port;
        KeyPort = keyPort;
        ServerKey = serverKey;
        _stderrPump = Task.Run(async () =>
        {
            string? line;
            while ((line = await process.StandardError.ReadLineAsync()) is not null)
            {
                lock (_stderr)
                    _stderr.AppendLine(line);
            }
        });
    }

    public Process Process { get; }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The port zpd serves its public key on (first-contact trust), when it does.</summary>
    public int? KeyPort { get; }

    public string ServerKey { get; }

    public string Endpoint => $"tcp://127.0.0.1:{Port}";

    public string IdentityDirectory => Path.Combine(Directory, "id");

    public string KnownHostsFile => Path.Combine(Directory, "known_hosts");

    public static string User => Environment.UserName;

    public string Target => $"{User}@127.0.0.1:{Port}";

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Starts zpd with extra arguments; returns once it printed its endpoint.</summary>
    public static Task<ZpdProcess> StartAsync(params string[] extra) => StartAuthorizingAsync(Array.Empty<string>(), extra);

    /// <summary>Starts zpd with more authorized_keys lines after the test client's, and extra arguments.</summary>
    public static async Task<ZpdProcess> StartAuthorizingAsync(IEnumerable<string> authorizedLines, params string[] extra)
    {
        var directory = Path.Combine(Path.GetTempPath(), "zp-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var client = KeyFiles.Generate(Path.Combine(directory, "id"));
        File.WriteAllLines(Path.Combine(directory, "authorized_keys"), new[] { "# test client", $"{client.PublicKey} {User}" }.Concat(authorizedLines));
        var args = new List<string> { "--bind", "tcp://127.0.0.1:*", "--key-dir", Path.Combine(directory, "host"), "--authorized-keys", Path.Combine(directory, "authorized_keys") };
        args.AddRange(extra);
        var process = ZpPrograms.Start(ZpPrograms.ZpdDll, args);
        string? serverKey = null;
        int? port = null;
        int? keyPort = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (port is null)
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null)
                throw new InvalidOperationException($"zpd exited {(process.WaitForExit(5000) ? process.ExitCode : -1)}: {await process.StandardError.ReadToEndAsync()}");
            if (line.StartsWith("zpd: public key ", StringComparison.Ordinal))
                serverKey = line["zpd: public key ".Length..];
            else if (line.StartsWith("zpd: key served on tcp://127.0.0.1:", StringComparison.Ordinal))
                keyPort = int.Parse(line[(line.LastIndexOf(':') + 1)..]);
            else if (line.StartsWith("zpd: listening on tcp://127.0.0.1:", StringComparison.Ordinal))
                port = int.Parse(line[(line.LastIndexOf(':') + 1)..]);
        }
        File.WriteAllText(Path.Combine(directory, "known_hosts"), $"127.0.0.1:{port} {serverKey}\n");
        return new ZpdProcess(process, directory, port.Value, keyPort, serverKey!);
    }

    /// <summary>zpc's options for this zpd (identity, known hosts, -p), then <paramref name="rest"/>.</summary>
    public string[] ZpcArgs(params string[] rest) =>
        new[] { "--identity", IdentityDirectory, "--known-hosts", KnownHostsFile, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(rest).ToArray();

    /// <summary>zp's identity options, then <paramref name="rest"/>.</summary>
    public string[] ZpArgs(params string[] rest) =>
        new[] { "--identity", IdentityDirectory, "--known-hosts", KnownHostsFile }.Concat(rest).ToArray();

    /// <summary>Options for an in-process <see cref="ZpConnection"/> with the authorized identity.</summary>
    public ZpConnectOptions ConnectOptions(string clientId) => new()
    {
        Endpoint = Endpoint,
        User = User,
        ClientId = clientId,
        ServerKey = ServerKey,
        ClientKeys = KeyFiles.Load(IdentityDirectory),
    };

    /// <summary>zpd's resident memory (VmRSS) in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        throw new InvalidOperationException("no VmRSS");
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            ZpPrograms.Signal(Process, ZpPrograms.SIGTERM);
            if (!Process.WaitForExit(20_000))
                Process.Kill(entireProcessTree: true);
        }
        await _stderrPump.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        Process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A job's cwd or a lingering file; the temp directory is cleaned eventually.
        }
    }
}
