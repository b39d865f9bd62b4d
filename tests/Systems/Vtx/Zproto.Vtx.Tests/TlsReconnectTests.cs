using Xunit;

namespace Zproto.Vtx.Tests;

/// <summary>The connect side reconnects, with backoff, to a server that went away and came back.</summary>
public class TlsReconnectTests
{
    [Fact]
    public void REQ_reconnects_after_the_server_restarts_and_the_request_sent_meanwhile_is_answered()
    {
        var certificates = TestCertificates.Shared;
        using var client = new TlsVtx(certificates.ClientOptions());
        var req = client.Socket(VtxSocketType.Req);
        string endpoint;
        using (var first = new TlsVtx(certificates.ServerOptions()))
        {
            var rep = first.Socket(VtxSocketType.Rep);
            endpoint = first.Bind(rep);
            client.Manager.Connect(req, endpoint);
            UdpVtx.Send(req, "before");
            Assert.Equal(["before"], UdpVtx.Receive(rep));
            UdpVtx.Send(rep, "ack 1");
            Assert.Equal(["ack 1"], UdpVtx.Receive(req));
        }
        UdpVtx.WaitUntil(() => client.Connections(req) == 0, "the client to see the server go");

        // Sent while the server is down: the outbox keeps it until the connector gets through.
        UdpVtx.Send(req, "during");
        using var second = new TlsVtx(certificates.ServerOptions());
        var rep2 = second.Socket(VtxSocketType.Rep);
        Assert.Equal(endpoint, second.Manager.Bind(rep2, endpoint));
        Assert.Equal(["during"], UdpVtx.Receive(rep2));
        UdpVtx.Send(rep2, "ack 2");
        Assert.Equal(["ack 2"], UdpVtx.Receive(req));
        Assert.Equal(2, client.Driver.Statistics.ConnectionsOpened);
    }
}
