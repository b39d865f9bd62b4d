using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Remctl.Benchmarks;

/// <summary>
/// A server the benchmarks talk to as a real process on <c>tcp://127.0.0.1:*</c>, ready once it logs
/// <c>listening on tcp://...</c> on stderr: <c>remctl-zmqd</c> (<see cref="StartDaemon"/>), or this
/// program's own plain REP loop (<see cref="StartRawRep"/>), libzmq's round trip between two processes.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string? _config;

    private ServerProcess(string dll, IEnumerable<string> arguments, string? config)
    {
        _config = config;
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;

        var listening = Task.Run(() =>
        {
            string? line;
            while ((line = _process.StandardError.ReadLine()) is not null)
            {
                if (Listening().Match(line) is { Success: true } match)
                    return match.Groups[1].Value;
            }
            throw new InvalidOperationException($"{Path.GetFileName(dll)} exited before listening");
        });
        if (!listening.Wait(TimeSpan.FromSeconds(60)))
            throw new TimeoutException($"{Path.GetFileName(dll)} did not start within 60 s");
        Endpoint = listening.Result;
        // Keep draining the log so the server never blocks on a full stderr pipe.
        _ = Task.Run(() => _process.StandardError.ReadToEnd());
    }

    /// <summary>Starts <c>remctl-zmqd</c> with a config that maps <c>persistent</c> to <see cref="NoopHandler"/>
    /// on the thread pool (the default), <c>inline</c> to the same handler run on the server's thread
    /// (<c>"inline": true</c>), and <c>exec</c> to <c>/bin/true</c>.</summary>
    public static ServerProcess StartDaemon()
    {
        var handler = typeof(NoopHandler).Assembly.Location;
        var config = Path.Combine(Path.GetTempPath(), $"remctl-bench-{Environment.ProcessId}.json");
        File.WriteAllText(config, $$"""
            {
              "commands": {
                "persistent": { "handler": "assembly", "path": "{{handler}}", "type": "{{typeof(NoopHandler).FullName}}" },
                "inline": { "handler": "assembly", "path": "{{handler}}", "type": "{{typeof(NoopHandler).FullName}}", "inline": true },
                "exec": { "handler": "exec", "program": "/bin/true" }
              }
            }
            """);
        return new ServerProcess(LocateDaemon(), ["--bind", "tcp://127.0.0.1:*", "--config", config], config);
    }

    /// <summary>Starts this program as a plain REP server in a process of its own (<see cref="RawReqRep.ServeForever"/>).</summary>
    public static ServerProcess StartRawRep() =>
        new(typeof(ServerProcess).Assembly.Location, [Program.RawRepCommand], config: null);

    public string Endpoint { get; }

    /// <summary>The process id (the wake-up profile reads its threads' counters).</summary>
    public int ProcessId => _process.Id;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        if (_config is not null)
            File.Delete(_config);
    }

    /// <summary>Next to the benchmarks (copied by the project reference), else in the daemon's own bin folder.</summary>
    private static string LocateDaemon()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "remctl-zmqd.dll");
        if (File.Exists(local))
            return local;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(dir.FullName, "src", "Systems", "Remctl", "Remctl.Daemon", "bin", configuration, "net10.0", "remctl-zmqd.dll");
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        throw new FileNotFoundException("remctl-zmqd.dll not found; build src/Systems/Remctl/Remctl.Daemon first");
    }

    [GeneratedRegex(@"listening on (tcp://\S+)")]
    private static partial Regex Listening();
}
