using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Remctl.Benchmarks;

/// <summary>
/// <c>remctl-zmqd</c> started as a real process on <c>tcp://127.0.0.1:*</c> with a config that maps
/// <c>persistent</c> to <see cref="NoopHandler"/> and <c>exec</c> to <c>/bin/true</c>.
/// </summary>
internal sealed partial class DaemonUnderTest : IDisposable
{
    private readonly Process _process;
    private readonly string _config;

    public DaemonUnderTest()
    {
        var handler = typeof(NoopHandler).Assembly.Location;
        _config = Path.Combine(Path.GetTempPath(), $"remctl-bench-{Environment.ProcessId}.json");
        File.WriteAllText(_config, $$"""
            {
              "commands": {
                "persistent": { "handler": "assembly", "path": "{{handler}}", "type": "{{typeof(NoopHandler).FullName}}" },
                "exec": { "handler": "exec", "program": "/bin/true" }
              }
            }
            """);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(LocateDaemon());
        foreach (var arg in new[] { "--bind", "tcp://127.0.0.1:*", "--config", _config })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;

        var listening = Task.Run(() =>
        {
            string? line;
            while ((line = _process.StandardError.ReadLine()) is not null)
            {
                if (Listening().Match(line) is { Success: true } match)
                    return match.Groups[1].Value;
            }
            throw new InvalidOperationException("remctl-zmqd exited before listening");
        });
        if (!listening.Wait(TimeSpan.FromSeconds(60)))
            throw new TimeoutException("remctl-zmqd did not start within 60 s");
        Endpoint = listening.Result;
        // Keep draining the log so the daemon never blocks on a full stderr pipe.
        _ = Task.Run(() => _process.StandardError.ReadToEnd());
    }

    public string Endpoint { get; }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
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
