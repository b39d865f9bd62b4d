using System;
using System.Linq;
using Xunit;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Tests;

/// <summary>The regression list of the original notes.txt (§5.9).</summary>
public class RegressionTests
{
    [Theory]
    [InlineData(VtxSocketType.Req)]
    [InlineData(VtxSocketType.Rep)]
    [InlineData(VtxSocketType.Router)]
    [InlineData(VtxSocketType.Dealer)]
    [InlineData(VtxSocketType.Pub)]
    [InlineData(VtxSocketType.Sub)]
    [InlineData(VtxSocketType.Push)]
    [InlineData(VtxSocketType.Pull)]
    [InlineData(VtxSocketType.Pair)]
    public void Every_type_creates_binds_connects_and_closes(VtxSocketType type)
    {
        using var vtx = new UdpVtx();
        var bound = vtx.Socket(type);
        int port = vtx.Bind(bound);
        var connected = vtx.Socket(type);
        vtx.Manager.Connect(connected, $"udp://127.0.0.1:{port}");
        vtx.WaitForPeerings(connected, 1);
        Assert.Equal(type, vtx.Manager.GetSocketType(connected));
        vtx.Manager.Close(connected);
        vtx.Manager.Close(bound);
        Assert.Throws<VtxForeignSocketException>(() => vtx.Manager.GetMeta(bound, "sender"));
    }

    [Fact]
    public void Two_connects_on_a_PAIR_client_fail()
    {
        using var vtx = new UdpVtx();
        var client = vtx.Socket(VtxSocketType.Pair);
        vtx.Manager.Connect(client, "udp://127.0.0.1:9");
        Assert.Throws<VtxDriverException>(() => vtx.Manager.Connect(client, "udp://127.0.0.1:10"));
    }

    [Fact]
    public void Two_PAIR_clients_on_one_PAIR_server_the_second_is_refused()
    {
        using var vtx = new UdpVtx();
        var server = vtx.Socket(VtxSocketType.Pair);
        int port = vtx.Bind(server);
        var first = vtx.Socket(VtxSocketType.Pair);
        vtx.Manager.Connect(first, $"udp://127.0.0.1:{port}");
        vtx.WaitForPeerings(first, 1);
        var second = vtx.Socket(VtxSocketType.Pair);
        vtx.Manager.Connect(second, $"udp://127.0.0.1:{port}");
        UdpVtx.Send(second, "from second");
        UdpVtx.Send(first, "from first");
        Assert.Equal(["from first"], UdpVtx.Receive(server));
        Assert.Null(UdpVtx.Receive(server, TimeSpan.FromMilliseconds(600)));
        Assert.Equal(0, vtx.LivePeerings(second));
        Assert.Equal(1, vtx.LivePeerings(server));
    }

    [Fact]
    public void REQ_to_REP_ten_times_under_injected_loss_answers_every_request()
    {
        using var vtx = new UdpVtx(new UdpDriverOptions { DropRate = 0.3, DropSeed = 13 });
        var rep = vtx.Socket(VtxSocketType.Rep);
        int port = vtx.Bind(rep);
        var req = vtx.Socket(VtxSocketType.Req);
        vtx.Manager.Connect(req, $"udp://127.0.0.1:{port}");
        for (int i = 0; i < 10; i++)
        {
            UdpVtx.Send(req, $"request {i}");
            Assert.Equal([$"request {i}"], UdpVtx.Receive(rep));
            UdpVtx.Send(rep, $"reply {i}");
            Assert.Equal([$"reply {i}"], UdpVtx.Receive(req));
        }
        Assert.True(vtx.Driver.Statistics.SimulatedLosses > 0);
    }

    [Fact]
    public async System.Threading.Tasks.Task Lazy_pirate_client_recreates_its_socket_until_a_server_appears()
    {
        using var vtx = new UdpVtx();
        using var probe = new RawPeer(); // reserve a free port, then free it for the server
        int port = probe.Port;
        probe.Dispose();
        using var client = new LazyPirateClient(vtx.Manager, $"udp://127.0.0.1:{port}", TimeSpan.FromMilliseconds(300), attempts: 3);
        Assert.Null(client.Request([(ReadOnlyMemory<byte>)"lost"u8.ToArray()]));
        Assert.Equal(3, client.Reconnects);

        var rep = vtx.Socket(VtxSocketType.Rep);
        vtx.Manager.Bind(rep, $"udp://127.0.0.1:{port}");
        using var stop = new System.Threading.CancellationTokenSource();
        var server = System.Threading.Tasks.Task.Run(() =>
        {
            // Answers every request it sees: a retried request arrives from a new socket, and the
            // answer to an abandoned socket's copy is lost, as in the original lazy pirate server.
            while (!stop.IsCancellationRequested)
            {
                if (UdpVtx.Receive(rep, TimeSpan.FromMilliseconds(100)) is { } request)
                    UdpVtx.Send(rep, request[0] + " ok");
            }
        });
        // Once the server is there the next request gets through. The budget is generous (30 × 300 ms)
        // because a loaded CI machine can take over a second to start the server task and complete the
        // UDP peering; only the silent phase above is about counting attempts.
        using var patient = new LazyPirateClient(vtx.Manager, $"udp://127.0.0.1:{port}", TimeSpan.FromMilliseconds(300), attempts: 30);
        var reply = patient.Request([(ReadOnlyMemory<byte>)"ICANHAZ?"u8.ToArray()]);
        Assert.NotNull(reply);
        Assert.Equal("ICANHAZ? ok", System.Text.Encoding.UTF8.GetString(reply.Single()));
        stop.Cancel();
        await server;
    }
}
