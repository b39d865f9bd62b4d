using System;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using Xunit;
using Zproto.Runtime.Zmq;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Tests;

/// <summary>
/// The acceptance scenarios of §5.10 with a plain UDP socket in the test as the peer, all on
/// 127.0.0.1 (broadcast ones on the loopback broadcast address 127.255.255.255).
/// </summary>
public class RawUdpScenarioTests
{
    private const int Rotfl = 0, Ohai = 1, OhaiOk = 2, Hugz = 3, HugzOk = 4, Nom = 5;

    /// <summary>A vocket of <paramref name="type"/> bound on 127.0.0.1 and a raw peer that completed the OHAI handshake.</summary>
    private static (ZmqSocket Socket, IPEndPoint Bound, RawPeer Peer) Handshaken(UdpVtx vtx, VtxSocketType type)
    {
        var socket = vtx.Socket(type);
        var bound = new IPEndPoint(IPAddress.Loopback, vtx.Bind(socket));
        var peer = new RawPeer();
        peer.Send(bound, Nom1.Datagram("10 10", "X:1"));
        var reply = peer.Receive(UdpVtx.Long);
        Assert.NotNull(reply);
        Assert.Equal("1020" + Convert.ToHexString(Encoding.ASCII.GetBytes("X:1")), Nom1.Hex(reply));
        return (socket, bound, peer);
    }

    [Fact]
    public void VX01_OHAI_is_answered_with_OHAI_OK_echoing_the_body()
    {
        using var vtx = new UdpVtx();
        var (socket, _, peer) = Handshaken(vtx, VtxSocketType.Rep);
        using (peer)
            Assert.Equal(1, vtx.LivePeerings(socket));
    }

    [Fact]
    public void VX02_HUGZ_is_answered_with_HUGZ_OK()
    {
        using var vtx = new UdpVtx();
        var (_, bound, peer) = Handshaken(vtx, VtxSocketType.Rep);
        using (peer)
        {
            peer.Send(bound, Nom1.Datagram("10 30"));
            var reply = peer.Receive(UdpVtx.Long);
            Assert.NotNull(reply);
            Assert.Equal(2, reply.Length);
            Assert.Equal(0x10, reply[0]);
            Assert.Equal(HugzOk, Nom1.Command(reply));
        }
    }

    [Fact]
    public void VX03_request_reply_and_a_resent_duplicate_is_answered_again_not_delivered()
    {
        using var vtx = new UdpVtx();
        var (rep, bound, peer) = Handshaken(vtx, VtxSocketType.Rep);
        using (peer)
        {
            peer.Send(bound, Nom1.Datagram("10 51 06", "hello?"));
            Assert.Equal(["hello?"], UdpVtx.Receive(rep));
            UdpVtx.Send(rep, "ack");
            Assert.Equal("10510361636B", Nom1.Hex(peer.Receive(UdpVtx.Long)!));

            peer.Send(bound, Nom1.Datagram("11 51 06", "hello?"));
            Assert.Equal("10510361636B", Nom1.Hex(peer.Receive(UdpVtx.Long)!));
            Assert.Null(UdpVtx.Receive(rep, UdpVtx.Short));

            peer.Send(bound, Nom1.Datagram("10 52 06", "hello?"));
            Assert.Equal(["hello?"], UdpVtx.Receive(rep));
            UdpVtx.Send(rep, "ack2");
            Assert.Equal("1052" + "04" + Convert.ToHexString("ack2"u8), Nom1.Hex(peer.Receive(UdpVtx.Long)!));
        }
    }

    [Fact]
    public void VX03_duplicate_request_before_any_reply_is_dropped_not_asserted()
    {
        using var vtx = new UdpVtx();
        var (rep, bound, peer) = Handshaken(vtx, VtxSocketType.Router);
        using (peer)
        {
            peer.Send(bound, Nom1.Datagram("10 51 01", "a"));
            Assert.Equal("a", UdpVtx.Receive(rep)[1]);
            long dropped = vtx.Driver.Statistics.DatagramsDropped;
            peer.Send(bound, Nom1.Datagram("11 51 01", "a"));
            UdpVtx.WaitUntil(() => vtx.Driver.Statistics.DatagramsDropped == dropped + 1, "the duplicate to be dropped");
            Assert.Null(peer.Receive(UdpVtx.Short));
            Assert.Null(UdpVtx.Receive(rep, UdpVtx.Short));
        }
    }

