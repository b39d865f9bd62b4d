using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Zpipes.Protocol;
using Zproto.Hosting;
using Zproto.Runtime.Configuration;
using Zproto.Runtime.Servers;

namespace Zbroker;

/// <summary>
/// What zbroker was asked to do, from its command line and optional ZPL file: which endpoints to
/// bind, the client timeout, the pipe limit, and tracing. Command-line options override the file.
/// </summary>
public sealed record BrokerSettings
{
    /// <summary>The name of the server section in ZPL files (<c>zpipes_server/bind/endpoint</c>).</summary>
    public const string ServerName = "zpipes_server";

    /// <summary>The broker name used when none is given, as in the 2014 zbroker.</summary>
    public const string DefaultBrokerName = "local";

    /// <summary>The broker name (<c>zbroker [broker-name]</c>), or null when not given.</summary>
    public string? BrokerName { get; init; }

    /// <summary>Endpoints from <c>--bind</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = Array.Empty<string>();

    /// <summary>The ZPL file from <c>--config</c>, or null.</summary>
    public string? ConfigFile { get; init; }

    /// <summary><c>--timeout</c> in ms, or null to keep the file's or the engine's (60 s).</summary>
    public long? TimeoutMilliseconds { get; init; }

    /// <summary><c>--pipe-limit</c> in bytes, or null to keep the file's (<c>zpipes_server/pipe/limit</c>) or the default (8 MiB).</summary>
    public long? PipeLimitBytes { get; init; }

    /// <summary><c>--verbose</c>: trace every event and action.</summary>
    public bool Verbose { get; init; }

    /// <summary><c>--cluster-bind</c>: the endpoint other brokers reach this one on; null for no cluster (unless the file sets it).</summary>
    public string? ClusterBind { get; init; }

    /// <summary><c>--peer</c>: cluster endpoints of other brokers.</summary>
    public IReadOnlyList<string> Peers { get; init; } = Array.Empty<string>();

    /// <summary><c>--node</c>: this broker's node id in the cluster; defaults to the broker name, else random.</summary>
    public string? NodeId { get; init; }

    /// <summary>
    /// Cluster settings: the command line, else the file's <c>zpipes_server/cluster/bind</c>,
    /// <c>zpipes_server/cluster/peer</c> (repeatable) and <c>zpipes_server/cluster/node</c>; null when no cluster endpoint is set.
    /// </summary>
    public ClusterSettings? ToClusterSettings()
    {
        var config = ConfigFile is null ? null : ZplConfig.Load(ConfigFile);
        var bind = ClusterBind ?? config?[$"{ServerName}/cluster/bind"];
        if (string.IsNullOrEmpty(bind))
        {
            if (Peers.Count > 0)
                throw new FormatException("--peer needs --cluster-bind: peers must be able to reach this broker");
            return null;
        }
        var peers = new List<string>(Peers);
        if (config is not null)
            peers.AddRange(config.All($"{ServerName}/cluster/peer"));
        var node = NodeId ?? config?[$"{ServerName}/cluster/node"] ?? BrokerName;
        return node is null
            ? new ClusterSettings { Bind = bind, Peers = peers }
            : new ClusterSettings { Bind = bind, Peers = peers, NodeId = node };
    }

    /// <summary>Bytes a pipe holds for its reader: <c>--pipe-limit</c>, else the file's <c>zpipes_server/pipe/limit</c>, else 8 MiB.</summary>
    /// <exception cref="FormatException">The limit is not a positive number of bytes.</exception>
    public long ToPipeLimit()
    {
        var text = ConfigFile is null ? null : ZplConfig.Load(ConfigFile)[$"{ServerName}/pipe/limit"];
        long limit = PipeLimitBytes ?? (text is null ? ZpipesServer.DefaultPipeLimit
            : long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed
            : throw new FormatException($"'{ServerName}/pipe/limit' must be a number of bytes, not '{text}'"));
        if (limit <= 0)
            throw new FormatException("the pipe limit must be a positive number of bytes");
        return limit;
    }

    /// <summary>The IPC endpoint of a broker name: abstract <c>ipc://@/zpipes/NAME</c>, as the 2014 broker and clients use.</summary>
    public static string EndpointOf(string brokerName) => $"ipc://@/zpipes/{brokerName}";

    /// <summary>
    /// Server options: the file first (server/timeout, server/verbose, zpipes_server/bind/endpoint),
    /// then the command line. With no endpoint from either, the broker name's IPC endpoint (default
    /// <c>local</c>); a name given explicitly is always bound as well.
    /// </summary>
    /// <exception cref="System.IO.FileNotFoundException">The config file does not exist.</exception>
    /// <exception cref="FormatException">The config file or a value is malformed.</exception>
    public ServerOptions ToServerOptions()
    {
        var options = new ServerOptions();
        if (ConfigFile is not null)
            options.Apply(ZplConfig.Load(ConfigFile), ServerName);
        options.ApplyCommandLine(Binds, TimeoutMilliseconds, Verbose);
        if (BrokerName is not null || options.Endpoints.Count == 0)
        {
            var named = EndpointOf(BrokerName ?? DefaultBrokerName);
            if (!options.Endpoints.Contains(named))
                options.Endpoints.Add(named);
        }
        // The model's max_size is the default pipe limit plus 1 KiB of header (11 bytes for WRITE,
        // room for the name in OUTPUT/INPUT); the same header room over the configured limit, and
        // libzmq refuses a larger frame unread.
        options.MaxMessageSize = ToPipeLimit() + (ZpipesMsg.MaxSize - ZpipesServer.DefaultPipeLimit);
        // While the broker reads, libzmq's queue per peer is near empty; this bounds it (in
        // messages of up to MaxMessageSize) should the broker ever stop reading.
        options.ReceiveHighWatermark = 100;
        // A reader that pipelines READs but does not read its socket: at most 16 READ-OKs (each up
        // to a pipe's worth) queue in libzmq, then up to PeerBacklogByteLimit wait in the engine,
        // then its session ends.
        options.SendHighWatermark = 16;
        if (!OperatingSystem.IsLinux() && options.Endpoints.Any(e => e.StartsWith("ipc://@", StringComparison.Ordinal)))
            throw new PlatformNotSupportedException($"abstract IPC endpoints (ipc://@...) need Linux; this is {RuntimeInformation.OSDescription}; use --bind tcp://...");
        return options;
    }
}
