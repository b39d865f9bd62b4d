using System;
using System.Collections.Generic;
using Zproto.Runtime.Servers;

namespace Zproto.Hosting;

/// <summary>
/// The switches every zproto daemon takes (<c>--bind</c>, <c>--timeout</c>, <c>--verbose</c>),
/// applied on top of what its config file set: the command line adds endpoints and overrides the
/// file's timeout and verbosity.
/// </summary>
public static class ServerCommandLine
{
    /// <summary>
    /// Adds each of <paramref name="binds"/> not already bound, sets the client timeout when
    /// <paramref name="timeoutMilliseconds"/> is given, and turns tracing on when
    /// <paramref name="verbose"/> (a file's <c>server/verbose</c> is never turned off).
    /// </summary>
    /// <exception cref="FormatException">The timeout is not a positive number of milliseconds.</exception>
    public static ServerOptions ApplyCommandLine(this ServerOptions options, IEnumerable<string> binds, long? timeoutMilliseconds, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(binds);
        foreach (var bind in binds)
        {
            if (!options.Endpoints.Contains(bind))
                options.Endpoints.Add(bind);
        }
        if (timeoutMilliseconds is { } ms)
        {
            if (ms <= 0)
                throw new FormatException("--timeout must be a positive number of milliseconds");
            options.ClientTimeout = TimeSpan.FromMilliseconds(ms);
        }
        if (verbose)
            options.Verbose = true;
        return options;
    }
}
