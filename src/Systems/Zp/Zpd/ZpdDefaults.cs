using System;
using System.IO;

namespace Zpd;

/// <summary>zpd's documented defaults.</summary>
public static class ZpdDefaults
{
    /// <summary>The default TCP port (zp and zpc use it for <c>user@host</c>).</summary>
    public const int Port = 6522;

    /// <summary>Clients silent this long are expired (zpd.cfg's server/timeout).</summary>
    public const int TimeoutMilliseconds = 10_000;

    /// <summary>The default bind endpoint.</summary>
    public static string Endpoint => $"tcp://*:{Port}";

    /// <summary><c>$HOME/.config/zpd</c>: the host key and authorized_keys.</summary>
    public static string ConfigDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "zpd");
}
