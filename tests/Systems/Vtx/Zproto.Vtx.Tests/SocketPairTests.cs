using System;
using System.Linq;
using Xunit;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Tests;

/// <summary>
/// The seven pairings of the original vtx_test_udp.c (§5.9), with message counts asserted instead of
/// logged; each on ephemeral ports, connect-by-broadcast on the loopback broadcast address.
/// </summary>
public class SocketPairTests
{
    private const int Rounds = 10;

    [Fact]
    public void REQ_connected_by_broadcast_to_bound_REP()
    {
        using var vtx = new UdpVtx();
        var rep = vtx.Socket(VtxSocketType.Rep);
        int port = vtx.Bind(rep, "*");
        var req = vtx.Socket(VtxSocketType.Req);
        vtx.Manager.Connect(req, $"udp://*:{port}");
        for (int i = 0; i < Rounds; i++)
        {
            UdpVtx.Send(req, $"ICANHAZ? {i}");
            Assert.Equal([$"ICANHAZ? {i}"], UdpVtx.Receive(rep));
            UdpVtx.Send(rep, "CHEEZBURGER");
            Assert.Equal(["CHEEZBURGER"], UdpVtx.Receive(req));
        }
        // Counted just after the hand-over, so the last count may trail the last receive a little.
        UdpVtx.WaitUntil(() => vtx.Driver.Statistics.MessagesDelivered >= 2 * Rounds, "the deliveries to be counted");
        Assert.Equal(2 * Rounds, vtx.Driver.Statistics.MessagesDelivered);
    }

    [Fact]
    public void REQ_to_ROUTER_that_echoes_the_identity()
    {
        using var vtx = new UdpVtx();
        var router = vtx.Socket(VtxSocketType.Router);
        int port = vtx.Bind(router);
        var req = vtx.Socket(VtxSocketType.Req);
        vtx.Manager.Connect(req, $"udp://127.0.0.1:{port}");
        for (int i = 0; i < Rounds; i++)
        {
            UdpVtx.Send(req, "ICANHAZ?");
            var request = UdpVtx.Receive(router);
            Assert.StartsWith("udp://127.0.0.1:", request[0], StringComparison.Ordinal);
            Assert.Equal("ICANHAZ?", request[1]);
            UdpVtx.Send(router, request[0], "CHEEZBURGER");
            Assert.Equal(["CHEEZBURGER"], UdpVtx.Receive(req));
        }
    }

    [Fact]
    public void REQ_to_bound_DEALER_that_replies_without_an_envelope()
    {
        using var vtx = new UdpVtx();
        var dealer = vtx.Socket(VtxSocketType.Dealer);
        int port = vtx.Bind(dealer);
        var req = vtx.Socket(VtxSocketType.Req);
        vtx.Manager.Connect(req, $"udp://127.0.0.1:{port}");
        for (int i = 0; i < Rounds; i++)
        {
            UdpVtx.Send(req, "ICANHAZ?");
            Assert.Equal(["ICANHAZ?"], UdpVtx.Receive(dealer));
            UdpVtx.Send(dealer, "CHEEZBURGER");
            Assert.Equal(["CHEEZBURGER"], UdpVtx.Receive(req));
        }
    }

    [Fact]
    public void DEALER_client_sending_non_stop_to_ROUTER()
    {
        using var vtx = new UdpVtx();
        var router = vtx.Socket(VtxSocketType.Router);
        int port = vtx.Bind(router);
        var dealer = vtx.Socket(VtxSocketType.Dealer);
        vtx.Manager.Connect(dealer, $"udp://127.0.0.1:{port}");
        for (int i = 0; i < Rounds; i++)
            UdpVtx.Send(dealer, $"ICANHAZ? {i}");
        for (int i = 0; i < Rounds; i++)
        {
            var request = UdpVtx.Receive(router);
            Assert.Equal($"ICANHAZ? {i}", request[1]);
            UdpVtx.Send(router, request[0], $"CHEEZBURGER {i}");
        }
        var replies = Enumerable.Range(0, Rounds).Select(_ => UdpVtx.Receive(dealer)[0]).ToList();
        Assert.Equal(Enumerable.Range(0, Rounds).Select(i => $"CHEEZBURGER {i}"), replies);
    }

