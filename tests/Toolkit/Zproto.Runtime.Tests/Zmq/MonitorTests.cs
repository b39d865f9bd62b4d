using System;
using System.IO;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class MonitorTests
{
    [Fact]
    public void Monitor_reports_accepted_on_the_server_and_connected_on_the_client_over_tcp()
    {
        using var context = new ZmqContext();
        using var server = new ZmqSocket(context, ZmqSocketType.Router);
        using var serverMonitor = new ZmqMonitor(server);
        server.Bind("tcp://127.0.0.1:*");
        string endpoint = server.LastEndpoint;
        using var client = new ZmqSocket(context, ZmqSocketType.Dealer);
        using var clientMonitor = new ZmqMonitor(client, ZmqMonitorEventType.Connected);

        client.Connect(endpoint);

        ZmqMonitorEvent accepted = WaitFor(serverMonitor, ZmqMonitorEventType.Accepted);
        ZmqMonitorEvent connected = WaitFor(clientMonitor, ZmqMonitorEventType.Connected);
        Assert.Equal(endpoint, accepted.Endpoint);
        Assert.Equal(endpoint, connected.Endpoint);
        Assert.True(connected.Value > 0, "CONNECTED carries the connection's file descriptor.");
    }

    [Fact]
    public void Monitor_reports_listening_with_the_bound_endpoint()
    {
        using var context = new ZmqContext();
        using var server = new ZmqSocket(context, ZmqSocketType.Router);
        using var monitor = new ZmqMonitor(server, ZmqMonitorEventType.Listening);

        server.Bind("tcp://127.0.0.1:*");

        Assert.True(monitor.TryReceive(Frames.Patience, out ZmqMonitorEvent listening));
        Assert.Equal(new ZmqMonitorEvent(ZmqMonitorEventType.Listening, listening.Value, server.LastEndpoint), listening);
        Assert.False(monitor.TryReceive(out _, dontWait: true));
    }

    [Fact]
    public void Monitor_socket_can_be_polled_and_dispose_is_idempotent()
    {
        using var context = new ZmqContext();
        using var server = new ZmqSocket(context, ZmqSocketType.Router);
        var monitor = new ZmqMonitor(server, ZmqMonitorEventType.Listening);
        var poller = new ZmqPoller();
        poller.Add(monitor.Socket);

        server.Bind("tcp://127.0.0.1:*");

        Assert.Equal(1, poller.Poll(Frames.Patience));
        monitor.Dispose();
        monitor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => monitor.TryReceive(out _, dontWait: true));
    }

    [Fact]
    public void Parse_reads_event_and_value_in_host_order_then_the_endpoint()
    {
        byte[] head = new byte[6];
        BitConverter.TryWriteBytes(head.AsSpan(0, 2), (ushort)0x0020);
        BitConverter.TryWriteBytes(head.AsSpan(2, 4), 17u);

        ZmqMonitorEvent parsed = ZmqMonitor.Parse([head, Frames.Utf8("tcp://127.0.0.1:5555")]);

        Assert.Equal(new ZmqMonitorEvent(ZmqMonitorEventType.Accepted, 17, "tcp://127.0.0.1:5555"), parsed);
    }

    [Fact]
    public void Parse_rejects_frames_that_are_not_a_monitor_event()
    {
        Assert.Throws<InvalidDataException>(() => ZmqMonitor.Parse([new byte[5], Frames.Utf8("x")]));
        Assert.Throws<InvalidDataException>(() => ZmqMonitor.Parse([new byte[6]]));
        Assert.Throws<InvalidDataException>(() => ZmqMonitor.Parse([]));
    }

    /// <summary>Reads events until one of <paramref name="type"/>; others (LISTENING,
    /// HANDSHAKE_SUCCEEDED, ...) may come first.</summary>
    private static ZmqMonitorEvent WaitFor(ZmqMonitor monitor, ZmqMonitorEventType type)
    {
        DateTime deadline = DateTime.UtcNow + Frames.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (monitor.TryReceive(TimeSpan.FromMilliseconds(100), out ZmqMonitorEvent monitorEvent)
                && monitorEvent.Type == type)
            {
                return monitorEvent;
            }
        }

        throw new Xunit.Sdk.XunitException($"No {type} event within {Frames.Patience}.");
    }
}
