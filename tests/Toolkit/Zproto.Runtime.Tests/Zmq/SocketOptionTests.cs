using System;
using System.Threading;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class SocketOptionTests
{
    [Fact]
    public void High_watermarks_linger_and_timeouts_round_trip()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Dealer);

        socket.SendHighWatermark = 123;
        socket.ReceiveHighWatermark = 456;
        socket.Linger = TimeSpan.FromMilliseconds(250);
        socket.ReceiveTimeout = TimeSpan.FromMilliseconds(1500);
        socket.SendTimeout = Timeout.InfiniteTimeSpan;
        socket.ReconnectInterval = TimeSpan.FromMilliseconds(50);
        socket.ReconnectIntervalMax = TimeSpan.FromSeconds(2);

        Assert.Equal(123, socket.SendHighWatermark);
        Assert.Equal(456, socket.ReceiveHighWatermark);
        Assert.Equal(TimeSpan.FromMilliseconds(250), socket.Linger);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), socket.ReceiveTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, socket.SendTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), socket.ReconnectInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), socket.ReconnectIntervalMax);
    }

    [Fact]
    public void Sub_millisecond_timeout_rounds_up_instead_of_becoming_non_blocking()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Pull) { ReceiveTimeout = TimeSpan.FromTicks(1) };

        Assert.Equal(TimeSpan.FromMilliseconds(1), socket.ReceiveTimeout);
    }

    [Fact]
    public void Negative_timeout_other_than_infinite_is_rejected()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Pull);

        Assert.Throws<ArgumentOutOfRangeException>(() => socket.Linger = TimeSpan.FromMilliseconds(-5));
    }

    [Fact]
    public void Routing_id_round_trips_as_bytes_and_rejects_empty()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Dealer);
        Assert.Empty(socket.RoutingId);

        socket.RoutingId = [0x7F, 0x00, 0xFF, 0x10];

        Assert.Equal([0x7F, 0x00, 0xFF, 0x10], socket.RoutingId);
        Assert.Throws<ArgumentException>(() => socket.RoutingId = []);
        Assert.Throws<ArgumentException>(() => socket.RoutingId = new byte[256]);
    }

    [Fact]
    public void Heartbeat_options_round_trip()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Dealer);

        socket.HeartbeatInterval = TimeSpan.FromSeconds(1);
        socket.HeartbeatTimeout = TimeSpan.FromSeconds(3);
        socket.HeartbeatTtl = TimeSpan.FromSeconds(10);

        Assert.Equal(TimeSpan.FromSeconds(1), socket.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), socket.HeartbeatTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), socket.HeartbeatTtl);
    }

    [Fact]
    public void Boolean_and_string_options_round_trip()
    {
        using var context = new ZmqContext();
        using var router = new ZmqSocket(context, ZmqSocketType.Router);

        router.Immediate = true;
        router.RouterMandatory = true;
        router.CurveServer = true;
        router.ZapDomain = "global";

        Assert.True(router.Immediate);
        Assert.True(router.RouterMandatory);
        Assert.True(router.CurveServer);
        Assert.Equal("global", router.ZapDomain);
    }

    [Fact]
    public void New_sockets_default_to_zero_linger_because_contexts_are_not_blocky()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Push);

        Assert.Equal(TimeSpan.Zero, socket.Linger);
    }

    [Fact]
    public void Last_endpoint_names_the_port_chosen_for_a_wildcard_bind()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Router);
        Assert.Equal("", socket.LastEndpoint);

        socket.Bind("tcp://127.0.0.1:*");

        string endpoint = socket.LastEndpoint;
        Assert.StartsWith("tcp://127.0.0.1:", endpoint);
        int port = int.Parse(endpoint["tcp://127.0.0.1:".Length..]);
        Assert.InRange(port, 1, 65535);
    }

    [Fact]
    public void Events_report_in_once_a_message_is_waiting()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull) { ReceiveTimeout = Frames.Patience };
        pull.Bind("inproc://events");
        using var push = new ZmqSocket(context, ZmqSocketType.Push);
        push.Connect("inproc://events");
        Assert.True(pull.FileDescriptor >= 0);
        Assert.False(pull.Events.HasFlag(ZmqPollEvents.In));

        push.Send(Frames.Utf8("x"));
        var poller = new ZmqPoller();
        poller.Add(pull);
        poller.Poll(Frames.Patience);

        Assert.True(pull.Events.HasFlag(ZmqPollEvents.In));
    }

    [Fact]
    public void Context_options_round_trip()
    {
        using var context = new ZmqContext();

        context.IoThreads = 2;
        context.MaxSockets = 64;

        Assert.Equal(2, context.IoThreads);
        Assert.Equal(64, context.MaxSockets);
    }
}
