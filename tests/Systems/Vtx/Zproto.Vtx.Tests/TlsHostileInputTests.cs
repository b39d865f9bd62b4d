using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Zproto.Vtx.Tests;

/// <summary>
/// Bytes that are not the tls driver's protocol, before and after the TLS handshake: the peer is
/// disconnected with a log line, the driver keeps serving, and nothing reaches the application. The
/// raw clients here also pin down the documented framing byte by byte.
/// </summary>
public class TlsHostileInputTests
{
    private const int GarbageSessions = 20;
    private static readonly byte[] s_reqGreeting = [.. "VTXTLS"u8, 1, 3]; // version 1, ZMTP type 3 = REQ

    /// <summary>A TCP client on the server's port, wrapped in TLS unless <paramref name="tls"/> is false.</summary>
    private static async Task<(TcpClient Tcp, Stream Stream)> RawClient(string endpoint, bool tls = true)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, TlsVtx.Port(endpoint));
        if (!tls)
            return (tcp, tcp.GetStream());
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            RemoteCertificateValidationCallback = (_, _, _, _) => true, // the test is the attacker; it trusts anyone
        });
        return (tcp, ssl);
    }

    /// <summary>True when the server closes the stream within a few seconds.</summary>
    private static async Task<bool> ClosedByServer(Stream stream)
    {
        var buffer = new byte[256];
        try
        {
            var read = stream.ReadAsync(buffer).AsTask();
            if (await Task.WhenAny(read, Task.Delay(UdpVtx.Long)) != read)
                return false;
            while (await read > 0)
                read = stream.ReadAsync(buffer).AsTask(); // the server's greeting, then the end
            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static void AssertStillServes(TlsVtx server, Zproto.Runtime.Zmq.ZmqSocket rep, string endpoint)
    {
        using var client = new TlsVtx(TestCertificates.Shared.ClientOptions());
        var req = client.Socket(VtxSocketType.Req);
        client.Manager.Connect(req, endpoint);
        UdpVtx.Send(req, "legit");
        Assert.Equal(["legit"], UdpVtx.Receive(rep));
        UdpVtx.Send(rep, "ack");
        Assert.Equal(["ack"], UdpVtx.Receive(req));
    }

    [Fact]
    public async Task Garbage_instead_of_a_TLS_handshake_is_refused_and_never_reaches_the_application()
    {
        using var server = new TlsVtx(TestCertificates.Shared.ServerOptions());
        var rep = server.Socket(VtxSocketType.Rep);
        string endpoint = server.Bind(rep);
        var random = new Random(13);
        for (int i = 0; i < GarbageSessions; i++)
        {
            var (tcp, stream) = await RawClient(endpoint, tls: false);
            using (tcp)
            {
                var garbage = new byte[random.Next(1, 4096)];
                random.NextBytes(garbage);
                if (i == 0)
                    garbage = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                await stream.WriteAsync(garbage);
                Assert.True(await ClosedByServer(stream), $"session {i} was not closed");
            }
        }
        UdpVtx.WaitUntil(() => server.Driver.Statistics.HandshakesFailed == GarbageSessions, "every garbage session to be refused");
        Assert.Null(UdpVtx.Receive(rep, UdpVtx.Short));
        AssertStillServes(server, rep, endpoint);
        Assert.Equal(1, server.Driver.Statistics.MessagesDelivered);
    }

    [Fact]
    public async Task Random_bytes_after_the_handshake_and_greeting_are_disconnected_and_never_reach_the_application()
    {
        using var server = new TlsVtx(TestCertificates.Shared.ServerOptions());
        var rep = server.Socket(VtxSocketType.Rep);
        string endpoint = server.Bind(rep);
        var random = new Random(17);
        for (int i = 0; i < GarbageSessions; i++)
        {
            var (tcp, stream) = await RawClient(endpoint);
            using (tcp)
            {
                var garbage = new byte[random.Next(1, 4096)];
                random.NextBytes(garbage);
                garbage[0] = 0xFC; // bits outside MORE|LONG: whatever follows, the first frame is invalid
                await stream.WriteAsync((byte[])[.. s_reqGreeting, .. garbage]);
                Assert.True(await ClosedByServer(stream), $"session {i} was not closed");
            }
        }
        UdpVtx.WaitUntil(() => server.Driver.Statistics.ProtocolErrors == GarbageSessions, "every session to be counted as a protocol error");
        Assert.Null(UdpVtx.Receive(rep, UdpVtx.Short));
        AssertStillServes(server, rep, endpoint);
    }

    public static TheoryData<string, byte[]> BrokenFraming => new()
    {
        { "flags with the COMMAND bit", [0x04, 0x01, 0x41] },
        { "a LONG frame over the size limit", [0x02, 0, 0, 0, 1, 0, 0, 0, 0] },
        { "a LONG frame of 2^63 octets", [0x02, 0x80, 0, 0, 0, 0, 0, 0, 0] },
        { "a message over the frame-count limit", TooManyFrames() },
        { "the stream ending inside a frame", [0x00, 0x10, 0x41] },
        { "the stream ending inside a message", [0x01, 0x01, 0x41] },
    };

    /// <summary>1,025 empty frames with MORE set: one over the default limit of 1,024.</summary>
    private static byte[] TooManyFrames()
    {
        var bytes = new byte[2 * 1025];
        for (int i = 0; i < bytes.Length; i += 2)
            bytes[i] = 0x01;
        return bytes;
    }

    [Theory]
    [MemberData(nameof(BrokenFraming))]
    public async Task Broken_framing_after_a_valid_greeting_disconnects_the_peer(string what, byte[] bytes)
    {
        using var server = new TlsVtx(TestCertificates.Shared.ServerOptions());
        var rep = server.Socket(VtxSocketType.Rep);
        string endpoint = server.Bind(rep);
        var (tcp, stream) = await RawClient(endpoint);
        using (tcp)
        {
            await stream.WriteAsync((byte[])[.. s_reqGreeting, .. bytes]);
            if (what.StartsWith("the stream ending", StringComparison.Ordinal) && stream is SslStream ssl)
                await ssl.ShutdownAsync(); // close_notify: the end of the stream, inside a frame or message
            Assert.True(await ClosedByServer(stream), what);
        }
        UdpVtx.WaitUntil(() => server.Driver.Statistics.ProtocolErrors == 1, $"{what} to be counted");
        Assert.Null(UdpVtx.Receive(rep, UdpVtx.Short));
    }

    [Theory]
    [InlineData("VTXTLS\u0002\u0003", "another version")]
    [InlineData("ZMTP\u0003\u0000\u0000\u0000", "not a greeting")]
    [InlineData("VTXTLS\u0001\u0009", "an unknown socket type")]
    [InlineData("VTXTLS\u0001\u0001", "a PUB greeting a REP")]
    public async Task A_bad_greeting_is_refused(string greeting, string what)
    {
        using var server = new TlsVtx(TestCertificates.Shared.ServerOptions());
        var rep = server.Socket(VtxSocketType.Rep);
        string endpoint = server.Bind(rep);
        var (tcp, stream) = await RawClient(endpoint);
        using (tcp)
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(greeting));
            Assert.True(await ClosedByServer(stream), what);
        }
        UdpVtx.WaitUntil(() => server.Driver.Statistics.HandshakesFailed == 1, $"{what} to be refused");
        Assert.Equal(0, server.Driver.Statistics.ConnectionsOpened);
    }

    [Fact]
    public async Task The_documented_framing_by_hand_a_REQ_greeting_and_a_two_frame_request_get_the_REP_reply()
    {
        using var server = new TlsVtx(TestCertificates.Shared.ServerOptions());
        var rep = server.Socket(VtxSocketType.Rep);
        string endpoint = server.Bind(rep);
        var (tcp, stream) = await RawClient(endpoint);
        using (tcp)
        {
            var long300 = new byte[300];
            await stream.WriteAsync((byte[])[.. s_reqGreeting, 0x01, 0x05, .. "hello"u8, 0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x2C, .. long300]);
            var greeting = new byte[8];
            await stream.ReadExactlyAsync(greeting);
            Assert.Equal([.. "VTXTLS"u8, 1, 4], greeting); // REP = 4
            var request = UdpVtx.Receive(rep);
            Assert.Equal(2, request.Length);
            Assert.Equal("hello", request[0]);
            Assert.Equal(300, request[1].Length);
            UdpVtx.Send(rep, "ack");
            var reply = new byte[5];
            await stream.ReadExactlyAsync(reply);
            Assert.Equal([0x00, 0x03, .. "ack"u8], reply);
        }
    }
}
