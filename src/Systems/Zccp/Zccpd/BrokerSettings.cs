using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Zproto.Hosting;
using Zproto.Runtime.Configuration;
using Zccpd.Routing;
using Zproto.Runtime.Servers;

namespace Zccpd;

/// <summary>What zccpd was asked to do: its command line and optional ZPL file (the command line wins).</summary>
public sealed record BrokerSettings
{
    /// <summary>The server section in ZPL files (<c>zccp_server/bind/endpoint</c>).</summary>
    public const string ServerName = "zccp_server";

    /// <summary>The endpoint bound when none is given, as the 2014 zccpd.</summary>
    public const string DefaultEndpoint = "ipc://@/zccp";

    /// <summary>Endpoints from <c>--bind</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = Array.Empty<string>();

    /// <summary>The ZPL file from <c>--config</c>, or null.</summary>
    public string? ConfigFile { get; init; }

    /// <summary><c>--timeout</c>: expire clients silent this many ms (default 60000, the engine's).</summary>
    public long? TimeoutMilliseconds { get; init; }

    /// <summary><c>--heartbeat</c>: PING clients idle this many ms; 0 disables (default 1000).</summary>
    public long? HeartbeatMilliseconds { get; init; }

    /// <summary><c>--duplicate-deliveries</c>: one DELIVER per matching pattern, as in 2014.</summary>
    public bool DuplicateDeliveries { get; init; }

    /// <summary><c>--verbose</c>: trace every event and action.</summary>
    public bool Verbose { get; init; }

    /// <summary><c>--acl</c>: the access control list file (else the config file's <c>zccp_server/acl</c>), or null to allow everything.</summary>
    public string? AclFile { get; init; }

    /// <summary>Engine options: the file (server/timeout, server/verbose, zccp_server/bind/endpoint), then the command line; <see cref="DefaultEndpoint"/> when nothing is bound.</summary>
    /// <exception cref="System.IO.FileNotFoundException">The config file does not exist.</exception>
    /// <exception cref="FormatException">The config file or a value is malformed.</exception>
    public ServerOptions ToServerOptions()
    {
        var options = new ServerOptions();
        var config = ConfigFile is null ? null : ZplConfig.Load(ConfigFile);
        if (config is not null)
            options.Apply(config, ServerName);
        options.ApplyCommandLine(Binds, TimeoutMilliseconds, Verbose);
        if (options.Endpoints.Count == 0)
            options.Endpoints.Add(DefaultEndpoint);
        options.Curve = Curve(config);
        foreach (var endpoint in options.Endpoints)
        {
            if (!OperatingSystem.IsLinux() && endpoint.StartsWith("ipc://@", StringComparison.Ordinal))
                throw new PlatformNotSupportedException($"abstract IPC endpoints (ipc://@...) need Linux; this is {RuntimeInformation.OSDescription}; use --bind tcp://...");
        }
        return options;
    }

    /// <summary>The broker policy: <c>--heartbeat</c> (else the file's <c>zccp_server/heartbeat</c>, else 1000 ms) and <c>--duplicate-deliveries</c>.</summary>
    public BrokerPolicy ToPolicy()
    {
        var config = ConfigFile is null ? null : ZplConfig.Load(ConfigFile);
        var heartbeat = HeartbeatMilliseconds;
        if (heartbeat is null && config?[$"{ServerName}/heartbeat"] is { Length: > 0 } text)
            heartbeat = long.TryParse(text, out var value) ? value : throw new FormatException($"{ServerName}/heartbeat must be a whole number of milliseconds, not '{text}'");
        if (heartbeat < 0)
            throw new FormatException("--heartbeat must be 0 (off) or a positive number of milliseconds");
        var acl = AclFile ?? config?[$"{ServerName}/acl"];
        var policy = new BrokerPolicy { DuplicateDeliveries = DuplicateDeliveries, Acl = acl is { Length: > 0 } ? AccessList.Load(acl) : null };
        return heartbeat is { } ms ? policy with { HeartbeatInterval = TimeSpan.FromMilliseconds(ms) } : policy;
    }

    // CURVE from the config file only (keys do not belong on command lines): zccp_server/curve/public-key,
    // secret-key, and allow (repeatable client public keys; none admits any client that knows the server key).
    private static CurveServerOptions? Curve(ZplConfig? config)
    {
        if (config?[$"{ServerName}/curve/secret-key"] is not { Length: > 0 } secret)
            return null;
        var allowed = new HashSet<string>(config.All($"{ServerName}/curve/allow"), StringComparer.Ordinal);
        return new CurveServerOptions
        {
            SecretKey = secret,
            PublicKey = config[$"{ServerName}/curve/public-key"] ?? throw new FormatException($"{ServerName}/curve/public-key is required with curve/secret-key"),
            AllowedClientKeys = allowed,
        };
    }
}