    [Fact]
    public void VX04_unknown_peer_and_garbage_are_dropped()
    {
        using var vtx = new UdpVtx();
        var (rep, bound, peer) = Handshaken(vtx, VtxSocketType.Rep);
        using var stranger = new RawPeer();
        using (peer)
        {
            long dropped = vtx.Driver.Statistics.DatagramsDropped;
            stranger.Send(bound, Nom1.Datagram("10 51 01", "x"));
            peer.Send(bound, Nom1.Datagram("20 10", "X:1"));
            peer.Send(bound, Nom1.Datagram("10 60"));
            peer.Send(bound, Nom1.Datagram("10 51 09", "x")); // the frame runs past the datagram: corrupt
            UdpVtx.WaitUntil(() => vtx.Driver.Statistics.DatagramsDropped == dropped + 4, "four drops");
            Assert.Null(stranger.Receive(UdpVtx.Short));
            Assert.Null(peer.Receive(TimeSpan.Zero));
            Assert.Null(UdpVtx.Receive(rep, UdpVtx.Short));
        }
    }

    [Fact]
    public void VX05_VX06_client_retries_OHAI_then_sends_and_resends_until_answered()
    {
        using var vtx = new UdpVtx();
        using var server = new RawPeer();
        var req = vtx.Socket(VtxSocketType.Req);
        var sinceConnect = System.Diagnostics.Stopwatch.StartNew();
        vtx.Manager.Connect(req, $"udp://127.0.0.1:{server.Port}");
        UdpVtx.Send(req, "hello?");

        // VX-05: OHAIs about every 100 ms, and no NOM before the peering is confirmed. The bounds hold
        // on a loaded machine: a timer never fires early (at most one OHAI per 100 ms since the
        // connect, plus the first), and a starved driver thread still retries a few times a second.
        var first = server.ReceiveFor(TimeSpan.FromSeconds(1));
        Assert.All(first, d => Assert.Equal("1010" + Convert.ToHexString(Encoding.ASCII.GetBytes($"127.0.0.1:{server.Port}")), Nom1.Hex(d)));
        Assert.InRange(first.Count, 3, (int)(sinceConnect.ElapsedMilliseconds / 100) + 1);

        // VX-06: answer; the request goes out, then is resent with the RESEND flag.
        IPEndPoint? client = null;
        Assert.NotNull(server.ReceiveMatching(UdpVtx.Long, d => Nom1.IsCommand(d, Ohai), out client));
        var sinceAnswer = System.Diagnostics.Stopwatch.StartNew();
        server.Send(client!, Nom1.Datagram("10 20", $"127.0.0.1:{server.Port}"));
        Assert.Equal("10510668656C6C6F3F", Nom1.Hex(server.ReceiveMatching(UdpVtx.Long, d => Nom1.IsCommand(d, Nom))!));
        var resends = server.ReceiveFor(TimeSpan.FromMilliseconds(700)).Where(d => Nom1.IsCommand(d, Nom)).ToList();
        Assert.InRange(resends.Count, 1, (int)(sinceAnswer.ElapsedMilliseconds / 200) + 1); // every 200 ms, never sooner
        Assert.All(resends, d => Assert.Equal("11510668656C6C6F3F", Nom1.Hex(d)));

        server.Send(client!, Nom1.Datagram("10 51 03", "ack"));
        Assert.Equal(["ack"], UdpVtx.Receive(req));
        server.ReceiveFor(TimeSpan.FromMilliseconds(100)); // a resend may have crossed the reply
        Assert.DoesNotContain(server.ReceiveFor(TimeSpan.FromMilliseconds(500)), d => Nom1.IsCommand(d, Nom));

        server.Send(client!, Nom1.Datagram("10 51 03", "ack"));
        Assert.Null(UdpVtx.Receive(req, UdpVtx.Short));
    }