    [Fact]
    public void Bound_PUSH_distributes_round_robin_to_two_PULLs()
    {
        using var vtx = new UdpVtx();
        var push = vtx.Socket(VtxSocketType.Push);
        int port = vtx.Bind(push);
        var pulls = new[] { vtx.Socket(VtxSocketType.Pull), vtx.Socket(VtxSocketType.Pull) };
        foreach (var pull in pulls)
        {
            vtx.Manager.Connect(pull, $"udp://127.0.0.1:{port}");
            vtx.WaitForPeerings(pull, 1);
        }
        vtx.WaitForPeerings(push, 2);
        for (int i = 0; i < 2 * Rounds; i++)
            UdpVtx.Send(push, $"NOM {i:x4}");
        var received = pulls.Select(pull => Enumerable.Range(0, Rounds).Select(_ => UdpVtx.Receive(pull)[0]).ToList()).ToList();
        Assert.All(pulls, pull => Assert.Null(UdpVtx.Receive(pull, UdpVtx.Short)));
        Assert.Equal(Enumerable.Range(0, 2 * Rounds).Select(i => $"NOM {i:x4}"), received.SelectMany(r => r).Order());
    }

    [Fact]
    public void Bound_PUB_delivers_each_message_once_to_each_of_two_SUBs_connected_by_broadcast()
    {
        using var vtx = new UdpVtx();
        var pub = vtx.Socket(VtxSocketType.Pub);
        int port = vtx.Bind(pub, "*");
        var subs = new[] { vtx.Socket(VtxSocketType.Sub), vtx.Socket(VtxSocketType.Sub) };
        foreach (var sub in subs)
        {
            vtx.Manager.Connect(sub, $"udp://*:{port}");
            vtx.Manager.Subscribe(sub, "");
            vtx.WaitForPeerings(sub, 1);
        }
        vtx.WaitForPeerings(pub, 2);
        for (int i = 0; i < Rounds; i++)
            UdpVtx.Send(pub, $"NOM {i}");
        foreach (var sub in subs)
        {
            Assert.Equal(Enumerable.Range(0, Rounds).Select(i => $"NOM {i}"), Enumerable.Range(0, Rounds).Select(_ => UdpVtx.Receive(sub)[0]));
            Assert.Null(UdpVtx.Receive(sub, UdpVtx.Short));
        }
        // Counted just after the hand-over, so the last count may trail the last receive a little.
        UdpVtx.WaitUntil(() => vtx.Driver.Statistics.MessagesDelivered >= 2 * Rounds, "the deliveries to be counted");
        Assert.Equal(2 * Rounds, vtx.Driver.Statistics.MessagesDelivered);
    }

    [Fact]
    public void SUB_filters_by_its_subscriptions_on_receipt()
    {
        using var vtx = new UdpVtx();
        var pub = vtx.Socket(VtxSocketType.Pub);
        int port = vtx.Bind(pub);
        var sub = vtx.Socket(VtxSocketType.Sub);
        vtx.Manager.Connect(sub, $"udp://127.0.0.1:{port}");
        vtx.Manager.Subscribe(sub, "weather.");
        vtx.WaitForPeerings(pub, 1);
        UdpVtx.Send(pub, "sport.", "0:0");
        UdpVtx.Send(pub, "weather.", "rain");
        Assert.Equal(["weather.", "rain"], UdpVtx.Receive(sub));
        Assert.Null(UdpVtx.Receive(sub, UdpVtx.Short));
    }

    [Fact]
    public void PAIR_server_and_PAIR_client_talk_both_ways()
    {
        using var vtx = new UdpVtx();
        var server = vtx.Socket(VtxSocketType.Pair);
        int port = vtx.Bind(server);
        var client = vtx.Socket(VtxSocketType.Pair);
        vtx.Manager.Connect(client, $"udp://127.0.0.1:{port}");
        for (int i = 0; i < Rounds; i++)
        {
            UdpVtx.Send(client, $"ping {i}");
            Assert.Equal([$"ping {i}"], UdpVtx.Receive(server));
            UdpVtx.Send(server, $"pong {i}");
            Assert.Equal([$"pong {i}"], UdpVtx.Receive(client));
        }
    }
}
