using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace Zproto.Vtx.Udp;

/// <summary>
/// An emulated socket (§5.5): its bound UDP sockets, the one unbound socket all output leaves by
/// (broadcast enabled), its generated peering machine (and a REQ's request machine), and the live
/// peerings in round-robin order.
/// </summary>
internal sealed class Vocket(int id, VtxSocketType type, Socket output, VtxUdpPeeringServer peerings, VtxUdpRequestServer? requests)
{
    private int _nextLive;

    public int Id { get; } = id;

    public VtxSocketType Type { get; } = type;

    public VocketConfig Config { get; } = VocketConfig.For(type);

    /// <summary>Every datagram this vocket sends leaves by this socket; it also receives the answers.</summary>
    public Socket Output { get; } = output;

    /// <summary>The poll-set slots of the output and bound sockets.</summary>
    public List<int> Slots { get; } = [];

    /// <summary>Bound sockets by the address as given to bind (so repeated binds are idempotent).</summary>
    public Dictionary<string, (Socket Socket, string Endpoint)> Bindings { get; } = new(StringComparer.Ordinal);

    /// <summary>The peerings: clients of models/vtx_udp_peering_server.xml, keyed by peer address.</summary>
    public VtxUdpPeeringServer Peerings { get; } = peerings;

    /// <summary>A REQ's request machines (models/vtx_udp_request_server.xml), one per peering it sent on; null for other types.</summary>
    public VtxUdpRequestServer? Requests { get; } = requests;

    /// <summary>Live peerings in the order they came up; round-robin walks this list.</summary>
    public List<VtxUdpPeeringServer.Client> Live { get; } = [];

    /// <summary>Application messages waiting for <see cref="VocketConfig.MinPeerings"/> live peerings.</summary>
    public Queue<List<byte[]>> Outbox { get; } = new();

    /// <summary>SUB prefixes; a SUB with none receives nothing, as in ZeroMQ.</summary>
    public List<byte[]> Subscriptions { get; } = [];

    /// <summary>The peering the next REP send answers.</summary>
    public VtxUdpPeeringServer.Client? ReplyTo { get; set; }

    /// <summary>The IP address of the last delivered message's sender (getmeta "sender").</summary>
    public IPEndPoint? LastSender { get; set; }

    /// <summary>Recent senders by the address a receive fills in: their endpoint and the engine's peer key (<c>ip:port</c> in UTF-8), so a datagram costs no allocation or formatting.</summary>
    public Dictionary<SocketAddress, (IPEndPoint Address, byte[] Key)> Senders { get; } = [];

    public bool Closed { get; set; }

    /// <summary>The next live peering in round-robin order, or null when none is live.</summary>
    public VtxUdpPeeringServer.Client? NextLive()
    {
        if (Live.Count == 0)
            return null;
        _nextLive %= Live.Count;
        return Live[_nextLive++];
    }

    /// <summary>True when a SUB subscription matches the first frame.</summary>
    public bool Matches(ReadOnlySpan<byte> first)
    {
        foreach (var prefix in Subscriptions)
        {
            if (first.StartsWith(prefix))
                return true;
        }
        return false;
    }
}
