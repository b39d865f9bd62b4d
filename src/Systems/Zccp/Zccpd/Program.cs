using System;
using System.CommandLine;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zproto.Hosting;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zccpd;

/// <summary>
/// <c>zccpd [--bind ENDPOINT]... [--config FILE] [--timeout MS] [--heartbeat MS]
/// [--duplicate-deliveries] [--verbose] [--acl FILE]</c>: serves ZCCP (default <c>ipc://@/zccp</c>) until
/// SIGINT or SIGTERM, then exits 0.
/// </summary>
/// <remarks>
/// Exit codes: 0 stopped by a signal; 1 could not start (bad config file, endpoint in use);
/// 2 usage error. Once bound it prints <c>zccpd: serving ZCCP on ENDPOINT</c> on stdout per
/// endpoint, wildcard ports resolved, so scripts and tests can wait for it. Logs go to stderr.
/// </remarks>
public static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var bind = new Option<string[]>("--bind", "-b") { Description = $"Endpoint to bind (repeatable; port * picks a free one). Default {BrokerSettings.DefaultEndpoint}." };
        var config = new Option<string?>("--config", "-c") { Description = "ZPL config file: server/timeout, server/verbose, zccp_server/bind/endpoint, zccp_server/heartbeat." };
        var timeout = new Option<long?>("--timeout", "-t") { Description = "Expire clients silent this many ms (server/timeout; default 60000)." };
        var heartbeat = new Option<long?>("--heartbeat") { Description = "PING a client after this many ms with nothing sent to it; 0 turns PINGs off (default 1000)." };
        var duplicates = new Option<bool>("--duplicate-deliveries") { Description = "The 2014 behaviour: one DELIVER per matching pattern instead of one per client." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Trace every state-machine event and action on stderr." };
        var acl = new Option<string?>("--acl") { Description = "Access control list: 'key Z85-KEY ID[,ID...]' and 'SUBJECT publish|subscribe|direct PATTERN' lines (zccp_server/acl; docs/zccp.md); without one everything is allowed." };
        var root = new RootCommand("zccpd: the ZCCP broker (ZeroMQ Command & Control Protocol).") { bind, config, timeout, heartbeat, duplicates, verbose, acl };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"zccpd: {error.Message}");
            Console.Error.WriteLine("zccpd: see 'zccpd --help'");
            return 2;
        }
        if (Array.Exists(args, a => a is "--help" or "-h" or "-?" or "--version"))
            return parse.Invoke();
        var settings = new BrokerSettings
        {
            Binds = parse.GetValue(bind) ?? Array.Empty<string>(),
            ConfigFile = parse.GetValue(config),
            TimeoutMilliseconds = parse.GetValue(timeout),
            HeartbeatMilliseconds = parse.GetValue(heartbeat),
            DuplicateDeliveries = parse.GetValue(duplicates),
            Verbose = parse.GetValue(verbose),
            AclFile = parse.GetValue(acl),
        };
        return await RunAsync(settings).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(BrokerSettings settings)
    {
        IHost host;
        try
        {
            var options = settings.ToServerOptions();
            var policy = settings.ToPolicy();
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            builder.Services.AddSingleton(policy);
            builder.Services.AddZprotoServer<ZccpServer>(configure: o => CopyTo(options, o));
            host = builder.Build();
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or ZmqException or PlatformNotSupportedException or ZmqNotFoundException)
        {
            Console.Error.WriteLine($"zccpd: {e.Message}");
            return 1;
        }
        var server = host.Services.GetRequiredService<ZccpServer>();
        foreach (var endpoint in server.Endpoints)
            Console.Out.WriteLine($"zccpd: serving ZCCP on {endpoint}");
        Console.Out.Flush();
        // The host's console lifetime turns SIGINT and SIGTERM into a graceful stop.
        await host.WaitForShutdownAsync().ConfigureAwait(false);
        host.Dispose();
        Console.Error.WriteLine("zccpd: stopped");
        return 0;
    }

    private static void CopyTo(ServerOptions from, ServerOptions to)
    {
        foreach (var endpoint in from.Endpoints)
            to.Endpoints.Add(endpoint);
        to.ClientTimeout = from.ClientTimeout;
        to.Verbose = from.Verbose;
        to.MailboxLimit = from.MailboxLimit;
        to.SendHighWatermark = from.SendHighWatermark;
        to.Curve = from.Curve;
    }
}
