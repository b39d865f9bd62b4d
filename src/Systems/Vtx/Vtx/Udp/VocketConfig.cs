namespace Zproto.Vtx.Udp;

/// <summary>How a vocket routes what the application sends (§5.3).</summary>
internal enum Routing
{
    /// <summary>Round-robin, one outstanding request per peering, resent until answered.</summary>
    Request,
    /// <summary>To the peering of the last request.</summary>
    Reply,
    /// <summary>By the identity frame <c>udp://ip:port</c>.</summary>
    Router,
    /// <summary>Round-robin over live peerings.</summary>
    Dealer,
    /// <summary>A copy to every live peering.</summary>
    Publish,
    /// <summary>The one live peering.</summary>
    Single,
    /// <summary>Sending is not allowed.</summary>
    None,
}

/// <summary>One row of the original's <c>s_vocket_config</c> table.</summary>
internal sealed record VocketConfig(Routing Routing, bool Incoming, int MinPeerings, int MaxPeerings)
{
    /// <summary><c>VTX_MAX_PEERINGS</c>.</summary>
    public const int MaxPeeringsPerVocket = 512;

    public static VocketConfig For(VtxSocketType type) => type switch
    {
        VtxSocketType.Req => new(Routing.Request, Incoming: true, MinPeerings: 1, MaxPeeringsPerVocket),
        VtxSocketType.Rep => new(Routing.Reply, Incoming: true, MinPeerings: 1, MaxPeeringsPerVocket),
        VtxSocketType.Router => new(Routing.Router, Incoming: true, MinPeerings: 0, MaxPeeringsPerVocket),
        VtxSocketType.Dealer => new(Routing.Dealer, Incoming: true, MinPeerings: 1, MaxPeeringsPerVocket),
        VtxSocketType.Pub => new(Routing.Publish, Incoming: false, MinPeerings: 0, MaxPeeringsPerVocket),
        VtxSocketType.Sub => new(Routing.None, Incoming: true, MinPeerings: 1, MaxPeeringsPerVocket),
        VtxSocketType.Push => new(Routing.Dealer, Incoming: false, MinPeerings: 1, MaxPeeringsPerVocket),
        VtxSocketType.Pull => new(Routing.None, Incoming: true, MinPeerings: 1, MaxPeeringsPerVocket),
        VtxSocketType.Pair => new(Routing.Single, Incoming: true, MinPeerings: 1, MaxPeerings: 1),
        _ => throw new System.ArgumentOutOfRangeException(nameof(type), type, "Not an emulated socket type"),
    };
}
