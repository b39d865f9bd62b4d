using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class MessagingPatternTests
{
    [Theory]
    [InlineData("inproc://dealer-router")]
    [InlineData("tcp://127.0.0.1:*")]
    public void Dealer_router_roundtrip_preserves_frames_in_both_directions(string bindEndpoint)
    {
        using var context = new ZmqContext();
        using var router = new ZmqSocket(context, ZmqSocketType.Router) { ReceiveTimeout = Frames.Patience };
        router.Bind(bindEndpoint);
        using var dealer = new ZmqSocket(context, ZmqSocketType.Dealer)
        {
            ReceiveTimeout = Frames.Patience,
            RoutingId = Frames.Utf8("client-1"),
        };
        dealer.Connect(router.LastEndpoint);

        dealer.SendMultipart(Frames.Of("HELLO", "ünïcode ✓"));
        List<byte[]> request = router.ReceiveMultipart();
        Assert.Equal(["client-1", "HELLO", "ünïcode ✓"], Frames.Texts(request));

        router.SendMultipart([request[0], Frames.Utf8("WORLD")]);
        Assert.Equal(["WORLD"], Frames.Texts(dealer.ReceiveMultipart()));
    }

    [Theory]
    [InlineData("inproc://empty-frames")]
    [InlineData("tcp://127.0.0.1:*")]
    public void Dealer_router_roundtrip_preserves_empty_frames(string bindEndpoint)
    {
        using var context = new ZmqContext();
        using var router = new ZmqSocket(context, ZmqSocketType.Router) { ReceiveTimeout = Frames.Patience };
        router.Bind(bindEndpoint);
        using var dealer = new ZmqSocket(context, ZmqSocketType.Dealer) { ReceiveTimeout = Frames.Patience };
        dealer.Connect(router.LastEndpoint);

        dealer.SendMultipart([ReadOnlyMemory<byte>.Empty, Frames.Utf8("body"), ReadOnlyMemory<byte>.Empty]);
        List<byte[]> request = router.ReceiveMultipart();
        Assert.Equal(4, request.Count);
        Assert.Equal(["", "body", ""], Frames.Texts(request.Skip(1)));

        router.SendMultipart([request[0], ReadOnlyMemory<byte>.Empty]);
        byte[] reply = Assert.Single(dealer.ReceiveMultipart());
        Assert.Empty(reply);
    }

    [Theory]
    [InlineData("inproc://large-frame")]
    [InlineData("tcp://127.0.0.1:*")]
    public void Dealer_router_roundtrip_carries_a_1_MiB_frame_intact(string bindEndpoint)
    {
        byte[] payload = new byte[1024 * 1024];
        new Random(20240601).NextBytes(payload);
        using var context = new ZmqContext();
        using var router = new ZmqSocket(context, ZmqSocketType.Router) { ReceiveTimeout = Frames.Patience };
        router.Bind(bindEndpoint);
        using var dealer = new ZmqSocket(context, ZmqSocketType.Dealer) { ReceiveTimeout = Frames.Patience };
        dealer.Connect(router.LastEndpoint);

        dealer.SendMultipart([payload]);
        List<byte[]> request = router.ReceiveMultipart();
        Assert.Equal(payload, request[1]);

        router.SendMultipart([request[0], request[1]]);
        Assert.Equal(payload, Assert.Single(dealer.ReceiveMultipart()));
    }

    [Fact]
    public void Single_frame_send_with_more_builds_one_multipart_message()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull) { ReceiveTimeout = Frames.Patience };
        pull.Bind("inproc://frames");
        using var push = new ZmqSocket(context, ZmqSocketType.Push);
        push.Connect("inproc://frames");

        push.Send(Frames.Utf8("first"), more: true);
        Assert.True(push.TrySend(Frames.Utf8("last"), more: false));

        byte[] first = pull.ReceiveFrame(out bool more);
        Assert.Equal("first", Frames.Text(first));
        Assert.True(more);
        Assert.True(pull.TryReceiveFrame(out byte[]? last, out more));
        Assert.Equal("last", Frames.Text(last));
        Assert.False(more);
    }

    [Fact]
    public void Sub_receives_only_messages_matching_its_subscription()
    {
        using var context = new ZmqContext();
        using var pub = new ZmqSocket(context, ZmqSocketType.Pub);
        pub.Bind("tcp://127.0.0.1:*");
        using var sub = new ZmqSocket(context, ZmqSocketType.Sub) { ReceiveTimeout = Frames.Patience };
        sub.Connect(pub.LastEndpoint);
        sub.Subscribe("weather");
        WaitUntilSubscribed(pub, sub, "weather.probe");

        pub.Send(Frames.Utf8("sports.1"));
        pub.Send(Frames.Utf8("weather.1"));
        pub.Send(Frames.Utf8("sports.2"));
        pub.Send(Frames.Utf8("weather.end"));

        var received = new List<string>();
        string text;
        do
        {
            text = Frames.Text(sub.ReceiveFrame(out _));
            received.Add(text);
        }
        while (text != "weather.end");

        Assert.Equal(["weather.1", "weather.end"], received.Where(t => t != "weather.probe"));
    }

    [Fact]
    public void Xpub_receives_subscribe_and_unsubscribe_messages()
    {
        using var context = new ZmqContext();
        using var xpub = new ZmqSocket(context, ZmqSocketType.XPub) { ReceiveTimeout = Frames.Patience };
        xpub.Bind("inproc://xpub");
        using var sub = new ZmqSocket(context, ZmqSocketType.Sub);
        sub.Connect("inproc://xpub");

        sub.Subscribe("abc");
        Assert.Equal([1, (byte)'a', (byte)'b', (byte)'c'], xpub.ReceiveFrame(out _));

        sub.Unsubscribe("abc");
        Assert.Equal([0, (byte)'a', (byte)'b', (byte)'c'], xpub.ReceiveFrame(out _));
    }

    [Fact]
    public void Req_rep_exchange_request_and_reply()
    {
        using var context = new ZmqContext();
        using var rep = new ZmqSocket(context, ZmqSocketType.Rep) { ReceiveTimeout = Frames.Patience };
        rep.Bind("tcp://127.0.0.1:*");
        using var req = new ZmqSocket(context, ZmqSocketType.Req) { ReceiveTimeout = Frames.Patience };
        req.Connect(rep.LastEndpoint);

        req.Send(Frames.Utf8("ping"));
        Assert.Equal(["ping"], Frames.Texts(rep.ReceiveMultipart()));
        rep.Send(Frames.Utf8("pong"));
        Assert.Equal(["pong"], Frames.Texts(req.ReceiveMultipart()));
    }

    [Fact]
    public void Push_pull_delivers_messages_in_order()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull) { ReceiveTimeout = Frames.Patience };
        pull.Bind("tcp://127.0.0.1:*");
        using var push = new ZmqSocket(context, ZmqSocketType.Push);
        push.Connect(pull.LastEndpoint);

        for (int i = 0; i < 10; i++)
        {
            push.Send(Frames.Utf8($"job {i}"));
        }

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal($"job {i}", Frames.Text(pull.ReceiveFrame(out _)));
        }
    }

    [Fact]
    public void Pair_sockets_talk_both_ways()
    {
        using var context = new ZmqContext();
        using var left = new ZmqSocket(context, ZmqSocketType.Pair) { ReceiveTimeout = Frames.Patience };
        left.Bind("inproc://pair");
        using var right = new ZmqSocket(context, ZmqSocketType.Pair) { ReceiveTimeout = Frames.Patience };
        right.Connect("inproc://pair");

        right.SendMultipart(Frames.Of("to", "left"));
        Assert.Equal(["to", "left"], Frames.Texts(left.ReceiveMultipart()));
        left.SendMultipart(Frames.Of("to", "right"));
        Assert.Equal(["to", "right"], Frames.Texts(right.ReceiveMultipart()));
    }

    /// <summary>
    /// A subscription reaches the publisher asynchronously, and a PUB drops what no subscriber
    /// wants yet; publishing a matching probe until one arrives proves the filter is in place.
    /// </summary>
    private static void WaitUntilSubscribed(ZmqSocket pub, ZmqSocket sub, string probe)
    {
        var poller = new ZmqPoller();
        poller.Add(sub);
        DateTime deadline = DateTime.UtcNow + Frames.Patience;
        while (DateTime.UtcNow < deadline)
        {
            pub.Send(Frames.Utf8(probe));
            if (poller.Poll(TimeSpan.FromMilliseconds(10)) > 0)
            {
                return;
            }
        }

        Assert.Fail("The subscription never reached the publisher.");
    }
}
