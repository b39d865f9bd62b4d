using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Zproto.Vtx.Udp;

public sealed partial class UdpDriver
{
    /// <summary>Text of the ROTFL a full vocket answers an OHAI with.</summary>
    internal const string MaxPeeringsReason = "Max peerings reached for socket";

    /// <summary>A datagram arrived on one of <paramref name="vocket"/>'s sockets: check it, find its peering, run the event.</summary>
    private void OnDatagram(Vocket vocket, IPEndPoint from, byte[] datagram)
    {
        Statistics.Received();
        if (vocket.Closed)
            return;
        if (datagram.Length > MaxDatagram)
        {
            Drop("over-long message", from);
            return;
        }
        if (_options.DropRate > 0 && _lossRandom.NextDouble() < _options.DropRate)
        {
            Statistics.Lost();
            return;
        }
        if (!VtxNom1.TryDecode(datagram, out var message, out var error))
        {
            Drop(error.Kind == Zproto.Wire.DecodeErrorKind.ConstantMismatch ? "garbage version"
                : error.Kind == Zproto.Wire.DecodeErrorKind.UnknownMessageId ? "garbage command"
                : "corrupt message", from);
            return;
        }

        string key = from.ToString();
        vocket.Peerings.TryGetValue(key, out var peering);
        if (peering is null)
        {
            switch (message)
            {
                case VtxNom1.Ohai:
                    // A first OHAI opens an incoming peering, unless the vocket is full.
                    peering = new UdpPeering(key, from, outgoing: false, broadcast: false);
                    if (vocket.Peerings.Count >= vocket.Config.MaxPeerings)
                    {
                        Handle(vocket, peering, PeeringEvent.PeeringLimit, message);
                        return;
                    }
                    vocket.Peerings.Add(key, peering);
                    break;
                case VtxNom1.OhaiOk ok:
                    // An answer from another address than we asked: a broadcast reply, or a server
                    // answering from its output socket. The body names the peering we asked for.
                    peering = vocket.Peerings.GetValueOrDefault(ok.Address);
                    break;
            }
            if (peering is null)
            {
                Drop($"{message.MessageName} from unknown peer", from);
                return;
            }
        }
        peering.Expiry = Now + _timeout;
        Handle(vocket, peering, EventFor(message), message, from);
    }

    private static PeeringEvent EventFor(VtxNom1.Message message) => message switch
    {
        VtxNom1.Rotfl => PeeringEvent.Rotfl,
        VtxNom1.Ohai => PeeringEvent.Ohai,
        VtxNom1.OhaiOk => PeeringEvent.OhaiOk,
        VtxNom1.Hugz => PeeringEvent.Hugz,
        VtxNom1.HugzOk => PeeringEvent.HugzOk,
        _ => PeeringEvent.Nom,
    };

    /// <summary>
    /// Runs one event of models/vtx_udp_peering_server.xml: each case below is one state's event there, and
    /// each call one of its actions, in the model's order.
    /// </summary>
    private void Handle(Vocket vocket, UdpPeering peering, PeeringEvent @event, VtxNom1.Message? message = null, IPEndPoint? from = null)
    {
        switch (peering.State, @event)
        {
            case (PeeringState.Start, PeeringEvent.Connect):
                SendOhai(vocket, peering);
                peering.State = PeeringState.Connecting;
                break;
            case (PeeringState.Start, PeeringEvent.Ohai):
                SendOhaiOk(vocket, peering, (VtxNom1.Ohai)message!);
                RaisePeering(vocket, peering);
                break;
            case (PeeringState.Start, PeeringEvent.PeeringLimit):
                SendRotfl(vocket, peering, MaxPeeringsReason);
                Terminate(vocket, peering);
                break;

            case (PeeringState.Connecting, PeeringEvent.Monitor):
                SendOhai(vocket, peering);
                break;
            case (PeeringState.Connecting, PeeringEvent.OhaiOk):
                FocusPeering(vocket, peering, from!);
                RaisePeering(vocket, peering);
                break;
            // Any answer but ROTFL confirms the peering: the OHAI-OK may have been lost.
            case (PeeringState.Connecting, PeeringEvent.Ohai):
                SendOhaiOk(vocket, peering, (VtxNom1.Ohai)message!);
                RaisePeering(vocket, peering);
                break;
            case (PeeringState.Connecting, PeeringEvent.Hugz):
                SendHugzOk(vocket, peering);
                RaisePeering(vocket, peering);
                break;
            case (PeeringState.Connecting, PeeringEvent.HugzOk):
                RaisePeering(vocket, peering);
                break;
            case (PeeringState.Connecting, PeeringEvent.Nom):
                RaisePeering(vocket, peering);
                ReceiveNom(vocket, peering, (VtxNom1.Nom)message!);
                break;

            case (PeeringState.Live, PeeringEvent.Ohai):
                SendOhaiOk(vocket, peering, (VtxNom1.Ohai)message!);
                break;
            case (PeeringState.Live, PeeringEvent.OhaiOk or PeeringEvent.HugzOk or PeeringEvent.Monitor):
                break;
            case (PeeringState.Live, PeeringEvent.Hugz):
                SendHugzOk(vocket, peering);
                break;
            case (PeeringState.Live, PeeringEvent.Nom):
                ReceiveNom(vocket, peering, (VtxNom1.Nom)message!);
                break;
            case (PeeringState.Live, PeeringEvent.Silent):
                SendHugz(vocket, peering);
                break;
            case (PeeringState.Live, PeeringEvent.Expired):
                LowerPeering(vocket, peering);
                Terminate(vocket, peering);
                break;
            case (PeeringState.Live, PeeringEvent.Lost):
                LowerPeering(vocket, peering);
                UnfocusPeering(vocket, peering);
                peering.State = PeeringState.Connecting;
                break;

            // The model's "defaults" state: ROTFL closes the peering, as the notes intend (§7 row 11).
            case (PeeringState.Connecting or PeeringState.Live, PeeringEvent.Rotfl):
                Logger.LogWarning("W: peering {Key} refused: {Reason}", peering.Key, ((VtxNom1.Rotfl)message!).Reason);
                LowerPeering(vocket, peering);
                Terminate(vocket, peering);
                break;
            case (PeeringState.Start or PeeringState.Connecting or PeeringState.Live, PeeringEvent.Close):
                LowerPeering(vocket, peering);
                Terminate(vocket, peering);
                break;

            default:
                Drop($"{@event} in state {peering.State}", peering.Address);
                break;
        }
    }

