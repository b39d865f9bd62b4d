namespace Zproto.Vtx;

/// <summary>
/// The ZeroMQ socket types a driver emulates (systems.md §5.3). The application always holds a plain
/// DEALER; the emulated type decides how the driver routes, accepts and retries its messages.
/// </summary>
public enum VtxSocketType
{
    /// <summary>Request: round-robin, one outstanding request per peering, resent until answered.</summary>
    Req,
    /// <summary>Reply: each send answers the peering of the last request.</summary>
    Rep,
    /// <summary>Router: received messages carry the sender's identity frame; sends are routed by it.</summary>
    Router,
    /// <summary>Dealer: round-robin over live peerings.</summary>
    Dealer,
    /// <summary>Publisher: a copy to every live peering; receives nothing.</summary>
    Pub,
    /// <summary>Subscriber: receives what matches its subscriptions; cannot send.</summary>
    Sub,
    /// <summary>Pipeline source: round-robin; receives nothing.</summary>
    Push,
    /// <summary>Pipeline sink: receives only.</summary>
    Pull,
    /// <summary>Exclusive pair: exactly one peering.</summary>
    Pair,
}
