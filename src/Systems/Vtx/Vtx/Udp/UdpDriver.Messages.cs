using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using Zproto.Wire;

namespace Zproto.Vtx.Udp;

public sealed partial class UdpDriver
{
    private const string RouterIdentityPrefix = "udp://";
    private const byte ResendFlag = 0x01;

    /// <inheritdoc />
    protected override void OnApplicationMessage(int id, List<byte[]> frames)
    {
        if (!_vockets.TryGetValue(id, out var vocket))
            return;
        if (vocket.Outbox.Count == 0 && Ready(vocket))
        {
            Route(vocket, frames); // the common case: straight out, no copy into the outbox
            return;
        }
        if (vocket.Outbox.Count >= _options.OutboxLimit)
        {
            Logger.LogWarning("W: {Type} socket's outgoing queue is full; message dropped", vocket.Type);
            Statistics.Unsent();
            return;
        }
        vocket.Outbox.Enqueue([.. frames]);
        Drain(vocket);
    }

    /// <summary>Sends queued application messages while the vocket has its minimum of live peerings (§5.2).</summary>
    internal void Drain(Vocket vocket)
    {
        while (vocket.Outbox.Count > 0 && Ready(vocket))
            Route(vocket, vocket.Outbox.Dequeue());
    }

    private static bool Ready(Vocket vocket) => vocket.Live.Count >= vocket.Config.MinPeerings && !vocket.Closed;

    /// <summary>Routes one application message by the vocket's routing rule (§5.3, §5.6); <paramref name="frames"/> is not kept.</summary>
    private void Route(Vocket vocket, List<byte[]> frames)
    {
        switch (vocket.Config.Routing)
        {
            case Routing.Request:
                if (vocket.NextLive() is { } next)
                    vocket.Requests!.Request(next, frames.ConvertAll(static frame => (ReadOnlyMemory<byte>)frame));
                break;
            case Routing.Reply:
                if (vocket.ReplyTo is { Alive: true } replyTo)
                {
                    SendReply(vocket, replyTo, frames, 0);
                    vocket.ReplyTo = null;
                }
                else
                {
                    Logger.LogWarning("E: illegal send() without recv() on REP socket");
                }
                break;
            case Routing.Router:
                RouteByIdentity(vocket, frames);
                break;
            case Routing.Dealer:
                if (vocket.NextLive() is { } peer)
                    SendReply(vocket, peer, frames, 0);
                break;
            case Routing.Publish:
                Publish(vocket, frames);
                break;
            case Routing.Single:
                if (vocket.Live.Count > 0)
                    SendReply(vocket, vocket.Live[0], frames, 0);
                break;
            default:
                Logger.LogWarning("W: send() not allowed on a {Type} socket; message dropped", vocket.Type);
                break;
        }
    }

    /// <summary>A send on a REP, ROUTER, DEALER, PUSH or PAIR: it echoes the last received sequence and is kept for re-answering duplicates.</summary>
    private void SendReply(Vocket vocket, VtxUdpPeeringServer.Client peering, List<byte[]> frames, int start)
    {
        byte seq = (byte)(Math.Max(0, peering.RecvSeq) & 0x0F);
        if (EncodeNom(frames, start, seq) is not { } datagram)
            return;
        peering.SendSeq = seq;
        peering.Reply = datagram;
        vocket.Peerings.Transmit(peering, datagram);
    }

    private void RouteByIdentity(Vocket vocket, List<byte[]> frames)
    {
        string identity = Encoding.UTF8.GetString(frames[0]);
        if (frames.Count < 2 || !identity.StartsWith(RouterIdentityPrefix, StringComparison.Ordinal)
            || vocket.Peerings.Find(identity[RouterIdentityPrefix.Length..]) is not { Alive: true } peering)
        {
            Logger.LogWarning("W: no route to {Identity}; message dropped", identity);
            return;
        }
        SendReply(vocket, peering, frames, 1);
    }

    private void Publish(Vocket vocket, List<byte[]> frames)
    {
        if (vocket.Live.Count == 0)
            return;
        if (EncodeNom(frames, 0, 0) is not { } datagram)
            return;
        foreach (var peering in vocket.Live.ToList())
        {
            datagram[1] = (byte)((datagram[1] & 0xF0) | peering.SendSeq);
            vocket.Peerings.Transmit(peering, datagram);
        }
    }

    /// <summary>Encodes frames <paramref name="start"/>.. as a NOM; null (logged) when it exceeds the 512-octet datagram.</summary>
    private byte[]? EncodeNom(List<byte[]> frames, int start, byte seq)
    {
        var content = new ReadOnlyMemory<byte>[frames.Count - start];
        for (int i = start; i < frames.Count; i++)
            content[i - start] = frames[i];
        var nom = new VtxNom1.Nom { Sequence = seq, Content = content };
        try
        {
            var datagram = new byte[VtxNom1.GetEncodedLength(nom)];
            VtxNom1.Encode(nom, datagram);
            return datagram;
        }
        catch (EncodeException)
        {
            Logger.LogWarning("W: over-long message dropped ({Frames} frames)", content.Length);
            return null;
        }
    }

    /// <summary>A NOM on a live peering: duplicate detection (§5.6), then delivery by socket type (§5.3).</summary>
    internal void ReceiveNom(Vocket vocket, VtxUdpPeeringServer.Client peering, VtxNom1.Nom nom)
    {
        var content = nom.Content ?? [];
        if (!vocket.Config.Incoming || content.Count == 0)
        {
            Drop(vocket.Config.Incoming ? "empty NOM" : "unexpected NOM", peering.Address);
            return;
        }
        switch (vocket.Type)
        {
            case VtxSocketType.Req:
                // models/vtx_udp_request_server.xml decides: a "duplicate reply" (the last received
                // sequence) is dropped in either state, a "reply" clears the request and is delivered.
                bool duplicate = nom.Sequence == peering.RecvSeq;
                if (duplicate)
                    Drop("duplicate reply", peering.Address);
                vocket.Requests!.Answer(peering, nom, duplicate);
                return;
            case VtxSocketType.Rep or VtxSocketType.Router or VtxSocketType.Dealer:
                // Any non-zero flags, as the original's `flags && RESEND` tests.
                if ((nom.Resend || nom.Flags != 0) && nom.Sequence == peering.RecvSeq)
                {
                    if (peering.Reply is { } reply)
                        vocket.Peerings.Transmit(peering, reply);
                    else
                        Drop("duplicate request before any reply", peering.Address); // the original asserted here
                    return;
                }
                if (vocket.Type == VtxSocketType.Rep)
                    vocket.ReplyTo = peering;
                break;
            case VtxSocketType.Sub:
                if (!vocket.Matches(content[0].Span))
                {
                    Drop("no matching subscription", peering.Address);
                    return;
                }
                break;
        }
        DeliverNom(vocket, peering, nom);
    }

    /// <summary>Passes a NOM's frames to the application (ROUTER: behind the sender's identity).</summary>
    internal void DeliverNom(Vocket vocket, VtxUdpPeeringServer.Client peering, VtxNom1.Nom nom)
    {
        var content = nom.Content ?? [];
        peering.RecvSeq = nom.Sequence;
        vocket.LastSender = peering.Address;
        IReadOnlyList<ReadOnlyMemory<byte>> frames = vocket.Type == VtxSocketType.Router
            ? [Encoding.UTF8.GetBytes(RouterIdentityPrefix + peering.Key), .. content]
            : content;
        if (Deliver(vocket.Id, frames))
            Statistics.Delivered();
        else
            Drop("application queue full", peering.Address);
    }
}
