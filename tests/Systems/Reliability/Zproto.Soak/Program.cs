using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Zproto.Runtime.Zmq;

namespace Zproto.Soak;

/// <summary>
/// <c>zproto-soak [ci|full] [zbroker|remctl]</c>: starts zbroker and remctl-zmqd as real processes on 127.0.0.1,
/// runs every attack of docs/reliability.md against them, prints one Markdown row per attack
/// (bound and measured result, RSS from /proc) and exits 0 only when every bound held and both
/// servers exited 0 on SIGTERM.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var scale = args is [] || args[0] == "ci" ? Scale.Ci : args[0] == "full" ? Scale.Full : null;
        var only = args.Length > 1 ? args[1] : null;
        if (scale is null || args.Length > 2 || only is not (null or "zbroker" or "remctl"))
        {
            Console.Error.WriteLine("usage: zproto-soak [ci|full] [zbroker|remctl]");
            return 2;
        }
        var results = new List<Result>();
        void Report(Result result)
        {
            results.Add(result);
            Console.WriteLine(result.ToMarkdownRow());
        }
        Console.WriteLine($"zproto-soak {scale.Name}: {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine("| System | Attack | Bound | Measured | Result |");
        Console.WriteLine("|---|---|---|---|---|");
        using var context = new ZmqContext { MaxSockets = 4096 };

        if (only is null or "zbroker")
            RunZbroker(context, scale, Report);
        if (only is null or "remctl")
            RunRemctl(context, scale, Report);
        var failed = results.FindAll(r => !r.Passed).Count;
        Console.WriteLine(failed == 0 ? $"all {results.Count} bounds held" : $"{failed} of {results.Count} bounds FAILED");
        return failed == 0 ? 0 : 1;
    }

    private static void RunZbroker(ZmqContext context, Scale scale, Action<Result> report)
    {
        using (var broker = ServerProcess.Zbroker("--timeout", "2000"))
        {
            Thread.Sleep(2000);
            new ZbrokerAttacks(broker, context, scale, report).RunAll();
            var exit = broker.Stop();
            report(new Result("zbroker", "SIGTERM after the attacks", "exit 0", $"exit {exit}", exit == 0));
        }
    }

    private static void RunRemctl(ZmqContext context, Scale scale, Action<Result> report)
    {
        var config = Path.Combine(Path.GetTempPath(), $"zproto-soak-{Environment.ProcessId}.json");
        File.WriteAllText(config, """
            { "commands": {
                "echo":  { "handler": "exec", "program": "/bin/echo" },
                "sleep": { "handler": "exec", "program": "/bin/sleep" } } }
            """);
        try
        {
            using var daemon = ServerProcess.RemctlDaemon("--config", config, "--max-handlers", scale.MaxHandlers.ToString());
            Thread.Sleep(2000);
            new RemctlAttacks(daemon, context, scale, report).RunAll();
            var exit = daemon.Stop();
            report(new Result("remctl-zmqd", "SIGTERM after the attacks", "exit 0", $"exit {exit}", exit == 0));
        }
        finally
        {
            File.Delete(config);
        }
    }
}
