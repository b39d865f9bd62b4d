using System;
using System.Globalization;

namespace Zp.Client;

/// <summary>
/// A <c>USER@HOST[:PORT]</c> or <c>USER@tcp://HOST:PORT</c> target, as ssh and scp name hosts.
/// ZeroMQ's DEALER/ROUTER sockets have no UDP transport, so <c>udp://</c> is refused with that reason.
/// </summary>
public sealed record ZpTarget(string User, string Host, int Port)
{
    /// <summary>The default zpd port (ZpdDefaults.Port in zpd).</summary>
    public const int DefaultPort = 6522;

    /// <summary>The endpoint to connect to.</summary>
    public string Endpoint => $"tcp://{(Host.Contains(':') ? "[" + Host + "]" : Host)}:{Port}";

    /// <summary>The known_hosts name: <c>host:port</c>.</summary>
    public string Authority => $"{Host}:{Port}";

    /// <summary>Parses <paramref name="text"/>; <paramref name="port"/> (ssh's <c>-p</c>) applies when the target names none.</summary>
    /// <exception cref="FormatException">Not a valid target; the message says why.</exception>
    public static ZpTarget Parse(string text, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@');
        if (at <= 0)
            throw new FormatException($"'{text}' is not USER@HOST");
        var user = text[..at];
        var rest = text[(at + 1)..];
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var transport = rest[..scheme];
            if (transport.Equals("udp", StringComparison.OrdinalIgnoreCase))
                throw new FormatException("udp:// is not supported: ZeroMQ DEALER/ROUTER sockets have no UDP transport; use USER@HOST or USER@tcp://HOST:PORT");
            if (!transport.Equals("tcp", StringComparison.OrdinalIgnoreCase))
                throw new FormatException($"{transport}:// is not supported; use USER@HOST or USER@tcp://HOST:PORT");
            rest = rest[(scheme + 3)..];
        }
        string host;
        int? explicitPort = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
                throw new FormatException($"'{text}': unclosed '[' in the host");
            host = rest[1..close];
            if (close + 1 < rest.Length)
                explicitPort = rest[close + 1] == ':' ? ParsePort(rest[(close + 2)..], text) : throw new FormatException($"'{text}': expected ':PORT' after ']'");
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
            if (colon >= 0)
                explicitPort = ParsePort(rest[(colon + 1)..], text);
        }
        if (host.Length == 0)
            throw new FormatException($"'{text}' names no host");
        return new ZpTarget(user, host, explicitPort ?? port ?? DefaultPort);
    }

    private static int ParsePort(string text, string target) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new FormatException($"'{target}': '{text}' is not a port (1-65535)");
}
