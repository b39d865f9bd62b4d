using System;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;
using Zproto.Runtime.Zmq;
using Zproto.Vtx.Tls;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Tests;

/// <summary>
/// Closing without losing what was sent (docs/vtx.md, "Closing and linger"): a message the
/// application sent just before it disposes the manager, or closes the socket, still leaves, within
/// the manager's linger; a linger of zero drops it; a peer that never answers cannot hold a close
/// beyond the linger.
/// </summary>
public class LingerTests
{
    private const int Messages = 50;
    private const int Rounds = 10;
    private static readonly byte[] s_pullGreeting = [.. "VTXTLS"u8, 1, 7]; // version 1, ZMTP type 7 = PULL

    /// <summary>
    /// The linger of the tests that expect delivery: a TLS handshake can take over a second on a loaded
    /// machine, and the linger bounds the close, not the test (a flushed socket closes at once).
    /// </summary>
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(10);

    /// <summary>Dispose waits at most the linger plus this for its own bookkeeping (generous: the machine is shared).</summary>
    private static readonly TimeSpan s_closeSlack = TimeSpan.FromSeconds(5);

    [Fact]
    public void Udp_PUSH_that_sends_then_disposes_at_once_delivers_every_message() => PushSendsThenDisposes(Udp, Udp, UdpBind);

    [Fact]
    public void Udp_REP_that_replies_then_disposes_at_once_delivers_the_reply() => RepRepliesThenDisposes(Udp, Udp, UdpBind);

    [Fact]
    public void Udp_socket_closed_right_after_a_send_still_sends_it() => SocketClosedAfterASend(Udp, Udp, UdpBind);

    [Fact]
    public void Tls_PUSH_that_sends_then_disposes_at_once_delivers_every_message() => PushSendsThenDisposes(TlsServer, TlsClient, TlsBind);

    [Fact]
    public void Tls_REP_that_replies_then_disposes_at_once_delivers_the_reply() => RepRepliesThenDisposes(TlsClient, TlsServer, TlsBind);

    [Fact]
    public void Tls_socket_closed_right_after_a_send_still_sends_it() => SocketClosedAfterASend(TlsServer, TlsClient, TlsBind);

    private const string UdpBind = "udp://127.0.0.1:0", TlsBind = "tls://127.0.0.1:0";

    private static VtxManager Udp() => Lingering(new VtxManager(), vtx => vtx.RegisterUdp());

    private static VtxManager TlsServer() => Lingering(new VtxManager(), vtx => vtx.RegisterTls(TestCertificates.Shared.ServerOptions()));

    private static VtxManager TlsClient() => Lingering(new VtxManager(), vtx => vtx.RegisterTls(TestCertificates.Shared.ClientOptions()));

    private static VtxManager Lingering(VtxManager vtx, Action<VtxManager> register)
    {
        register(vtx);
        vtx.Linger = s_generous;
        return vtx;
    }

    private static ZmqSocket Socket(VtxManager vtx, VtxSocketType type)
    {
        var socket = vtx.CreateSocket(type);
        socket.ReceiveTimeout = UdpVtx.Long;
        return socket;
    }

    private static void WaitForPeer(VtxManager vtx, ZmqSocket socket) =>
        UdpVtx.WaitUntil(() => vtx.GetMeta(socket, "peerings") != "0", "the peer to be up");

    /// <summary>A PUSH sends <see cref="Messages"/> messages and its manager is disposed at once; the PULL gets them all.</summary>
    private static void PushSendsThenDisposes(Func<VtxManager> newReceiver, Func<VtxManager> newSender, string bindTo)
    {
        using var receiver = newReceiver();
        var pull = Socket(receiver, VtxSocketType.Pull);
        string endpoint = receiver.Bind(pull, bindTo);
        var sender = newSender();
        var push = Socket(sender, VtxSocketType.Push);
        sender.Connect(push, endpoint);
        WaitForPeer(sender, push);
        for (int i = 0; i < Messages; i++)
            UdpVtx.Send(push, $"m{i}");
        sender.Dispose();
        for (int i = 0; i < Messages; i++)
            Assert.Equal([$"m{i}"], UdpVtx.Receive(pull));
    }

    /// <summary>A REP answers and its manager is disposed at once; the REQ gets the answer (the vtx-hello server's last ack).</summary>
    private static void RepRepliesThenDisposes(Func<VtxManager> newClient, Func<VtxManager> newServer, string bindTo)
    {
        using var client = newClient();
        for (int round = 0; round < Rounds; round++)
        {
            var server = newServer();
            var rep = Socket(server, VtxSocketType.Rep);
            string endpoint = server.Bind(rep, bindTo);
            var req = Socket(client, VtxSocketType.Req);
            client.Connect(req, endpoint);
            UdpVtx.Send(req, $"hello {round}");
            Assert.Equal([$"hello {round}"], UdpVtx.Receive(rep));
            UdpVtx.Send(rep, $"ack {round}");
            server.Dispose();
            Assert.Equal([$"ack {round}"], UdpVtx.Receive(req));
            client.Close(req);
        }
    }

