using System;
using System.Collections.Generic;

namespace Zccpd.Routing;

/// <summary>
/// Identifier → connected client, for DIRECT. Identifiers are unique per broker; a second HELLO
/// with an identifier in use takes it over (the previous holder is returned so the broker can end
/// its session), because a client that reconnects on a new socket must not be locked out until its
/// old session expires. The empty identifier (what 2014 C clients send) is never routable.
/// </summary>
public sealed class DirectRouter<TClient> where TClient : class
{
    private readonly Dictionary<string, TClient> _clients = new(StringComparer.Ordinal);

    /// <summary>Routable identifiers.</summary>
    public int Count => _clients.Count;

    /// <summary>Makes <paramref name="client"/> the holder of <paramref name="identifier"/>; returns the previous holder, if another.</summary>
    public TClient? Register(string identifier, TClient client)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(client);
        if (identifier.Length == 0)
            return null;
        _clients.TryGetValue(identifier, out var previous);
        _clients[identifier] = client;
        return previous is null || ReferenceEquals(previous, client) ? null : previous;
    }

    /// <summary>Forgets <paramref name="identifier"/> when <paramref name="client"/> still holds it (a taken-over session leaves the new holder alone).</summary>
    public void Unregister(string identifier, TClient client)
    {
        if (_clients.TryGetValue(identifier, out var current) && ReferenceEquals(current, client))
            _clients.Remove(identifier);
    }

    /// <summary>The client holding <paramref name="identifier"/>.</summary>
    public bool TryGet(string identifier, out TClient client)
    {
        if (identifier.Length > 0 && _clients.TryGetValue(identifier, out var found))
        {
            client = found;
            return true;
        }
        client = null!;
        return false;
    }
}
