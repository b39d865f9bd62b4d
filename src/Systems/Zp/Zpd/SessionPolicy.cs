using System;
using System.IO;

namespace Zpd;

/// <summary>
/// Which local users a session may act as, and as whom its commands run. Unprivileged, zpd runs
/// commands as its own user only, so a session must name that user. As root, a session may name
/// any user authorized_keys lists, and its commands run as that user (uid, gid, supplementary
/// groups, HOME) through setpriv.
/// </summary>
/// <remarks>
/// The runtime's ZAP handler admits exactly the listed keys but does not yet tell the server which
/// key a connection used, so the per-key user list is enforced as the union of all keys' users
/// (docs/zp.md, "Security").
/// </remarks>
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

    /// <summary>Why a session may not act as <paramref name="user"/>, or null when it may.</summary>
    public string? Refuse(string user)
    {
        if (!_keys.Users.Contains(user))
            return $"no key in authorized_keys may act as '{user}'";
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
}
