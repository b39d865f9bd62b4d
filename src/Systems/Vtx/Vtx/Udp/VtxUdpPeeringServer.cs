using System;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Servers;

namespace Zproto.Vtx.Udp;

/// <summary>
/// The actions of models/vtx_udp_peering_server.xml and its datagram transport. One instance per vocket
/// runs on the udp driver's thread (not a thread of its own); its clients are the vocket's peerings,
/// keyed by the peer's <c>ip:port</c> (or the connect address until focused).
/// </summary>
public sealed partial class VtxUdpPeeringServer : IDatagramTransport<VtxUdpPeeringServer.Client>
{
    /// <summary>Text of the ROTFL a full vocket answers an OHAI with.</summary>
    internal const string MaxPeeringsReason = "Max peerings reached for socket";

    private UdpDriver? _driver;
    private Vocket? _vocket;
    private IPEndPoint? _source;

    /// <summary>One peering: where its datagrams go, its liveness and its sequences (§5.5, §5.6).</summary>
    public sealed partial class Client
    {
        /// <summary>The key: the remote <c>ip:port</c>, or as connected (<c>host:port</c>, <c>*:port</c>) until focused.</summary>
        internal string Key { get; set; } = "";

        private IPEndPoint _address = new(IPAddress.Loopback, 0);

        /// <summary>Where datagrams for this peering go.</summary>
        internal IPEndPoint Address
        {
            get => _address;
            set
            {
                _address = value;
                SocketAddress = value.Serialize();
            }
        }

        /// <summary><see cref="Address"/> serialized once, so that a send does not serialize (and allocate) it again.</summary>
        internal SocketAddress SocketAddress { get; private set; } = new IPEndPoint(IPAddress.Loopback, 0).Serialize();

        /// <summary>The key and address given at connect, which an unfocus returns to.</summary>
        internal string ConnectKey { get; set; } = "";

        internal IPEndPoint ConnectAddress { get; set; } = new(IPAddress.Loopback, 0);

        /// <summary>Created by a connect (retries, survives expiry), not by an OHAI.</summary>
        internal bool Outgoing { get; set; }

        /// <summary>Connected to <c>*:port</c>: unfocused back to broadcast when it dies.</summary>
        internal bool Broadcast { get; set; }

        /// <summary>Raised and not lowered: in the vocket's live list.</summary>
        internal bool Alive { get; set; }

        /// <summary>When a HUGZ is due if we send nothing else (monotonic ms).</summary>
        internal long Silent { get; set; }

        /// <summary>Our 4-bit send sequence.</summary>
        internal byte SendSeq { get; set; }

        /// <summary>The sequence of the last NOM received; -1 before the first (the original started at 0).</summary>
        internal int RecvSeq { get; set; } = -1;

        /// <summary>The last reply sent on this peering, sent again for a duplicate request.</summary>
        internal byte[]? Reply { get; set; }

        /// <summary>A REQ vocket's request machine on this peering, once the application sent on it.</summary>
        internal VtxUdpRequestServer.Client? Requests { get; set; }

        /// <inheritdoc />
        public override string ToString() => Key;
    }

    private UdpDriver Driver => _driver!;

    private Vocket Vocket => _vocket!;

    /// <summary>Starts this vocket's machine on <paramref name="driver"/>'s thread, over its UDP sockets.</summary>
    internal void Attach(UdpDriver driver, Vocket vocket)
    {
        _driver = driver;
        _vocket = vocket;
        StartOnDatagrams(driver, this);
    }

    /// <summary>The number of peerings (live or not).</summary>
    internal int Count => ClientCount;

    /// <summary>Every peering (owner thread only; copy before raising events).</summary>
    internal System.Collections.Generic.IEnumerable<Client> All => Clients;

    internal static byte[] KeyOf(string key) => Encoding.UTF8.GetBytes(key);

    /// <summary>The peering keyed <paramref name="key"/>, or null.</summary>
    internal Client? Find(string key) => FindClient(KeyOf(key));

    /// <summary>The peering keyed <paramref name="key"/> (the engine's key bytes), or null.</summary>
    internal Client? Find(byte[] key) => FindClient(key);

    /// <summary>Creates an outgoing peering and raises its connect.</summary>
    internal void Connect(string key, IPEndPoint address, bool broadcast)
    {
        var client = OpenClient(KeyOf(key));
        client.Key = client.ConnectKey = key;
        client.Address = client.ConnectAddress = address;
        client.Outgoing = true;
        client.Broadcast = broadcast;
        SendEvent(client, Event.Connect);
    }

