using System;
using System.Linq;
using Xunit;

namespace Zproto.Vtx.Tests;

/// <summary>
/// The socket pairs of §5.9 over the tls driver on 127.0.0.1, with counts asserted: the bound side in
/// one manager (presenting the test CA's server certificate), the connecting side in another
/// (trusting that CA).
/// </summary>
public class TlsSocketPairTests
{
    private const int Rounds = 10;

    private static (TlsVtx Server, TlsVtx Client) Managers() =>
        (new TlsVtx(TestCertificates.Shared.ServerOptions()), new TlsVtx(TestCertificates.Shared.ClientOptions()));

    [Fact]
    public void REQ_to_REP()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var rep = server.Socket(VtxSocketType.Rep);
            string endpoint = server.Bind(rep);
            Assert.StartsWith("tls://127.0.0.1:", endpoint, StringComparison.Ordinal);
            var req = client.Socket(VtxSocketType.Req);
            client.Manager.Connect(req, endpoint);
            for (int i = 0; i < Rounds; i++)
            {
                UdpVtx.Send(req, $"ICANHAZ? {i}");
                Assert.Equal([$"ICANHAZ? {i}"], UdpVtx.Receive(rep));
                UdpVtx.Send(rep, "CHEEZBURGER");
                Assert.Equal(["CHEEZBURGER"], UdpVtx.Receive(req));
            }
            Assert.Equal("127.0.0.1", server.Manager.GetMeta(rep, "sender"));
            UdpVtx.WaitUntil(() => server.Driver.Statistics.MessagesDelivered >= Rounds && client.Driver.Statistics.MessagesDelivered >= Rounds, "the deliveries to be counted");
            Assert.Equal(Rounds, server.Driver.Statistics.MessagesDelivered);
            Assert.Equal(Rounds, client.Driver.Statistics.MessagesDelivered);
            Assert.Equal(0, server.Driver.Statistics.MessagesDropped + client.Driver.Statistics.MessagesDropped);
        }
    }

    [Fact]
    public void REQ_refuses_a_second_request_before_the_reply_as_the_udp_driver_does()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var rep = server.Socket(VtxSocketType.Rep);
            var req = client.Socket(VtxSocketType.Req);
            client.Manager.Connect(req, server.Bind(rep));
            client.WaitForConnections(req, 1);
            UdpVtx.Send(req, "first");
            UdpVtx.Send(req, "second");
            Assert.Equal(["first"], UdpVtx.Receive(rep));
            Assert.Null(UdpVtx.Receive(rep, UdpVtx.Short));
            Assert.Equal(1, client.Driver.Statistics.MessagesDropped);
        }
    }

    [Fact]
    public void REQ_to_ROUTER_that_echoes_the_identity()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var router = server.Socket(VtxSocketType.Router);
            var req = client.Socket(VtxSocketType.Req);
            client.Manager.Connect(req, server.Bind(router));
            for (int i = 0; i < Rounds; i++)
            {
                UdpVtx.Send(req, "ICANHAZ?");
                var request = UdpVtx.Receive(router);
                Assert.StartsWith("tls://127.0.0.1:", request[0], StringComparison.Ordinal);
                Assert.Equal("ICANHAZ?", request[1]);
                UdpVtx.Send(router, request[0], "CHEEZBURGER", $"{i}");
                Assert.Equal(["CHEEZBURGER", $"{i}"], UdpVtx.Receive(req));
            }
            UdpVtx.Send(router, "tls://127.0.0.1:1", "nobody");
            UdpVtx.WaitUntil(() => server.Driver.Statistics.MessagesDropped == 1, "the unroutable message to be dropped");
        }
    }

    [Fact]
    public void REQ_to_bound_DEALER_that_replies_without_an_envelope()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var dealer = server.Socket(VtxSocketType.Dealer);
            var req = client.Socket(VtxSocketType.Req);
            client.Manager.Connect(req, server.Bind(dealer));
            for (int i = 0; i < Rounds; i++)
            {
                UdpVtx.Send(req, "ICANHAZ?");
                Assert.Equal(["ICANHAZ?"], UdpVtx.Receive(dealer));
                UdpVtx.Send(dealer, "CHEEZBURGER");
                Assert.Equal(["CHEEZBURGER"], UdpVtx.Receive(req));
            }
        }
    }

    [Fact]
    public void DEALER_sending_non_stop_to_ROUTER_gets_every_reply_in_order()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var router = server.Socket(VtxSocketType.Router);
            var dealer = client.Socket(VtxSocketType.Dealer);
            client.Manager.Connect(dealer, server.Bind(router));
            // Sent before the connection is up: the outbox holds them.
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
    }

    [Fact]
    public void Bound_PUSH_distributes_round_robin_to_two_PULLs()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var push = server.Socket(VtxSocketType.Push);
            string endpoint = server.Bind(push);
            var pulls = new[] { client.Socket(VtxSocketType.Pull), client.Socket(VtxSocketType.Pull) };
            foreach (var pull in pulls)
                client.Manager.Connect(pull, endpoint);
            server.WaitForConnections(push, 2);
            for (int i = 0; i < 2 * Rounds; i++)
                UdpVtx.Send(push, $"NOM {i:x4}");
            var received = pulls.Select(pull => Enumerable.Range(0, Rounds).Select(_ => UdpVtx.Receive(pull)[0]).ToList()).ToList();
            Assert.All(pulls, pull => Assert.Null(UdpVtx.Receive(pull, UdpVtx.Short)));
            Assert.Equal(Enumerable.Range(0, 2 * Rounds).Select(i => $"NOM {i:x4}"), received.SelectMany(r => r).Order());
        }
    }

    [Fact]
    public void Bound_PUB_delivers_each_message_once_to_each_of_two_SUBs_and_SUB_filters()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var pub = server.Socket(VtxSocketType.Pub);
            string endpoint = server.Bind(pub);
            var all = client.Socket(VtxSocketType.Sub);
            var weather = client.Socket(VtxSocketType.Sub);
            client.Manager.Connect(all, endpoint);
            client.Manager.Subscribe(all, "");
            client.Manager.Connect(weather, endpoint);
            client.Manager.Subscribe(weather, "weather.");
            server.WaitForConnections(pub, 2);
            for (int i = 0; i < Rounds; i++)
                UdpVtx.Send(pub, i % 2 == 0 ? "weather." : "sport.", $"{i}");
            Assert.Equal(Enumerable.Range(0, Rounds).Select(i => $"{i}"), Enumerable.Range(0, Rounds).Select(_ => UdpVtx.Receive(all)[1]));
            Assert.Equal(Enumerable.Range(0, Rounds / 2).Select(i => $"{2 * i}"), Enumerable.Range(0, Rounds / 2).Select(_ => UdpVtx.Receive(weather)[1]));
            Assert.Null(UdpVtx.Receive(all, UdpVtx.Short));
            Assert.Null(UdpVtx.Receive(weather, UdpVtx.Short));
            Assert.Equal(Rounds + Rounds / 2, client.Driver.Statistics.MessagesDelivered);
            Assert.Equal(Rounds / 2, client.Driver.Statistics.MessagesDropped); // filtered out
        }
    }

    [Fact]
    public void PAIR_server_and_PAIR_client_talk_both_ways_and_a_second_connect_fails()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var serverPair = server.Socket(VtxSocketType.Pair);
            string endpoint = server.Bind(serverPair);
            var clientPair = client.Socket(VtxSocketType.Pair);
            client.Manager.Connect(clientPair, endpoint);
            Assert.Throws<VtxDriverException>(() => client.Manager.Connect(clientPair, "tls://127.0.0.1:1"));
            for (int i = 0; i < Rounds; i++)
            {
                UdpVtx.Send(clientPair, $"ping {i}");
                Assert.Equal([$"ping {i}"], UdpVtx.Receive(serverPair));
                UdpVtx.Send(serverPair, $"pong {i}");
                Assert.Equal([$"pong {i}"], UdpVtx.Receive(clientPair));
            }
        }
    }

    [Fact]
    public void Incompatible_socket_types_are_refused_at_the_greeting()
    {
        var (server, client) = Managers();
        using (server)
        using (client)
        {
            var rep = server.Socket(VtxSocketType.Rep);
            var push = client.Socket(VtxSocketType.Push);
            client.Manager.Connect(push, server.Bind(rep));
            UdpVtx.WaitUntil(() => server.Driver.Statistics.HandshakesFailed >= 1, "the greeting to be refused");
            Assert.Equal(0, server.Connections(rep));
            Assert.Equal(0, client.Connections(push));
        }
    }

    [Fact]
    public void Bind_without_a_server_certificate_is_a_driver_error_and_connect_to_star_is_invalid()
    {
        using var client = new TlsVtx(TestCertificates.Shared.ClientOptions());
        var rep = client.Socket(VtxSocketType.Rep);
        var e = Assert.Throws<VtxDriverException>(() => client.Bind(rep));
        Assert.Contains("no server certificate", e.Message, StringComparison.Ordinal);
        var req = client.Socket(VtxSocketType.Req);
        Assert.Throws<VtxInvalidEndpointException>(() => client.Manager.Connect(req, "tls://*:5555"));
        Assert.Throws<VtxInvalidEndpointException>(() => client.Manager.Connect(req, "tls://127.0.0.1"));
    }
}
