using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zp.Client;
using Zproto.Hosting;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zpd;

/// <summary>
/// <c>zpd [--bind ENDPOINT]... [--config FILE] [--timeout MS] [--verbose] [--key-dir DIR]
/// [--authorized-keys FILE] [--key-endpoint ENDPOINT|none] [--fsync]</c>: the zp daemon. Runs until SIGINT/SIGTERM, then stops taking
/// jobs, terminates the running ones (SIGTERM, SIGKILL after the grace period) and exits 0.
/// </summary>
/// <remarks>
/// Once bound it prints <c>zpd: public key KEY</c>, <c>zpd: key served on ENDPOINT</c> (the
/// unauthenticated key endpoint first-contact clients fetch the key from) and one <c>zpd: listening on ENDPOINT</c> line
/// per endpoint on stdout (wildcard ports resolved), so scripts and tests can wait for it and read
/// the port. Exit codes: 0 stopped by a signal, 1 could not start, 2 usage error.
/// </remarks>
public static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var bind = new Option<string[]>("--bind", "-b") { Description = $"Endpoint to bind (repeatable; port * picks a free one). Default {ZpdDefaults.Endpoint}." };
        var config = new Option<string?>("--config", "-c") { Description = "ZPL config file: server/timeout, server/verbose, zp_server/bind/endpoint." };
        var timeout = new Option<long?>("--timeout", "-t") { Description = $"Expire sessions silent this many ms (default {ZpdDefaults.TimeoutMilliseconds}). Jobs keep running." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Trace every state-machine event and action on stderr." };
        var keyDir = new Option<string?>("--key-dir") { Description = "Directory of the server's CURVE key pair (key, key.pub); created on first start. Default ~/.config/zpd." };
        var authorized = new Option<string?>("--authorized-keys") { Description = "Client keys allowed in, one 'Z85-PUBLIC-KEY user[,user...]' per line. Default KEY-DIR/authorized_keys." };
        var keyEndpoint = new Option<string?>("--key-endpoint") { Description = "Plain TCP endpoint serving the public key to first-contact clients (zp --accept-new). Default: the first tcp bind's port + 1; 'none' disables." };
        var fsync = new Option<bool>("--fsync") { Description = "fsync each copied file before renaming it into place (slower; survives a crash of the host). Default off, as rsync." };
        var root = new RootCommand("zpd: the zp daemon (remote exec and jobs over ZeroMQ with CURVE).") { bind, config, timeout, verbose, keyDir, authorized, keyEndpoint, fsync };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"zpd: {error.Message}");
            return 2;
        }
        if (Array.Exists(args, a => a is "--help" or "-h" or "-?" or "--version"))
            return parse.Invoke();
        var keys = parse.GetValue(keyDir) ?? ZpdDefaults.ConfigDirectory;
        var binds = parse.GetValue(bind) is { Length: > 0 } b ? b : new[] { ZpdDefaults.Endpoint };
        var served = parse.GetValue(keyEndpoint) switch
        {
            "none" => null,
            null => Array.ConvertAll(binds, HostKeyEndpoint.DefaultFor) is var defaults && Array.Find(defaults, e => e is not null) is { } first ? first : null,
            var explicitEndpoint => explicitEndpoint,
        };
        return await RunAsync(new ZpdSettings
        {
            Binds = binds,
            KeyEndpoint = served,
            ConfigFile = parse.GetValue(config),
            TimeoutMilliseconds = parse.GetValue(timeout) ?? ZpdDefaults.TimeoutMilliseconds,
            Verbose = parse.GetValue(verbose),
            FlushToDisk = parse.GetValue(fsync),
            KeyDirectory = keys,
            AuthorizedKeysFile = parse.GetValue(authorized) ?? Path.Combine(keys, "authorized_keys"),
        }).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(ZpdSettings settings)
    {
        SessionPolicy policy;
        ZmqCurveKeyPair hostKeys;
        AuthorizedKeys authorized;
        try
        {
            hostKeys = KeyFiles.LoadOrGenerate(settings.KeyDirectory);
            authorized = AuthorizedKeys.Load(settings.AuthorizedKeysFile);
            if (authorized.Keys.Count == 0)
                throw new FormatException($"{settings.AuthorizedKeysFile} lists no keys; add a line 'Z85-PUBLIC-KEY {Environment.UserName}' (see 'zp keygen')");
            policy = new SessionPolicy(authorized, Environment.UserName, Environment.IsPrivilegedProcess);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException or InvalidDataException or ZmqException or ZmqNotFoundException)
        {
            Console.Error.WriteLine($"zpd: {e.Message}");
            return 1;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(settings.Verbose ? LogLevel.Debug : LogLevel.Information);
        builder.Services.AddSingleton(policy);
        builder.Services.AddSingleton(new ZpdLimits { FlushToDisk = settings.FlushToDisk });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new[]
        {
            new System.Collections.Generic.KeyValuePair<string, string?>("ConfigFile", settings.ConfigFile),
        }).Build();
        builder.Services.AddZprotoServer<ZpServer>(configuration, options =>
        {
            options.ApplyCommandLine(settings.Binds, settings.TimeoutMilliseconds, settings.Verbose);
            options.Curve = new CurveServerOptions
            {
                PublicKey = hostKeys.PublicKey,
                SecretKey = hostKeys.SecretKey,
                AllowedClientKeys = new System.Collections.Generic.HashSet<string>(authorized.Keys, StringComparer.Ordinal),
            };
        });
        if (settings.KeyEndpoint is { } keyEndpoint)
        {
            builder.Services.AddSingleton(services => new HostKeyEndpoint(keyEndpoint, hostKeys.PublicKey, services.GetRequiredService<ILogger<HostKeyEndpoint>>()));
            builder.Services.AddHostedService(services => services.GetRequiredService<HostKeyEndpoint>());
        }
        // Registered after the server, so it stops first: jobs end while the server still runs.
        builder.Services.AddHostedService<JobShutdown>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        using var host = builder.Build();
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ZmqException or FileNotFoundException or FormatException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"zpd: {e.Message}");
            return 1;
        }
        var server = host.Services.GetRequiredService<ZpServer>();
        Console.Out.WriteLine($"zpd: public key {hostKeys.PublicKey}");
        if (host.Services.GetService<HostKeyEndpoint>()?.BoundEndpoint is { } served)
            Console.Out.WriteLine($"zpd: key served on {served}");
        foreach (var endpoint in server.Endpoints)
            Console.Out.WriteLine($"zpd: listening on {endpoint}");
        Console.Out.Flush();
        await host.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>On shutdown: stop taking jobs, terminate the running ones and wait (bounded) for them to end.</summary>
    private sealed class JobShutdown(ZpServer server, ILogger<JobShutdown> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            var running = await server.TerminateJobsAsync().ConfigureAwait(false);
            if (running > 0)
                logger.LogInformation("terminating {Count} running job(s)", running);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (running > 0 && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                running = await server.RunningJobsAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>zpd's command-line settings.</summary>
internal sealed record ZpdSettings
{
    public required string[] Binds { get; init; }
    public string? KeyEndpoint { get; init; }
    public string? ConfigFile { get; init; }
    public long TimeoutMilliseconds { get; init; }
    public bool Verbose { get; init; }
    public bool FlushToDisk { get; init; }
    public required string KeyDirectory { get; init; }
    public required string AuthorizedKeysFile { get; init; }
}
