using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class CurveTests
{
    [Fact]
    public void Generated_key_pair_is_two_z85_keys_of_32_bytes_and_the_public_derives_from_the_secret()
    {
        Assert.True(ZmqCurve.IsSupported);

        ZmqCurveKeyPair pair = ZmqCurve.GenerateKeyPair();

        Assert.Equal(40, pair.PublicKey.Length);
        Assert.Equal(40, pair.SecretKey.Length);
        Assert.Equal(32, Z85.Decode(pair.PublicKey).Length);
        Assert.Equal(32, Z85.Decode(pair.SecretKey).Length);
        Assert.NotEqual(pair.PublicKey, pair.SecretKey);
        Assert.NotEqual(pair, ZmqCurve.GenerateKeyPair());
        Assert.Equal(pair.PublicKey, ZmqCurve.DerivePublicKey(pair.SecretKey));
    }

    [Fact]
    public void Key_pair_to_string_does_not_reveal_the_secret_key()
    {
        ZmqCurveKeyPair pair = ZmqCurve.GenerateKeyPair();

        Assert.Contains(pair.PublicKey, pair.ToString());
        Assert.DoesNotContain(pair.SecretKey, pair.ToString());
    }

    [Fact]
    public void Curve_keys_are_accepted_as_z85_or_binary_and_read_back_as_z85()
    {
        ZmqCurveKeyPair pair = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Dealer);

        socket.CurvePublicKey = pair.PublicKey;
        socket.SetCurveSecretKey(Z85.Decode(pair.SecretKey));
        socket.SetCurveServerKey(Z85.Decode(pair.PublicKey));

        Assert.Equal(pair.PublicKey, socket.CurvePublicKey);
        Assert.Equal(pair.SecretKey, socket.CurveSecretKey);
        Assert.Equal(pair.PublicKey, socket.CurveServerKey);
    }

    [Fact]
    public void Malformed_curve_keys_are_rejected()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Dealer);

        Assert.Throws<FormatException>(() => socket.CurveServerKey = "too short");
        Assert.Throws<FormatException>(() => socket.CurveServerKey = new string(' ', 40));
        Assert.Throws<ArgumentException>(() => socket.SetCurveServerKey(new byte[31]));
        Assert.Throws<FormatException>(() => ZmqCurve.DerivePublicKey("not a key"));
    }

    [Fact]
    public void Curve_client_with_the_server_public_key_exchanges_messages()
    {
        ZmqCurveKeyPair serverKeys = ZmqCurve.GenerateKeyPair();
        ZmqCurveKeyPair clientKeys = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext();
        using var server = NewCurveServer(context, serverKeys);
        using var client = NewCurveClient(context, clientKeys, serverKeys.PublicKey);
        client.ReceiveTimeout = Frames.Patience;
        client.Connect(server.LastEndpoint);

        client.SendMultipart(Frames.Of("secret hello"));
        List<byte[]> request = server.ReceiveMultipart();
        Assert.Equal("secret hello", Frames.Text(request[1]));
        server.SendMultipart([request[0], Frames.Utf8("secret reply")]);

        Assert.Equal(["secret reply"], Frames.Texts(client.ReceiveMultipart()));
    }

    [Fact]
    public void Curve_client_with_a_wrong_server_key_gets_nothing_through_within_500_ms()
    {
        ZmqCurveKeyPair serverKeys = ZmqCurve.GenerateKeyPair();
        ZmqCurveKeyPair clientKeys = ZmqCurve.GenerateKeyPair();
        ZmqCurveKeyPair impostorKeys = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext();
        using var server = NewCurveServer(context, serverKeys);
        server.ReceiveTimeout = TimeSpan.FromMilliseconds(500);
        using var client = NewCurveClient(context, clientKeys, impostorKeys.PublicKey);
        client.Connect(server.LastEndpoint);

        client.SendMultipart(Frames.Of("secret hello"));

        Assert.False(server.TryReceiveMultipart(new List<byte[]>()));
    }

    [Fact]
    public void Zap_user_id_of_each_message_is_the_curve_public_key_of_the_client_that_sent_it()
    {
        ZmqCurveKeyPair serverKeys = ZmqCurve.GenerateKeyPair();
        ZmqCurveKeyPair aliceKeys = ZmqCurve.GenerateKeyPair();
        ZmqCurveKeyPair bobKeys = ZmqCurve.GenerateKeyPair();
        using var context = new ZmqContext();
        using var authenticator = new ZmqAuthenticator(context, new HashSet<string>(), NullLogger.Instance, "test");
        using var server = NewCurveServer(context, serverKeys);
        server.ZapDomain = "test";
        server.ReadsUserId = true;
        using var alice = NewCurveClient(context, aliceKeys, serverKeys.PublicKey);
        using var bob = NewCurveClient(context, bobKeys, serverKeys.PublicKey);
        alice.Connect(server.LastEndpoint);
        bob.Connect(server.LastEndpoint);

        alice.SendMultipart(Frames.Of("from alice"));
        bob.SendMultipart(Frames.Of("from bob", "second frame"));

        // Polled as the server engine does: zmq_poll makes the ROUTER prefetch the message.
        var poller = new ZmqPoller();
        poller.Add(authenticator.Socket);
        poller.Add(server);
        var seen = new Dictionary<string, string?>();
        var frames = new List<byte[]>();
        var deadline = DateTime.UtcNow + Frames.Patience;
        while (seen.Count < 2 && DateTime.UtcNow < deadline)
        {
            poller.Poll(TimeSpan.FromMilliseconds(100));
            // The handshake waits for the ZAP answer, which this thread gives.
            authenticator.HandleRequests();
            while (server.TryReceiveMultipart(frames, dontWait: true))
                seen[Frames.Text(frames[1])] = server.PeerUserId;
        }

        Assert.Equal(2, seen.Count);
        Assert.Equal(aliceKeys.PublicKey, seen["from alice"]);
        Assert.Equal(bobKeys.PublicKey, seen["from bob"]);
    }

    [Fact]
    public void Without_a_zap_handler_a_message_has_no_user_id()
    {
        using var context = new ZmqContext();
        using var server = new ZmqSocket(context, ZmqSocketType.Router) { ReadsUserId = true, ReceiveTimeout = Frames.Patience };
        server.Bind("tcp://127.0.0.1:*");
        using var client = new ZmqSocket(context, ZmqSocketType.Dealer);
        client.Connect(server.LastEndpoint);

        client.SendMultipart(Frames.Of("plain"));

        Assert.Equal("plain", Frames.Text(server.ReceiveMultipart()[1]));
        Assert.Null(server.PeerUserId);
    }

    private static ZmqSocket NewCurveServer(ZmqContext context, ZmqCurveKeyPair keys)
    {
        var server = new ZmqSocket(context, ZmqSocketType.Router)
        {
            CurveServer = true,
            CurveSecretKey = keys.SecretKey,
            ReceiveTimeout = Frames.Patience,
        };
        server.Bind("tcp://127.0.0.1:*");
        return server;
    }

    private static ZmqSocket NewCurveClient(ZmqContext context, ZmqCurveKeyPair keys, string serverKey) =>
        new(context, ZmqSocketType.Dealer)
        {
            CurvePublicKey = keys.PublicKey,
            CurveSecretKey = keys.SecretKey,
            CurveServerKey = serverKey,
        };
}
