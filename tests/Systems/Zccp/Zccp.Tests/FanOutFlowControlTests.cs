using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zccp.Protocol;
using Zccp.Tests.Infrastructure;
using Zproto.Runtime.Zmq;

namespace Zccp.Tests;

/// <summary>
/// A PUBLISH's DELIVER is encoded once and sent to every subscriber with the server engine's
/// <c>SendToMany</c>, without an event per subscriber. Each subscriber keeps its own flow control:
/// one that stops reading gets its DELIVERs later, in order, from its backlog; one that never reads
/// loses its session at the backlog limit. The others are served meanwhile and nothing is dropped
/// silently. Over tcp, so the non-reader's kernel buffers really fill.
/// </summary>
public sealed class FanOutFlowControlTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_subscriber_that_pauses_gets_every_delivery_in_order_from_its_backlog()
    {
        const int publishes = 600;
        await using var broker = TestBroker.Start(tcp: true, configure: o => o.SendHighWatermark = 10);
        using var paused = SubscriberThatDoesNotRead(broker, "paused");
        using var reader = broker.Greeted("reader");
        reader.Subscribe(@"^cpu\.");
        using var publisher = broker.Greeted("publisher");

        // 600 × 16 KiB = 9.4 MiB: more than the paused subscriber's queues and kernel buffers hold,
        // less than its 16 MiB backlog limit.
        var body = new string('x', 16 * 1024);
        PublishInStepWithReader(publisher, reader, publishes, body);
        Assert.True(await broker.Server.Invoke(() => broker.Server.BackloggedReplies) > 0, "no DELIVER had to wait: the test did not fill the paused subscriber's queue");

        var received = ReadAll(paused, expected: publishes);
        Assert.Equal(Enumerable.Range(0, publishes).Select(n => n.ToString()), received);
        Assert.Equal(0, await broker.Server.Invoke(() => broker.Server.SlowPeerSessionsEnded));
        Assert.Equal(3, await broker.Server.CountClientsAsync());
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_loses_its_session_at_the_backlog_limit_and_the_others_get_everything()
    {
        const int publishes = 1000;
        await using var broker = TestBroker.Start(tcp: true, configure: o =>
        {
            o.SendHighWatermark = 10;
            o.PeerBacklogByteLimit = 1024 * 1024;
        });
        using var stuck = SubscriberThatDoesNotRead(broker, "stuck");
        using var reader = broker.Greeted("reader");
        reader.Subscribe(@"^cpu\.");
        using var publisher = broker.Greeted("publisher");

        // 1,000 × 16 KiB = 16 MiB for the stuck subscriber: far past its queues and a 1 MiB backlog.
        var body = new string('x', 16 * 1024);
        PublishInStepWithReader(publisher, reader, publishes, body);

        Assert.Equal(1, await broker.Server.Invoke(() => broker.Server.SlowPeerSessionsEnded));
        // The ended session is destroyed from the server's loop, after the action that ended it.
        var clients = 0;
        for (var deadline = DateTime.UtcNow + s_deadline; DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            clients = await broker.Server.CountClientsAsync();
            if (clients == 2)
                break;
        }
        Assert.Equal(2, clients);
        // What reached the stuck subscriber is a gapless run from the first DELIVER: its session
        // ended, it was not served with holes.
        var received = ReadAll(stuck, expected: null);
        Assert.NotEmpty(received);
        Assert.True(received.Count < publishes, $"the stuck subscriber got all {publishes}");
        Assert.Equal(Enumerable.Range(0, received.Count).Select(n => n.ToString()), received);
    }

    /// <summary>Publishes in steps of 20 and lets <paramref name="reader"/> take each step's DELIVERs, in order,
    /// before the next: a reader that fell behind would back up and meet the backlog limit too.</summary>
    private static void PublishInStepWithReader(RawDealer publisher, RawDealer reader, int publishes, string body)
    {
        const int step = 20;
        for (var first = 0; first < publishes; first += step)
        {
            for (var n = first; n < first + step; n++)
                publisher.Publish($"cpu.{n}", n.ToString(), body);
            for (var n = first; n < first + step; n++)
                Assert.Equal(n.ToString(), Bytes.Text(reader.Expect<ZccpMsg.Deliver>(s_deadline).Content![0]));
        }
    }

    /// <summary>A greeted subscriber of <c>^cpu\.</c> whose DEALER queues at most 10 messages, so it backs up fast.</summary>
    private static ZmqSocket SubscriberThatDoesNotRead(TestBroker broker, string identifier)
    {
        var socket = new ZmqSocket(broker.Context, ZmqSocketType.Dealer) { ReceiveHighWatermark = 10, ReceiveTimeout = RawDealer.DefaultWait };
        socket.Connect(broker.Endpoint);
        socket.SendMultipart(ZccpMsg.EncodeFrames(new ZccpMsg.Hello { Identifier = identifier }));
        Assert.IsType<ZccpMsg.HelloOk>(Receive(socket));
        socket.SendMultipart(ZccpMsg.EncodeFrames(new ZccpMsg.Subscribe { Expression = @"^cpu\." }));
        Assert.IsType<ZccpMsg.SubscribeOk>(Receive(socket));
        return socket;
    }

    /// <summary>The first content frame of every DELIVER that arrives, until <paramref name="expected"/> did or
    /// (when null) none arrives for two seconds.</summary>
    private static List<string> ReadAll(ZmqSocket socket, int? expected)
    {
        var received = new List<string>();
        socket.ReceiveTimeout = expected is null ? TimeSpan.FromSeconds(2) : s_deadline;
        while (expected is null || received.Count < expected)
        {
            var message = Receive(socket);
            if (message is null)
                break;
            received.Add(Bytes.Text(Assert.IsType<ZccpMsg.Deliver>(message).Content![0]));
        }
        return received;
    }

    private static ZccpMsg.Message? Receive(ZmqSocket socket)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipart(frames))
            return null;
        Assert.True(ZccpMsg.TryDecode(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray(), out var message, out var error), $"malformed: {error}");
        return message;
    }
}
