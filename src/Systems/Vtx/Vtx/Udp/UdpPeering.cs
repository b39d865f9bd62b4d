using System.Net;

namespace Zproto.Vtx.Udp;

/// <summary>The states of models/vtx_udp_peering_server.xml.</summary>
internal enum PeeringState
{
    /// <summary>Just created: by a connect (outgoing) or a first OHAI (incoming).</summary>
    Start,
    /// <summary>Outgoing and not confirmed: OHAI goes out on every monitor tick.</summary>
    Connecting,
    /// <summary>Confirmed and in the vocket's live list.</summary>
    Live,
    /// <summary>Terminated: removed from its vocket.</summary>
    Closed,
}

/// <summary>The events of models/vtx_udp_peering_server.xml: the NOM-1 commands and the driver's internal ones.</summary>
internal enum PeeringEvent
{
    /// <summary>The application connected (outgoing peering).</summary>
    Connect,
    /// <summary>The vocket already has its maximum of peerings (incoming peering).</summary>
    PeeringLimit,
    /// <summary>The monitor tick (every <see cref="UdpDriverOptions.OhaiInterval"/>).</summary>
    Monitor,
    /// <summary>We sent nothing for a third of the timeout.</summary>
    Silent,
    /// <summary>An incoming peering heard nothing for the timeout.</summary>
    Expired,
    /// <summary>An outgoing peering heard nothing for the timeout.</summary>
    Lost,
    /// <summary>The vocket is closing.</summary>
    Close,
    Rotfl,
    Ohai,
    OhaiOk,
    Hugz,
    HugzOk,
    Nom,
}

/// <summary>The states of models/vtx_udp_request_server.xml (a REQ vocket's side of one peering).</summary>
internal enum RequestState
{
    /// <summary>No request outstanding.</summary>
    Idle,
    /// <summary>A request is outstanding and resent until a reply arrives.</summary>
    Waiting,
}

/// <summary>
/// One peering of a vocket (§5.5): the remote address and its lifecycle state, liveness deadlines,
/// and the request-reply state of §5.6. The driver's owner thread alone touches it.
/// </summary>
internal sealed class UdpPeering(string key, IPEndPoint address, bool outgoing, bool broadcast)
{
    /// <summary>The key: the remote <c>ip:port</c>, or as connected (<c>host:port</c>, <c>*:port</c>) until focused.</summary>
    public string Key { get; set; } = key;

    /// <summary>Where datagrams for this peering go.</summary>
    public IPEndPoint Address { get; set; } = address;

    /// <summary>The key given at connect, which an unfocus returns to.</summary>
    public string ConnectKey { get; } = key;

    /// <summary>The address given at connect, which an unfocus returns to.</summary>
    public IPEndPoint ConnectAddress { get; } = address;

    /// <summary>Created by a connect (retries, survives expiry), not by an OHAI.</summary>
    public bool Outgoing { get; } = outgoing;

    /// <summary>Connected to <c>*:port</c>: unfocused back to broadcast when it dies.</summary>
    public bool Broadcast { get; } = broadcast;

    public PeeringState State { get; set; } = PeeringState.Start;

    public bool Alive => State == PeeringState.Live;

    /// <summary>When the peer is considered dead if nothing more arrives (monotonic ms).</summary>
    public long Expiry { get; set; }

    /// <summary>When a HUGZ is due if we send nothing else (monotonic ms).</summary>
    public long Silent { get; set; }

    /// <summary>Our 4-bit send sequence.</summary>
    public byte SendSeq { get; set; }

    /// <summary>The sequence of the last NOM received; -1 before the first (the original started at 0).</summary>
    public int RecvSeq { get; set; } = -1;

    public RequestState RequestState { get; set; } = RequestState.Idle;

    /// <summary>The outstanding request's datagram (REQ), resent with the RESEND flag.</summary>
    public byte[]? Request { get; set; }

    /// <summary>The last reply sent on this peering, sent again for a duplicate request.</summary>
    public byte[]? Reply { get; set; }

    public override string ToString() => Key;
}
