using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Servers;

namespace Zproto.Vtx.Udp;

/// <summary>
/// The actions of models/vtx_udp_request_server.xml. A REQ vocket runs one instance on the udp driver's
/// thread; its clients are the REQ's side of each peering it sent on, and their NOMs go out through
/// that peering (<see cref="VtxUdpPeeringServer.Transmit"/>).
/// </summary>
public sealed partial class VtxUdpRequestServer : IDatagramTransport<VtxUdpRequestServer.Client>
{
    private const int MaxDatagram = VtxNom1.MaxSize;
    private UdpDriver? _driver;
    private Vocket? _vocket;
    private int _nextKey;

    /// <summary>The REQ side of one peering: the request in flight and the reply that answers it.</summary>
    public sealed partial class Client
    {
        /// <summary>The peering the requests go to.</summary>
        internal VtxUdpPeeringServer.Client Peering { get; set; } = null!;

        /// <summary>The frames of the request the application just sent (the request event's argument).</summary>
        internal IReadOnlyList<ReadOnlyMemory<byte>> Frames { get; set; } = [];

        /// <summary>The outstanding request, resent until answered.</summary>
        internal VtxNom1.Nom? Outstanding { get; set; }

        /// <summary>The NOM the reply event carries.</summary>
        internal VtxNom1.Nom? Reply { get; set; }
    }

    /// <summary>Starts this REQ vocket's machine on <paramref name="driver"/>'s thread.</summary>
    internal void Attach(UdpDriver driver, Vocket vocket)
    {
        _driver = driver;
        _vocket = vocket;
        StartOnDatagrams(driver, this);
    }

    /// <summary>
    /// The application sent <paramref name="frames"/> and round-robin picked <paramref name="peering"/>;
    /// false (logged) when the request cannot be one datagram.
    /// </summary>
    internal void Request(VtxUdpPeeringServer.Client peering, IReadOnlyList<ReadOnlyMemory<byte>> frames)
    {
        if (VtxNom1.GetEncodedLength(new VtxNom1.Nom { Content = frames }) > MaxDatagram)
        {
            Logger.LogWarning("W: over-long message dropped ({Frames} frames)", frames.Count);
            return;
        }
        var client = peering.Requests;
        if (client is null || client.Terminated)
        {
            var key = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(key, ++_nextKey);
            client = OpenClient(key);
            client.Peering = peering;
            client.LogPrefix = peering.Key;
            peering.Requests = client;
        }
        client.Frames = frames;
        SendEvent(client, Event.Request);
    }

    /// <summary>A NOM on the peering: a reply, or a duplicate of the last one (same sequence).</summary>
    internal void Answer(VtxUdpPeeringServer.Client peering, VtxNom1.Nom nom, bool duplicate)
    {
        if (peering.Requests is not { } client)
        {
            // No request was ever sent on this peering: a stray reply is delivered, as in the original.
            if (!duplicate)
                _driver!.DeliverNom(_vocket!, peering, nom);
            return;
        }
        client.Reply = nom;
        SendEvent(client, duplicate ? Event.DuplicateReply : Event.Reply);
    }

    /// <summary>The resend timer: every outstanding request goes out again.</summary>
    internal void ResendAll()
    {
        foreach (var client in new List<Client>(Clients))
        {
            if (client.State == State.Waiting && client.Peering.Alive)
                SendEvent(client, Event.Resend);
        }
    }

    /// <summary>The peering closed: its request machine ends.</summary>
    internal void Close(Client client) => SendEvent(client, Event.Close);

    /// <summary>NOMs go out through the peering, which keeps its heartbeat and closes on a fatal error.</summary>
    void IDatagramTransport<Client>.Send(Client client, ReadOnlySpan<byte> datagram) =>
        _vocket!.Peerings.Transmit(client.Peering, datagram);

    // ---- actions ---------------------------------------------------------------------------------

    private partial void NextSequence(Client client) =>
        client.Peering.SendSeq = (byte)((client.Peering.SendSeq + 1) & 0x0F);

    private partial void StoreRequest(Client client)
    {
        client.Outstanding = new VtxNom1.Nom { Sequence = client.Peering.SendSeq, Content = client.Frames };
        client.Frames = [];
    }

    private partial VtxNom1.Nom ComposeNom(Client client) => client.Outstanding!;

    /// <summary>A resend carries the RESEND flag (byte 0 = <c>11</c>).</summary>
    private partial void FlagResend(Client client) => client.Outstanding = client.Outstanding! with { Resend = true };

    /// <summary>The application holds a DEALER, so a second send while one is outstanding is refused, not blocked.</summary>
    private partial void RefuseRequest(Client client)
    {
        client.Frames = [];
        Logger.LogWarning("E: illegal send() without recv() from REQ socket");
    }

    private partial void ClearRequest(Client client) => client.Outstanding = null;

    private partial void DeliverReply(Client client)
    {
        var reply = client.Reply!;
        client.Reply = null;
        _driver!.DeliverNom(_vocket!, client.Peering, reply);
    }
}