    [Fact]
    public void VX07_VX08_broadcast_connect_focuses_on_the_answer_and_unfocuses_when_it_dies()
    {
        using var vtx = new UdpVtx(new UdpDriverOptions { PeerTimeout = TimeSpan.FromMilliseconds(900) });
        using var listener = new RawPeer(new IPEndPoint(IPAddress.Any, 0)); // receives the loopback broadcast
        using var server = new RawPeer();
        var req = vtx.Socket(VtxSocketType.Req);
        vtx.Manager.Connect(req, $"udp://*:{listener.Port}");
        UdpVtx.Send(req, "hello?");

        var ohai = listener.ReceiveMatching(UdpVtx.Long, d => Nom1.IsCommand(d, Ohai), out var client);
        Assert.NotNull(ohai);
        Assert.Equal($"*:{listener.Port}", Nom1.Body(ohai));
        server.Send(client!, Nom1.Datagram("10 20", $"*:{listener.Port}"));
        Assert.Equal("10510668656C6C6F3F", Nom1.Hex(server.ReceiveMatching(UdpVtx.Long, d => Nom1.IsCommand(d, Nom))!));

        // VX-08: the server goes silent; after the timeout the client broadcasts OHAIs again.
        listener.ReceiveFor(TimeSpan.FromMilliseconds(50));
        var again = listener.ReceiveMatching(UdpVtx.Long, d => Nom1.IsCommand(d, Ohai));
        Assert.NotNull(again);
        Assert.Equal($"*:{listener.Port}", Nom1.Body(again));
    }

    [Fact]
    public void VX08_an_incoming_peering_silent_for_the_timeout_is_destroyed()
    {
        // Long enough that a test thread stalled by a loaded machine does not see the second peering expire too.
        using var vtx = new UdpVtx(new UdpDriverOptions { PeerTimeout = TimeSpan.FromMilliseconds(1500) });
        var (pull, bound, peer) = Handshaken(vtx, VtxSocketType.Pull);
        using (peer)
        {
            UdpVtx.WaitUntil(() => vtx.LivePeerings(pull) == 0, "the peering to expire");
            peer.Send(bound, Nom1.Datagram("10 51 01", "x"));
            Assert.Null(UdpVtx.Receive(pull, UdpVtx.Short));
            peer.Send(bound, Nom1.Datagram("10 10", "X:1"));
            Assert.Equal(OhaiOk, Nom1.Command(peer.ReceiveMatching(UdpVtx.Long, d => Nom1.IsCommand(d, OhaiOk))!));
            peer.Send(bound, Nom1.Datagram("10 51 01", "y"));
            Assert.Equal(["y"], UdpVtx.Receive(pull));
        }
    }