    /// <summary>The monitor tick (§5.5 "Liveness"): OHAI retries, expiry, and HUGZ when we have been silent.</summary>
    private void OnMonitor()
    {
        long now = Now;
        foreach (var vocket in _vockets.Values.ToList())
        {
            foreach (var peering in vocket.Peerings.Values.ToList())
            {
                if (peering.Alive && now > peering.Expiry)
                    Handle(vocket, peering, peering.Outgoing ? PeeringEvent.Lost : PeeringEvent.Expired);
                else if (peering.Alive && now > peering.Silent)
                    Handle(vocket, peering, PeeringEvent.Silent);
                else
                    Handle(vocket, peering, PeeringEvent.Monitor);
            }
        }
        ScheduleAt(now + (long)_options.OhaiInterval.TotalMilliseconds, OnMonitor);
    }

    // ---- Actions of models/vtx_udp_peering_server.xml ---------------------------------------------------

    private void SendOhai(Vocket vocket, UdpPeering peering) =>
        SendCommand(vocket, peering, new VtxNom1.Ohai { Address = peering.Key });

    private void SendOhaiOk(Vocket vocket, UdpPeering peering, VtxNom1.Ohai ohai) =>
        SendCommand(vocket, peering, new VtxNom1.OhaiOk { Address = ohai.Address });

    private void SendHugz(Vocket vocket, UdpPeering peering) =>
        SendCommand(vocket, peering, new VtxNom1.Hugz { Sequence = peering.SendSeq });

    private void SendHugzOk(Vocket vocket, UdpPeering peering) =>
        SendCommand(vocket, peering, new VtxNom1.HugzOk { Sequence = peering.SendSeq });

    private void SendRotfl(Vocket vocket, UdpPeering peering, string reason) =>
        SendCommand(vocket, peering, new VtxNom1.Rotfl { Reason = reason });

    private void SendCommand(Vocket vocket, UdpPeering peering, VtxNom1.Message command)
    {
        int length = VtxNom1.Encode(command, _scratch);
        Send(vocket, peering, _scratch.AsSpan(0, length));
    }

    /// <summary>The peering answered from another address than its key: key and address become the real ones.</summary>
    private void FocusPeering(Vocket vocket, UdpPeering peering, IPEndPoint from)
    {
        string key = from.ToString();
        // Two connects that turn out to reach one server: the peering already there keeps the address.
        if (peering.Key == key || vocket.Peerings.ContainsKey(key))
            return;
        vocket.Peerings.Remove(peering.Key);
        vocket.Peerings.Add(key, peering);
        peering.Key = key;
        peering.Address = from;
    }

    /// <summary>A dead broadcast peering goes back to discovery by broadcast.</summary>
    private static void UnfocusPeering(Vocket vocket, UdpPeering peering)
    {
        if (!peering.Broadcast || peering.Key == peering.ConnectKey)
            return;
        vocket.Peerings.Remove(peering.Key);
        peering.Key = peering.ConnectKey;
        peering.Address = peering.ConnectAddress;
        vocket.Peerings[peering.Key] = peering;
    }

    private void RaisePeering(Vocket vocket, UdpPeering peering)
    {
        if (peering.State == PeeringState.Closed)
            return; // the answer just sent failed fatally and closed it
        peering.State = PeeringState.Live;
        peering.Expiry = Now + _timeout;
        if (!vocket.Live.Contains(peering))
            vocket.Live.Add(peering);
        Drain(vocket);
    }

    private static void LowerPeering(Vocket vocket, UdpPeering peering)
    {
        vocket.Live.Remove(peering);
        if (vocket.ReplyTo == peering)
            vocket.ReplyTo = null;
    }

    private static void Terminate(Vocket vocket, UdpPeering peering)
    {
        peering.State = PeeringState.Closed;
        if (vocket.Peerings.TryGetValue(peering.Key, out var current) && current == peering)
            vocket.Peerings.Remove(peering.Key);
    }

    private void Drop(string reason, IPEndPoint from)
    {
        Statistics.Dropped();
        Logger.LogDebug("W: dropped datagram from {From}: {Reason}", from, reason);
    }
}