    /// <summary>Runs one datagram from <paramref name="from"/> through the engine, as peer <paramref name="key"/>.</summary>
    internal DatagramOutcome Receive(byte[] key, IPEndPoint from, byte[] datagram)
    {
        _source = from;
        try
        {
            return ReceiveDatagram(key, datagram);
        }
        finally
        {
            _source = null;
        }
    }

    /// <summary>Raises a driver event (monitor, silent, close) on a peering.</summary>
    internal void Raise(Client client, Event @event) => SendEvent(client, @event);

    /// <summary>Only an OHAI opens a peering; anything else from a stranger is dropped by the driver.</summary>
    protected override bool AdmitsNewClient(byte[] peer, VtxNom1.Message message) => message is VtxNom1.Ohai;

    /// <inheritdoc />
    protected override void OnClientCreated(Client client)
    {
        if (client.Key.Length == 0 && _source is { } from)
        {
            // An incoming peering: its first OHAI's sender.
            client.Key = client.ConnectKey = from.ToString();
            client.Address = client.ConnectAddress = from;
        }
        client.LogPrefix = client.Key;
    }

    /// <inheritdoc />
    protected override void OnClientDestroyed(Client client)
    {
        if (client.Request is VtxNom1.Rotfl rotfl)
            Logger.LogWarning("W: peering {Key} refused: {Reason}", client.Key, rotfl.Reason);
        LowerPeering(client);
        if (client.Requests is { } requests)
            Vocket.Requests?.Close(requests);
    }

    /// <summary>Sends one datagram to the peering; a send pushes its heartbeat back, a fatal error closes it.</summary>
    void IDatagramTransport<Client>.Send(Client client, ReadOnlySpan<byte> datagram) => Transmit(client, datagram);

    /// <summary>Sends one datagram to <paramref name="client"/>'s peer (the request machine's NOMs come here too).</summary>
    internal void Transmit(Client client, ReadOnlySpan<byte> datagram)
    {
        if (Driver.SendTo(Vocket, client, datagram))
            client.Silent = UdpDriver.Clock + Driver.Heartbeat;
        else if (!client.Terminated)
            SendEvent(client, Event.Close);
    }

    // ---- actions ---------------------------------------------------------------------------------

    private partial VtxNom1.Ohai ComposeOhai(Client client) => new() { Address = client.Key };

    private partial VtxNom1.OhaiOk ComposeOhaiOk(Client client, VtxNom1.Ohai request) => new() { Address = request.Address };

    private partial VtxNom1.Rotfl ComposeRotfl(Client client) => new() { Reason = MaxPeeringsReason };

    /// <summary>A first OHAI at a vocket that already has its maximum of peerings (this one counted) is refused.</summary>
    private partial void CheckPeeringLimit(Client client, VtxNom1.Ohai request)
    {
        if (ClientCount > Vocket.Config.MaxPeerings)
            RaiseException(client, Event.PeeringLimit);
    }

    /// <summary>Silence means lost, not dead, for a peering we connected: it goes back to OHAI retries.</summary>
    private partial void CheckOutgoing(Client client)
    {
        if (client.Outgoing)
            RaiseException(client, Event.Lost);
    }

    private partial void RaisePeering(Client client)
    {
        if (!client.Alive)
        {
            client.Alive = true;
            Vocket.Live.Add(client);
        }
        Driver.Drain(Vocket);
    }

    private partial void LowerPeering(Client client)
    {
        if (client.Alive)
        {
            client.Alive = false;
            Vocket.Live.Remove(client);
        }
        if (Vocket.ReplyTo == client)
            Vocket.ReplyTo = null;
    }

    /// <summary>The peering answered from another address than its key: key and address become the real ones.</summary>
    private partial void FocusPeering(Client client, VtxNom1.OhaiOk request)
    {
        if (_source is not { } from)
            return;
        string key = from.ToString();
        // Two connects that turn out to reach one server: the peering already there keeps the address.
        if (client.Key == key || !RekeyClient(client, KeyOf(key)))
            return;
        client.Key = client.LogPrefix = key;
        client.Address = from;
    }

    /// <summary>A dead broadcast peering goes back to discovery by broadcast.</summary>
    private partial void UnfocusPeering(Client client)
    {
        if (!client.Broadcast || client.Key == client.ConnectKey || !RekeyClient(client, KeyOf(client.ConnectKey)))
            return;
        client.Key = client.LogPrefix = client.ConnectKey;
        client.Address = client.ConnectAddress;
    }

    private partial void ReceiveNom(Client client, VtxNom1.Nom request) => Driver.ReceiveNom(Vocket, client, request);
}