    [Fact]
    public void VX09_idle_peers_exchange_HUGZ_and_never_expire()
    {
        // A 3 s timeout scales the 10 s original down: HUGZ after 1 s of silence, with room for a
        // loaded machine to stall the answering test thread without the peering expiring.
        using var vtx = new UdpVtx(new UdpDriverOptions { PeerTimeout = TimeSpan.FromSeconds(3) });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (pull, bound, peer) = Handshaken(vtx, VtxSocketType.Pull);
        using (peer)
        {
            int hugz = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(6))
            {
                if (peer.Receive(TimeSpan.FromMilliseconds(100)) is { } d && Nom1.IsCommand(d, Hugz))
                {
                    hugz++;
                    peer.Send(bound, Nom1.Datagram("10 40"));
                }
            }
            // At most one HUGZ per second of silence since the peering came up; a few even when stalled.
            Assert.InRange(hugz, 3, (int)clock.Elapsed.TotalSeconds);
            Assert.Equal(1, vtx.LivePeerings(pull));
            peer.Send(bound, Nom1.Datagram("10 51 01", "z")); // no new OHAI needed
            Assert.Equal(["z"], UdpVtx.Receive(pull));
        }
    }

    [Fact]
    public void VX10_a_full_PAIR_answers_a_second_OHAI_with_ROTFL()
    {
        using var vtx = new UdpVtx();
        var (pair, bound, peer) = Handshaken(vtx, VtxSocketType.Pair);
        using var second = new RawPeer();
        using (peer)
        {
            second.Send(bound, Nom1.Datagram("10 10", "Y:2"));
            var rotfl = second.Receive(UdpVtx.Long);
            Assert.NotNull(rotfl);
            Assert.Equal("1000" + Convert.ToHexString("Max peerings reached for socket"u8), Nom1.Hex(rotfl));
            second.Send(bound, Nom1.Datagram("10 51 01", "x"));
            Assert.Null(UdpVtx.Receive(pair, UdpVtx.Short));
            Assert.Equal(1, vtx.LivePeerings(pair));
        }
    }

    [Fact]
    public void ROTFL_closes_the_peering_as_the_notes_intend()
    {
        using var vtx = new UdpVtx();
        using var server = new RawPeer();
        var pair = vtx.Socket(VtxSocketType.Pair);
        vtx.Manager.Connect(pair, $"udp://127.0.0.1:{server.Port}");
        Assert.NotNull(server.ReceiveMatching(UdpVtx.Long, d => Nom1.IsCommand(d, Ohai), out var client));
        server.Send(client!, Nom1.Datagram("10 00", "go away"));
        // Once the driver has read the ROTFL, only OHAIs sent before it can still arrive.
        UdpVtx.WaitUntil(() => vtx.Driver.Statistics.DatagramsReceived >= 1, "the ROTFL to be read");
        server.ReceiveFor(TimeSpan.FromMilliseconds(150)); // an OHAI may have been in flight
        Assert.Empty(server.ReceiveFor(TimeSpan.FromMilliseconds(400)));
        Assert.Equal(0, vtx.LivePeerings(pair));
    }

    [Fact]
    public void VX11_ROUTER_prefixes_the_identity_and_routes_by_it()
    {
        using var vtx = new UdpVtx();
        var (router, bound, peer) = Handshaken(vtx, VtxSocketType.Router);
        using (peer)
        {
            peer.Send(bound, Nom1.Datagram("10 51 02", "hi"));
            string identity = $"udp://127.0.0.1:{peer.Port}";
            Assert.Equal([identity, "hi"], UdpVtx.Receive(router));
            UdpVtx.Send(router, identity, "yo");
            Assert.Equal("10510279" + "6F", Nom1.Hex(peer.Receive(UdpVtx.Long)!));
            UdpVtx.WaitUntil(() => vtx.Driver.Statistics.DatagramsSent == 2, "OHAI-OK and NOM to be counted");
            UdpVtx.Send(router, "udp://127.0.0.9:1", "lost"); // no peering with that address
            UdpVtx.Send(router, $"tcp://127.0.0.1:{peer.Port}", "lost");
            UdpVtx.Send(router, identity, "found");
            Assert.Equal("Found", "F" + Nom1.Body(peer.Receive(UdpVtx.Long)!)[2..]);
            // Sends are counted in order, so once "found" is counted the two before it were dropped.
            UdpVtx.WaitUntil(() => vtx.Driver.Statistics.DatagramsSent >= 3, "the NOM to be counted");
            Assert.Equal(3, vtx.Driver.Statistics.DatagramsSent);
        }
    }

    [Fact]
    public void VX12_PUB_does_not_deliver_incoming_NOMs_and_SUB_cannot_send()
    {
        using var vtx = new UdpVtx();
        var (pub, bound, peer) = Handshaken(vtx, VtxSocketType.Pub);
        using (peer)
        {
            long dropped = vtx.Driver.Statistics.DatagramsDropped;
            peer.Send(bound, Nom1.Datagram("10 51 01", "x"));
            UdpVtx.WaitUntil(() => vtx.Driver.Statistics.DatagramsDropped == dropped + 1, "the NOM to be dropped");
            Assert.Null(UdpVtx.Receive(pub, UdpVtx.Short));
        }
        var (sub, _, subPeer) = Handshaken(vtx, VtxSocketType.Sub);
        using (subPeer)
        {
            UdpVtx.Send(sub, "not allowed");
            Assert.Null(subPeer.Receive(UdpVtx.Short));
        }
    }

    [Fact]
    public void VX13_over_long_messages_are_not_sent_and_the_FE_form_round_trips()
    {
        using var vtx = new UdpVtx();
        var (dealer, bound, peer) = Handshaken(vtx, VtxSocketType.Dealer);
        using (peer)
        {
            var big = new byte[300];
            Random.Shared.NextBytes(big);
            dealer.SendMultipart([(ReadOnlyMemory<byte>)"a"u8.ToArray(), ReadOnlyMemory<byte>.Empty, big]);
            var datagram = peer.Receive(UdpVtx.Long);
            Assert.NotNull(datagram);
            Assert.Equal("016100FE012C", Convert.ToHexString(datagram, 2, 6));
            Assert.Equal(big, datagram[8..]);

            dealer.SendMultipart([(ReadOnlyMemory<byte>)new byte[509]]); // 2 + 3 + 509 = 514 octets
            dealer.SendMultipart([(ReadOnlyMemory<byte>)new byte[507]]); // 2 + 3 + 507 = 512 octets: fits
            var fits = peer.Receive(UdpVtx.Long);
            Assert.Equal(512, fits!.Length);

            // The peer's 3-frame message arrives intact.
            peer.Send(bound, datagram);
            var frames = new System.Collections.Generic.List<byte[]>();
            Assert.True(dealer.TryReceiveMultipart(frames));
            Assert.Equal(3, frames.Count);
            Assert.Equal(big, frames[2]);
        }
    }
}
