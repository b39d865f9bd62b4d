using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Zproto.Soak;

/// <summary>
/// A server program under test (zbroker or remctl-zmqd from the dlls next to this tool), with its
/// endpoint read from its output, its RSS and child processes read from /proc, and its log volume.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private const int SIGTERM = 15;
    private readonly Process _process;
    private readonly ManualResetEventSlim _ready = new();
    private long _logBytes;

    private ServerProcess(string dll, IEnumerable<string> args, Func<string, string?> endpointOf)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        void OnLine(string? line)
        {
            if (line is null)
                return;
            Interlocked.Add(ref _logBytes, Encoding.UTF8.GetByteCount(line) + 1);
            if (Endpoint is null && endpointOf(line) is { } endpoint)
            {
                Endpoint = endpoint;
                _ready.Set();
            }
        }
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!_ready.Wait(TimeSpan.FromSeconds(30)))
            throw new InvalidOperationException($"{dll} did not report its endpoint within 30 s");
    }

    public string? Endpoint { get; private set; }

    public int Pid => _process.Id;

    /// <summary>Bytes the server has logged on stdout and stderr so far.</summary>
    public long LogBytes => Interlocked.Read(ref _logBytes);

    public bool HasExited => _process.HasExited;

    public static ServerProcess Zbroker(params string[] args)
    {
        var all = new List<string> { "--bind", "tcp://127.0.0.1:*" };
        all.AddRange(args);
        return new ServerProcess("zbroker.dll", all, line =>
            line.StartsWith("zbroker: serving ZPIPES on tcp://", StringComparison.Ordinal) ? line["zbroker: serving ZPIPES on ".Length..].Trim() : null);
    }

    public static ServerProcess RemctlDaemon(params string[] args)
    {
        var all = new List<string> { "--bind", "tcp://127.0.0.1:*" };
        all.AddRange(args);
        // "remctl backend listening on tcp://127.0.0.1:PORT with N route(s)"
        return new ServerProcess("remctl-zmqd.dll", all, line =>
        {
            var at = line.IndexOf("listening on tcp://", StringComparison.Ordinal);
            return at < 0 ? null : line[(at + "listening on ".Length)..].Split(' ')[0];
        });
    }

    /// <summary>Resident set size in bytes (VmRSS in /proc/PID/status).</summary>
    public long Rss()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        }
        throw new InvalidOperationException($"no VmRSS for {Pid}");
    }

    /// <summary>Child processes alive now (their parent pid, field 4 of /proc/PID/stat, is this server).</summary>
    public int CountChildren()
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ppid ...: comm may hold spaces, so parse after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == Pid)
                    count++;
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return count;
    }

    /// <summary>SIGTERM, then waits for the exit code.</summary>
    public int Stop()
    {
        if (!_process.HasExited)
        {
            _ = Kill(Pid, SIGTERM);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill(entireProcessTree: true);
                return -1;
            }
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
        _ready.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
