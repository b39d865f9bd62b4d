using System;

namespace Zpd;

/// <summary>
/// Which local users a session may act as. zpd runs commands as its own user only, so a session
/// must name that user, and the user must be listed for some key in authorized_keys.
/// </summary>
/// <remarks>
/// The runtime's ZAP handler admits exactly the listed keys but does not yet tell the server which
/// key a connection used, so the per-key user list cannot be enforced per connection; with one
/// local user this makes no difference (docs/zp.md, "Security").
/// </remarks>
public sealed class SessionPolicy
{
    private readonly AuthorizedKeys _keys;

    internal SessionPolicy(AuthorizedKeys keys, string serviceUser)
    {
        _keys = keys;
        DefaultUser = serviceUser;
    }

    /// <summary>The user zpd runs as; CONNECTION-OPEN (which names no user) acts as this one.</summary>
    public string DefaultUser { get; }

    /// <summary>Why a session may not act as <paramref name="user"/>, or null when it may.</summary>
    public string? Refuse(string user)
    {
        if (!string.Equals(user, DefaultUser, StringComparison.Ordinal))
            return $"zpd runs as '{DefaultUser}' and can act only as that user, not '{user}'";
        if (!_keys.Users.Contains(user))
            return $"no key in authorized_keys may act as '{user}'";
        return null;
    }
}

/// <summary>zpd's limits (the job table's bounds).</summary>
public sealed class ZpdLimits
{
    internal JobLimits Jobs { get; init; } = new();
}
