using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Zproto.Runtime.Configuration;
using Zproto.Runtime.Servers;

namespace Zproto.Hosting;

/// <summary>
/// Reads <see cref="ServerOptions"/> from a configuration section:
/// <c>Endpoints</c> (list) or <c>Endpoint</c>, <c>Timeout</c> (ms, zproto's server/timeout) or
/// <c>ClientTimeout</c> (a TimeSpan), <c>Verbose</c>, <c>MailboxLimit</c>, <c>MailboxByteLimit</c>,
/// <c>GlobalMailboxLimit</c>, <c>GlobalMailboxByteLimit</c>, <c>MaxMessageSize</c> (bytes),
/// <c>ReceiveHighWatermark</c>, <c>SendHighWatermark</c>,
/// <c>ConfigFile</c> (a zproto ZPL file applied first), and <c>Curve:PublicKey</c>,
/// <c>Curve:SecretKey</c>, <c>Curve:AllowedClientKeys</c> (list).
/// </summary>
public static class ServerOptionsConfiguration
{
    /// <summary>Applies <paramref name="section"/> to <paramref name="options"/>; a bad value throws a <see cref="FormatException"/> naming the key.</summary>
    public static ServerOptions Apply(this ServerOptions options, IConfiguration section, string serverName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        if (section["ConfigFile"] is { Length: > 0 } file)
            options.Apply(ZplConfig.Load(file), serverName);
        foreach (var child in section.GetSection("Endpoints").GetChildren())
        {
            if (child.Value is { Length: > 0 } endpoint && !options.Endpoints.Contains(endpoint))
                options.Endpoints.Add(endpoint);
        }
        if (section["Endpoint"] is { Length: > 0 } single && !options.Endpoints.Contains(single))
            options.Endpoints.Add(single);
        if (section["Timeout"] is { Length: > 0 } ms)
            options.ClientTimeout = TimeSpan.FromMilliseconds(Number(ms, "Timeout"));
        if (section["ClientTimeout"] is { Length: > 0 } span)
            options.ClientTimeout = TimeSpan.TryParse(span, CultureInfo.InvariantCulture, out var t) ? t : throw new FormatException($"ClientTimeout '{span}' is not a TimeSpan (e.g. 00:00:10)");
        if (section["Verbose"] is { Length: > 0 } verbose)
            options.Verbose = bool.TryParse(verbose, out var v) ? v : verbose == "1";
        if (section["MailboxLimit"] is { Length: > 0 } limit)
            options.MailboxLimit = (int)Number(limit, "MailboxLimit");
        if (section["SendHighWatermark"] is { Length: > 0 } hwm)
            options.SendHighWatermark = (int)Number(hwm, "SendHighWatermark");
        if (section["ReceiveHighWatermark"] is { Length: > 0 } rcvhwm)
            options.ReceiveHighWatermark = (int)Number(rcvhwm, "ReceiveHighWatermark");
        if (section["MailboxByteLimit"] is { Length: > 0 } bytes)
            options.MailboxByteLimit = Number(bytes, "MailboxByteLimit");
        if (section["GlobalMailboxLimit"] is { Length: > 0 } total)
            options.GlobalMailboxLimit = (int)Number(total, "GlobalMailboxLimit");
        if (section["GlobalMailboxByteLimit"] is { Length: > 0 } totalBytes)
            options.GlobalMailboxByteLimit = Number(totalBytes, "GlobalMailboxByteLimit");
        if (section["MaxMessageSize"] is { Length: > 0 } size)
            options.MaxMessageSize = Number(size, "MaxMessageSize");
        var curve = section.GetSection("Curve");
        if (curve["SecretKey"] is { Length: > 0 } secret)
        {
            var allowed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in curve.GetSection("AllowedClientKeys").GetChildren())
                if (key.Value is { Length: > 0 } k) allowed.Add(k);
            options.Curve = new CurveServerOptions
            {
                SecretKey = secret,
                PublicKey = curve["PublicKey"] ?? throw new FormatException("Curve:PublicKey is required with Curve:SecretKey"),
                AllowedClientKeys = allowed,
            };
        }
        return options;
    }

    private static long Number(string text, string key) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"{key} must be a whole number, not '{text}'");
}
