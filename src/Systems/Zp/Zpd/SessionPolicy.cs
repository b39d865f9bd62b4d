using System;
using System.IO;
using System.Linq;

namespace Zpd;

/// <summary>
/// Which local users a session may act as, and as whom its commands run. A session may act only as
/// a user that authorized_keys lists for the CURVE key its connection authenticated with (the ZAP
/// User-Id the runtime exposes as <c>ServerClient.UserId</c>). Unprivileged, zpd runs commands as its
/// own user only, so a session must name that user. As root, its commands run as the named user
/// (uid, gid, supplementary groups, HOME) through setpriv.
/// </summary>
public sealed class SessionPolicy
{
    private readonly AuthorizedKeys _keys;
    private readonly bool _privileged;

    internal SessionPolicy(AuthorizedKeys keys, string serviceUser, bool privileged)
    {
        _keys = keys;
        DefaultUser = serviceUser;
        _privileged = privileged;
    }

    /// <summary>The user zpd runs as; CONNECTION-OPEN (which names no user) acts as this one.</summary>
    public string DefaultUser { get; }

    /// <summary>Why the client that authenticated with <paramref name="clientKey"/> may not act as <paramref name="user"/>, or null when it may.</summary>
    public string? Refuse(string clientKey, string user)
    {
        if (!_keys.UsersOf(clientKey).Contains(user, StringComparer.Ordinal))
            return $"this client key may not act as '{user}' (authorized_keys)";
        if (string.Equals(user, DefaultUser, StringComparison.Ordinal))
            return null;
        if (!_privileged)
            return $"zpd runs as '{DefaultUser}' and can act only as that user, not '{user}'";
        return LocalUser.Find(user) is null ? $"no local user '{user}'" : null;
    }

    /// <summary>The user to switch to for <paramref name="user"/>'s commands, or null to run as zpd's own user.</summary>
    internal LocalUser? RunAs(string user) =>
        _privileged && !string.Equals(user, DefaultUser, StringComparison.Ordinal) ? LocalUser.Find(user) : null;
}

/// <summary>A local account from /etc/passwd.</summary>
internal sealed record LocalUser(string Name, uint Uid, uint Gid, string Home)
{
    public static LocalUser? Find(string name, string passwd = "/etc/passwd")
    {
        if (!File.Exists(passwd))
            return null;
        foreach (var line in File.ReadLines(passwd))
        {
            var fields = line.Split(':');
            if (fields.Length >= 7 && fields[0] == name && uint.TryParse(fields[2], out var uid) && uint.TryParse(fields[3], out var gid))
                return new LocalUser(name, uid, gid, fields[5]);
        }
        return null;
    }
}

/// <summary>zpd's limits (the job table's bounds).</summary>
public sealed class ZpdLimits
{
    internal JobLimits Jobs { get; init; } = new();

    /// <summary>fsync every received file before renaming it into place (<c>zpd --fsync</c>).</summary>
    public bool FlushToDisk { get; init; }
}
