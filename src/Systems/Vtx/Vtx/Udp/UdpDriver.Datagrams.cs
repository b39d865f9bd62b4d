using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Servers;

namespace Zproto.Vtx.Udp;

public sealed partial class UdpDriver
{
    private const int SenderKeyCacheLimit = 1024;
    private static readonly IPEndPoint s_anyEndPoint = new(IPAddress.Any, 0);

    /// <summary>
    /// A datagram arrived on one of <paramref name="vocket"/>'s sockets: the driver's checks (size, the
    /// loss hook, which peering it belongs to), then the vocket's generated peering machine runs it.
    /// </summary>
    private void OnDatagram(Vocket vocket, IPEndPoint from, byte[] keyBytes, byte[] datagram)
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
        if (vocket.Peerings.Find(keyBytes) is null && VtxNom1.TryDecode(datagram, out var message, out _)
            && message is VtxNom1.OhaiOk ok && vocket.Peerings.Find(VtxUdpPeeringServer.KeyOf(ok.Address)) is not null)
        {
            // An answer from another address than we asked: a broadcast reply, or a server answering
            // from its output socket. The body names the peering we asked for, which then focuses.
            keyBytes = VtxUdpPeeringServer.KeyOf(ok.Address);
        }
        switch (vocket.Peerings.Receive(keyBytes, from, datagram))
        {
            case DatagramOutcome.Malformed:
                Drop("malformed datagram", from);
                break;
            case DatagramOutcome.Refused:
                Drop("not an OHAI from an unknown peer", from);
                break;
            case DatagramOutcome.Overloaded:
                Drop("peering mailboxes full", from);
                break;
        }
    }

    /// <summary>
    /// The sender's endpoint and peer key for the address a receive filled in, from a cache bounded so
    /// that a flood from many ports cannot grow it.
    /// </summary>
    private static (IPEndPoint Address, byte[] Key) SenderOf(Vocket vocket, SocketAddress received)
    {
        if (vocket.Senders.TryGetValue(received, out var sender))
            return sender;
        if (vocket.Senders.Count >= SenderKeyCacheLimit)
            vocket.Senders.Clear();
        var copy = new SocketAddress(received.Family, received.Size);
        received.Buffer.CopyTo(copy.Buffer);
        var address = (IPEndPoint)s_anyEndPoint.Create(copy);
        sender = (address, VtxUdpPeeringServer.KeyOf(address.ToString()));
        vocket.Senders.Add(copy, sender);
        return sender;
    }

    /// <summary>The monitor tick (§5.5 "Liveness"): OHAI retries, and HUGZ where we have been silent. Expiry is the engine's.</summary>
    private void OnMonitor()
    {
        long now = Now;
        foreach (var vocket in new List<Vocket>(_vockets.Values))
        {
            foreach (var peering in new List<VtxUdpPeeringServer.Client>(vocket.Peerings.All))
            {
                if (peering.Terminated)
                    continue;
                vocket.Peerings.Raise(peering, peering.Alive && now > peering.Silent
                    ? VtxUdpPeeringServer.Event.Silent
                    : VtxUdpPeeringServer.Event.Monitor);
            }
        }
        ScheduleAt(now + (long)_options.OhaiInterval.TotalMilliseconds, OnMonitor);
    }

    /// <summary>The resend timer: the "resend" event of models/vtx_udp_request_server.xml for every outstanding request.</summary>
    private void OnResendTimer()
    {
        foreach (var vocket in new List<Vocket>(_vockets.Values))
            vocket.Requests?.ResendAll();
        ScheduleAt(Now + (long)_options.ResendInterval.TotalMilliseconds, OnResendTimer);
    }

    private void Drop(string reason, IPEndPoint from)
    {
        Statistics.Dropped();
        Logger.LogDebug("W: dropped datagram from {From}: {Reason}", from, reason);
    }
}
