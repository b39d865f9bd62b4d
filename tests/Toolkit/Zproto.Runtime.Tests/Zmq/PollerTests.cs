using System;
using System.Net;
using System.Net.Sockets;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class PollerTests
{
    [Fact]
    public void Poll_times_out_with_no_events_then_reports_the_socket_that_became_readable()
    {
        using var context = new ZmqContext();
        using var idle = new ZmqSocket(context, ZmqSocketType.Pull);
        idle.Bind("inproc://idle");
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull);
        pull.Bind("inproc://busy");
        using var push = new ZmqSocket(context, ZmqSocketType.Push);
        push.Connect("inproc://busy");
        var poller = new ZmqPoller();
        int idleIndex = poller.Add(idle);
        int pullIndex = poller.Add(pull);

        Assert.Equal(0, poller.Poll(TimeSpan.FromMilliseconds(30)));
        Assert.Equal(ZmqPollEvents.None, poller.GetReadyEvents(pullIndex));

        push.Send(Frames.Utf8("wake up"));

        Assert.Equal(1, poller.Poll(Frames.Patience));
        Assert.Equal(ZmqPollEvents.In, poller.GetReadyEvents(pullIndex));
        Assert.Equal(ZmqPollEvents.In, poller.GetReadyEvents(pull));
        Assert.Equal(ZmqPollEvents.None, poller.GetReadyEvents(idleIndex));
        Assert.True(pull.TryReceiveFrame(out byte[]? frame, out _, dontWait: true));
        Assert.Equal("wake up", Frames.Text(frame));
    }

    [Fact]
    public void Poll_waits_on_a_plain_udp_descriptor_next_to_a_zmq_socket_and_skips_an_emptied_slot()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull);
        pull.Bind("inproc://beside-udp");
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var poller = new ZmqPoller();
        int pullIndex = poller.Add(pull);
        int udpIndex = poller.AddDescriptor(udp.Handle);

        Assert.Equal(0, poller.Poll(TimeSpan.FromMilliseconds(30)));

        sender.SendTo("ping"u8, udp.LocalEndPoint!);
        Assert.Equal(1, poller.Poll(Frames.Patience));
        Assert.Equal(ZmqPollEvents.In, poller.GetReadyEvents(udpIndex));
        Assert.Equal(ZmqPollEvents.None, poller.GetReadyEvents(pullIndex));

        // Emptied (-1), the slot is skipped though the datagram is still unread.
        poller.SetDescriptor(udpIndex, -1);
        Assert.Equal(0, poller.Poll(TimeSpan.FromMilliseconds(30)));
        poller.SetDescriptor(udpIndex, udp.Handle);
        Assert.Equal(1, poller.Poll(Frames.Patience));
        Assert.Equal(4, udp.Receive(new byte[16]));
        Assert.Throws<ArgumentException>(() => poller.SetDescriptor(pullIndex, udp.Handle));
    }

    [Fact]
    public void Poll_reports_out_when_a_connected_socket_can_send()
    {
        using var context = new ZmqContext();
        using var pull = new ZmqSocket(context, ZmqSocketType.Pull);
        pull.Bind("inproc://out");
        using var push = new ZmqSocket(context, ZmqSocketType.Push);
        push.Connect("inproc://out");
        var poller = new ZmqPoller();
        poller.Add(push, ZmqPollEvents.Out);

        Assert.Equal(1, poller.Poll(Frames.Patience));
        Assert.Equal(ZmqPollEvents.Out, poller.GetReadyEvents(push));
        Assert.Equal(1, poller.Count);
    }

    [Fact]
    public void Poller_handles_more_sockets_than_fit_on_the_stack()
    {
        using var context = new ZmqContext();
        var poller = new ZmqPoller();
        var sockets = new ZmqSocket[40];
        try
        {
            for (int i = 0; i < sockets.Length; i++)
            {
                sockets[i] = new ZmqSocket(context, ZmqSocketType.Pull);
                sockets[i].Bind($"inproc://many-{i}");
                poller.Add(sockets[i]);
            }

            using var push = new ZmqSocket(context, ZmqSocketType.Push);
            push.Connect("inproc://many-39");
            push.Send(Frames.Utf8("last"));

            Assert.Equal(1, poller.Poll(Frames.Patience));
            Assert.Equal(ZmqPollEvents.In, poller.GetReadyEvents(39));
        }
        finally
        {
            foreach (ZmqSocket? socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }

    [Fact]
    public void Poller_rejects_a_socket_it_does_not_hold()
    {
        using var context = new ZmqContext();
        using var socket = new ZmqSocket(context, ZmqSocketType.Pull);

        Assert.Throws<ArgumentException>(() => new ZmqPoller().GetReadyEvents(socket));
    }
}
