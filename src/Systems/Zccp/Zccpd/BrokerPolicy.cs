using System;
using Zccpd.Routing;

namespace Zccpd;

/// <summary>How the broker treats traffic, beyond the engine's <see cref="Zproto.Runtime.Servers.ServerOptions"/>.</summary>
public sealed record BrokerPolicy
{
    /// <summary>PING a client after this long with nothing sent to it; zero disables server heartbeats (as the 2014 broker).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The 2014 behaviour: one DELIVER per matching pattern instead of one per subscribed client.</summary>
    public bool DuplicateDeliveries { get; init; }

    /// <summary>Distinct patterns one client may subscribe to; the SUBSCRIBE past it gets INVALID.</summary>
    public int MaxSubscriptionsPerClient { get; init; } = 10_000;

    /// <summary>Who may publish, receive and send DIRECT to what; null allows everything.</summary>
    public AccessList? Acl { get; init; }
}
