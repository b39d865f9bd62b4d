using System;
using System.CommandLine;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;

namespace Zbroker;

/// <summary>
/// <c>zbroker [broker-name] [--bind E]... [--config FILE] [--timeout MS] [--pipe-limit BYTES] [--verbose]
/// [--cluster-bind E [--peer E]... [--node ID]]</c>: serves
/// ZPIPES until SIGINT or SIGTERM, then closes its sockets and exits 0.
/// </summary>
/// <remarks>
/// Exit codes: 0 stopped by a signal; 1 could not start (bad config file, endpoint in use);
/// 2 usage error. Once bound it prints one line per endpoint on stdout,
/// <c>zbroker: serving ZPIPES on ENDPOINT</c>, with wildcard ports resolved, so scripts and tests
/// can wait for it. Logs go to stderr.
/// </remarks>
public static class Program
{
    private static int Main(string[] args)
    {
        var name = new Argument<string?>("broker-name")
        {
            Description = $"Broker name: binds ipc://@/zpipes/NAME (abstract IPC, Linux). Default '{BrokerSettings.DefaultBrokerName}' when nothing else is bound.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var bind = new Option<string[]>("--bind", "-b") { Description = "Endpoint to bind, e.g. tcp://127.0.0.1:5560 (repeatable; port * picks a free one)." };
        var config = new Option<string?>("--config", "-c") { Description = "ZPL config file: server/timeout, server/verbose, zpipes_server/bind/endpoint." };
        var timeout = new Option<long?>("--timeout", "-t") { Description = "Expire clients silent this many ms (server/timeout; default 60000)." };
        var pipeLimit = new Option<long?>("--pipe-limit") { Description = "Bytes a pipe holds for its reader; a WRITE is acknowledged once its chunk fits (zpipes_server/pipe/limit; default 8388608)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Trace every state-machine event and action on stderr." };
        var clusterBind = new Option<string?>("--cluster-bind") { Description = "Join a cluster: the endpoint other brokers reach this one on, e.g. tcp://127.0.0.1:5561 (zpipes_server/cluster/bind)." };
        var peer = new Option<string[]>("--peer") { Description = "Cluster endpoint of another broker (repeatable; zpipes_server/cluster/peer)." };
        var node = new Option<string?>("--node") { Description = "This broker's node id in the cluster (default: the broker name, else random)." };
        var root = new RootCommand("zbroker: the ZPIPES broker (reliable named pipes over ZeroMQ).") { name, bind, config, timeout, pipeLimit, verbose, clusterBind, peer, node };
        name.Validators.Add(result =>
        {
            // System.CommandLine takes an unknown '--option' as the optional argument; refuse that.
            if (result.Tokens.Count > 0 && result.Tokens[0].Value.StartsWith('-'))
                result.AddError($"unknown option '{result.Tokens[0].Value}'");
        });
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"zbroker: {error.Message}");
            Console.Error.WriteLine("zbroker: see 'zbroker --help'");
            return 2;
        }
        if (parse.Action is not null && parse.CommandResult.Command == root && args.Length > 0 && IsHelpOrVersion(args))
            return parse.Invoke();
        var settings = new BrokerSettings
        {
            BrokerName = parse.GetValue(name),
            Binds = parse.GetValue(bind) ?? Array.Empty<string>(),
            ConfigFile = parse.GetValue(config),
            TimeoutMilliseconds = parse.GetValue(timeout),
            PipeLimitBytes = parse.GetValue(pipeLimit),
            Verbose = parse.GetValue(verbose),
            ClusterBind = parse.GetValue(clusterBind),
            Peers = parse.GetValue(peer) ?? Array.Empty<string>(),
            NodeId = parse.GetValue(node),
        };
        return Run(settings);
    }

    private static bool IsHelpOrVersion(string[] args) =>
        Array.Exists(args, a => a is "--help" or "-h" or "-?" or "--version");

    private static int Run(BrokerSettings settings)
    {
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information));
        ZpipesServer server;
        try
        {
            server = new ZpipesServer(settings.ToServerOptions(), loggerFactory.CreateLogger<ZpipesServer>())
            {
                Cluster = settings.ToClusterSettings(),
                PipeLimit = settings.ToPipeLimit(),
            };
            server.Start();
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or ZmqException or PlatformNotSupportedException or ZmqNotFoundException)
        {
            Console.Error.WriteLine($"zbroker: {e.Message}");
            return 1;
        }
        using var stop = new ManualResetEventSlim();
        // After a burst through the pipes, RSS returns near idle once the broker goes quiet.
        using var trimmer = new IdleMemoryTrimmer(TimeSpan.FromSeconds(5));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        foreach (var endpoint in server.Endpoints)
            Console.Out.WriteLine($"zbroker: serving ZPIPES on {endpoint}");
        if (server.Cluster is { } cluster)
            Console.Out.WriteLine($"zbroker: cluster node {cluster.NodeId} on {server.ClusterEndpoint}");
        Console.Out.Flush();
        stop.Wait();
        server.Dispose();
        Console.Error.WriteLine("zbroker: stopped");
        return 0;

        void Stop(PosixSignalContext context)
        {
            // Ours to handle: stop the loop and return 0 instead of the runtime's default exit.
            context.Cancel = true;
            stop.Set();
        }
    }
}
