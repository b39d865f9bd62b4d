using System;
using System.Collections.Generic;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class SocketErrorTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bad_endpoint_throws_zmq_exception_with_errno_and_strerror_text(bool bind)
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Dealer);

        var error = Assert.Throws<ZmqException>(() =>
        {
            if (bind)
            {
                socket.Bind("foo://x");
            }
            else
            {
                socket.Connect("foo://x");
            }
        });

        Assert.True(error.Errno > 0);
        Assert.Contains("'foo://x'", error.Message);
        Assert.Contains("Protocol not supported", error.Message);
        Assert.Contains($"errno {error.Errno}", error.Message);
    }

    [Fact]
    public void Try_receive_with_dont_wait_returns_false_when_nothing_is_waiting()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull);
        pull.Bind("inproc://empty");
        var frames = new List<byte[]> { new byte[1] };

        Assert.False(pull.TryReceiveFrame(out byte[]? frame, out bool more, dontWait: true));
        Assert.Null(frame);
        Assert.False(more);
        Assert.False(pull.TryReceiveMultipart(frames, dontWait: true));
        Assert.Empty(frames);
    }

    [Fact]
    public void Try_send_with_dont_wait_returns_false_when_push_has_no_peer()
    {
        using var context = new ZmqContext();
        using var push = new ZmqSocket(context, ZmqSocketType.Push);
        push.Bind("inproc://nobody-pulls");

        Assert.False(push.TrySend(Frames.Utf8("x"), more: false, dontWait: true));
        Assert.False(push.TrySendMultipart(Frames.Of("a", "b"), dontWait: true));
    }

    [Fact]
    public void Blocking_receive_throws_timeout_when_receive_timeout_elapses()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull) { ReceiveTimeout = TimeSpan.FromMilliseconds(20) };
        pull.Bind("inproc://quiet");

        Assert.Throws<TimeoutException>(() => pull.ReceiveFrame(out _));
        Assert.Throws<TimeoutException>(() => pull.ReceiveMultipart());
    }

    [Fact]
    public void Router_mandatory_send_to_unknown_peer_throws_host_unreachable()
    {
        using var context = new ZmqContext();
        using var router = new ZmqSocket(context, ZmqSocketType.Router) { RouterMandatory = true };
        router.Bind("inproc://mandatory");

        var error = Assert.Throws<ZmqException>(() => router.SendMultipart(Frames.Of("nobody", "hello")));

        const int ehostunreachOnLinux = 113;
        Assert.Equal(ehostunreachOnLinux, error.Errno);
        Assert.Contains("Host unreachable", error.Message);
    }

    [Fact]
    public void Req_sending_twice_without_a_reply_throws_efsm()
    {
        using var context = new ZmqContext();
        using var rep = new ZmqSocket(context, ZmqSocketType.Rep);
        rep.Bind("inproc://req-fsm");
        using var req = new ZmqSocket(context, ZmqSocketType.Req);
        req.Connect("inproc://req-fsm");
        req.Send(Frames.Utf8("first"));

        var error = Assert.Throws<ZmqException>(() => req.Send(Frames.Utf8("second")));

        const int efsm = 156384712 + 51;
        Assert.Equal(efsm, error.Errno);
        Assert.IsNotType<ZmqContextTerminatedException>(error);
    }

    [Fact]
    public void Unbind_and_disconnect_release_endpoints_and_fail_for_unknown_ones()
    {
        using var context = new ZmqContext();
        using var server = new ZmqSocket(context, ZmqSocketType.Router);
        server.Bind("tcp://127.0.0.1:*");
        string endpoint = server.LastEndpoint;
        using var client = new ZmqSocket(context, ZmqSocketType.Dealer);
        client.Connect(endpoint);

        client.Disconnect(endpoint);
        server.Unbind(endpoint);

        Assert.Throws<ZmqException>(() => client.Disconnect(endpoint));
        Assert.Throws<ZmqException>(() => server.Unbind(endpoint));
    }

    [Fact]
    public void Empty_multipart_message_is_rejected()
    {
        using var context = new ZmqContext();
        using var push = new ZmqSocket(context, ZmqSocketType.Push);

        Assert.Throws<ArgumentException>(() => push.SendMultipart([]));
    }
}
