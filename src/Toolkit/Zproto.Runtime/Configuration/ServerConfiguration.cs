using System;
using Zproto.Runtime.Servers;

namespace Zproto.Runtime.Configuration;

/// <summary>Applies zproto-style configuration to <see cref="ServerOptions"/>.</summary>
public static class ServerConfiguration
{
    /// <summary>
    /// Applies a ZPL configuration the way zproto servers read it: <c>server/timeout</c> (ms),
    /// <c>server/verbose</c> (or <c>server/animate</c>), and each <c>{serverName}/bind/endpoint</c>.
    /// </summary>
    public static ServerOptions Apply(this ServerOptions options, ZplConfig config, string serverName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Milliseconds("server/timeout") is { } timeout)
        {
            if (timeout <= TimeSpan.Zero)
                throw new FormatException("'server/timeout' must be positive");
            options.ClientTimeout = timeout;
        }
        if ((config.Boolean("server/verbose") ?? config.Boolean("server/animate")) is { } verbose)
            options.Verbose = verbose;
        foreach (var endpoint in config.All($"{serverName}/bind/endpoint"))
        {
            if (!options.Endpoints.Contains(endpoint))
                options.Endpoints.Add(endpoint);
        }
        return options;
    }
}