    /// <summary>A socket sends before its peer is up and is closed at once; the message still arrives once the peer is.</summary>
    private static void SocketClosedAfterASend(Func<VtxManager> newReceiver, Func<VtxManager> newSender, string bindTo)
    {
        using var receiver = newReceiver();
        var pull = Socket(receiver, VtxSocketType.Pull);
        string endpoint = receiver.Bind(pull, bindTo);
        using var sender = newSender();
        for (int round = 0; round < Rounds; round++)
        {
            var push = Socket(sender, VtxSocketType.Push);
            sender.Connect(push, endpoint);
            UdpVtx.Send(push, $"last words {round}"); // queued until the peer is up
            sender.Close(push);
            Assert.Equal([$"last words {round}"], UdpVtx.Receive(pull, s_generous) ?? ["(nothing arrived)"]);
        }
    }

    [Fact]
    public void A_linger_of_zero_drops_what_could_not_leave_yet_and_closes_at_once()
    {
        using var peer = new RawPeer(); // never answers OHAI, so the message waits for a peering
        var vtx = new UdpVtx();
        vtx.Manager.Linger = TimeSpan.Zero;
        var push = vtx.Socket(VtxSocketType.Push);
        vtx.Manager.Connect(push, $"udp://127.0.0.1:{peer.Port}");
        Assert.NotNull(peer.ReceiveMatching(UdpVtx.Long, d => Nom1.IsCommand(d, 1))); // its OHAI: the vocket is up
        UdpVtx.Send(push, "dropped");
        vtx.Dispose();
        UdpVtx.WaitUntil(() => vtx.Driver.Statistics.MessagesUnsent == 1, "the queued message to be counted as unsent");
        Assert.DoesNotContain(peer.ReceiveFor(UdpVtx.Short), d => Nom1.IsCommand(d, 5));
    }

    [Fact]
    public void A_udp_peer_that_never_answers_holds_dispose_for_the_linger_and_no_longer()
    {
        using var peer = new RawPeer();
        var vtx = new UdpVtx();
        vtx.Manager.Linger = TimeSpan.FromMilliseconds(300);
        var push = vtx.Socket(VtxSocketType.Push);
        vtx.Manager.Connect(push, $"udp://127.0.0.1:{peer.Port}");
        UdpVtx.Send(push, "never leaves");
        var clock = Stopwatch.StartNew();
        vtx.Dispose();
        Assert.InRange(clock.Elapsed, vtx.Manager.Linger - TimeSpan.FromMilliseconds(50), vtx.Manager.Linger + s_closeSlack);
        Assert.Equal(1, vtx.Driver.Statistics.MessagesUnsent);
    }

    [Fact]
    public async Task A_tls_peer_that_never_reads_or_closes_holds_dispose_for_the_linger_and_no_longer()
    {
        // A TLS server that completes the handshake and the greeting, then neither reads nor closes.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = Task.Run(async () =>
        {
            var tcp = await listener.AcceptTcpClientAsync();
            var ssl = new SslStream(tcp.GetStream());
            await ssl.AuthenticateAsServerAsync(TestCertificates.Shared.Server);
            await ssl.WriteAsync(s_pullGreeting);
            var greeting = new byte[8];
            await ssl.ReadExactlyAsync(greeting);
            return (tcp, ssl);
        });
        var vtx = new TlsVtx(TestCertificates.Shared.ClientOptions());
        vtx.Manager.Linger = TimeSpan.FromMilliseconds(300);
        var push = vtx.Socket(VtxSocketType.Push);
        vtx.Manager.Connect(push, $"tls://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        var (tcp, ssl) = await accepted.WaitAsync(UdpVtx.Long);
        using (tcp)
        using (ssl)
        {
            vtx.WaitForConnections(push, 1);
            UdpVtx.Send(push, "unread");
            var clock = Stopwatch.StartNew();
            vtx.Dispose();
            Assert.InRange(clock.Elapsed, vtx.Manager.Linger - TimeSpan.FromMilliseconds(50), vtx.Manager.Linger + s_closeSlack);
        }
    }

    [Fact]
    public void A_negative_linger_is_refused()
    {
        using var vtx = new VtxManager();
        Assert.Throws<ArgumentOutOfRangeException>(() => vtx.Linger = TimeSpan.FromMilliseconds(-1));
        Assert.Equal(VtxManager.DefaultLinger, vtx.Linger);
    }
}
