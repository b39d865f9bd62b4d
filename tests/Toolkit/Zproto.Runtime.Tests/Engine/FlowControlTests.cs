using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zproto.Echo;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>Inbound flow control: bounds in messages and bytes, back-pressure instead of drops, the
/// libzmq size limit, and rate-limited logs. Counts only; nothing here depends on timing.</summary>
public sealed class FlowControlTests : IDisposable
{
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void A_message_past_the_byte_limit_is_full_and_reading_resumes_once_the_mailbox_drains_to_half()
    {
        var flow = new InboundFlowControl(new ServerOptions { MailboxByteLimit = 1000 });
        var peer = new InboundAccount();

        // One message larger than the limit still enters an empty mailbox.
        Assert.Equal(Admission.Accept, flow.Admit(peer, 1500));
        flow.Add(peer, 1500);
        Assert.Equal(Admission.Full, flow.Admit(peer, 10));
        flow.Add(peer, 10);
        flow.Pause(peer);
        Assert.True(flow.IsPaused);
        Assert.Equal(1, flow.Pauses);

        Assert.False(flow.Remove(peer, 10));          // 1500 bytes left: above half the limit
        Assert.True(flow.IsPaused);
        Assert.True(flow.Remove(peer, 1500));         // drained: the pause ends
        Assert.False(flow.IsPaused);
        Assert.Equal((0L, 0L), (flow.Messages, flow.Bytes));
        Assert.Equal(Admission.Accept, flow.Admit(peer, 10));
    }

    [Fact]
    public void Once_congested_a_peer_stays_congested_until_half_drained_and_its_stand_ins_are_gone()
    {
        var flow = new InboundFlowControl(new ServerOptions { MailboxLimit = 4, MailboxByteLimit = long.MaxValue });
        var peer = new InboundAccount();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Admission.Accept, flow.Admit(peer, 1));
            flow.Add(peer, 1);
        }
        Assert.Equal(Admission.Full, flow.Admit(peer, 1));
        Assert.True(flow.AddStandIn(peer, shed: true));
        flow.Remove(peer, 1);
        Assert.Equal(Admission.Full, flow.Admit(peer, 1));  // 3 real messages and a stand-in: still congested
        flow.Remove(peer, 1);
        flow.Remove(peer, -1);
        Assert.Equal(Admission.Accept, flow.Admit(peer, 1));
        Assert.Equal(1, flow.Shed);
    }

    [Fact]
    public void The_global_limit_holds_across_peers()
    {
        var flow = new InboundFlowControl(new ServerOptions { GlobalMailboxLimit = 3 });
        var peers = Enumerable.Range(0, 4).Select(_ => new InboundAccount()).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Admission.Accept, flow.Admit(peers[i], 1));
            flow.Add(peers[i], 1);
        }
        Assert.Equal(Admission.Full, flow.Admit(peers[3], 1));
        Assert.False(peers[3].Congested);
    }

    [Fact]
    public void A_stand_in_past_the_shed_limit_is_refused()
    {
        var flow = new InboundFlowControl(new ServerOptions { ShedLimit = 2 });
        var peer = new InboundAccount();
        Assert.True(flow.AddStandIn(peer, shed: true));
        Assert.True(flow.AddStandIn(peer, shed: false));
        Assert.False(flow.AddStandIn(peer, shed: true));
        Assert.Equal(1, flow.Shed);
    }

    [Fact]
    public async Task A_full_mailbox_pauses_reading_and_every_request_is_still_answered_in_order()
    {
        await using var server = new EchoServer(new ServerOptions
        {
            Endpoints = { "inproc://flow-pause" },
            Context = _context,
            MailboxLimit = 10,
        });
        server.Start();
        await Task.Run(() =>
        {
            using var busy = new RawPeer(_context, "inproc://flow-pause");
            using var other = new RawPeer(_context, "inproc://flow-pause");
            busy.Send(new EchoMsg.Hello { Name = "busy" });
            busy.Expect<EchoMsg.HelloOk>();
            // WAIT holds the state; the ECHOs behind it overflow the 10-message mailbox.
            busy.Send(new EchoMsg.Wait { Delay = 300 });
            for (uint i = 1; i <= 100; i++)
                busy.Send(new EchoMsg.Echo { Sequence = i, Body = new byte[] { (byte)i } });
            // Held back by libzmq while reading is paused, served once it resumes.
            other.Send(new EchoMsg.Hello { Name = "other" });
            busy.Expect<EchoMsg.WaitOk>();
            for (uint i = 1; i <= 100; i++)
                Assert.Equal(i, busy.Expect<EchoMsg.EchoOk>().Sequence);
            other.Expect<EchoMsg.HelloOk>();
        });
        Assert.True(server.ReadPauses >= 1, $"{server.ReadPauses} pauses");
        Assert.Equal(0, server.ShedMessages);
    }

    [Fact]
    public async Task A_frame_over_MaxMessageSize_is_refused_by_libzmq_before_decoding_and_others_are_served()
    {
        await using var server = new EchoServer(new ServerOptions
        {
            // libzmq checks the size in its stream decoder, so tcp; inproc hands messages over whole.
            Endpoints = { "tcp://127.0.0.1:*" },
            Context = _context,
            MaxMessageSize = 1024,
        });
        server.Start();
        var endpoint = server.Endpoints[0];
        await Task.Run(() =>
        {
            using (var big = new RawPeer(_context, endpoint))
            {
                big.Send(new EchoMsg.Hello { Name = "big" });
                big.Expect<EchoMsg.HelloOk>();
                big.Send(new EchoMsg.Echo { Sequence = 1, Body = new byte[4096] });
                Assert.Null(big.Receive(TimeSpan.FromMilliseconds(500)));
            }
            using var small = new RawPeer(_context, endpoint);
            small.Send(new EchoMsg.Hello { Name = "small" });
            small.Expect<EchoMsg.HelloOk>();
            small.Send(new EchoMsg.Echo { Sequence = 2, Body = new byte[512] });
            Assert.Equal(2u, small.Expect<EchoMsg.EchoOk>().Sequence);
        });
        Assert.Equal(0, server.MalformedMessages);
    }

    [Fact]
    public async Task A_peer_that_stops_reading_gets_its_replies_in_order_until_its_backlog_is_full_then_its_session_ends()
    {
        const int requests = 400;
        var body = new byte[64 * 1024];
        await using var server = new EchoServer(new ServerOptions
        {
            // tcp: a real peer whose kernel buffers fill; inproc would hand messages over whole.
            Endpoints = { "tcp://127.0.0.1:*" },
            Context = _context,
            SendHighWatermark = 10,
            PeerBacklogByteLimit = 1024 * 1024,
        });
        server.Start();
        var endpoint = server.Endpoints[0];
        var replies = new List<EchoMsg.Message>();
        await Task.Run(() =>
        {
            using var slow = new ZmqSocket(_context, ZmqSocketType.Dealer) { ReceiveHighWatermark = 10, SendHighWatermark = 0 };
            slow.Connect(endpoint);
            slow.SendMultipart(EchoMsg.EncodeFrames(new EchoMsg.Hello { Name = "slow" }));
            // 400 × 64 KiB = 25 MiB of replies, never read while sent: more than the peer's queues,
            // its kernel buffers and a 1 MiB backlog can hold.
            for (uint i = 1; i <= requests; i++)
                slow.SendMultipart(EchoMsg.EncodeFrames(new EchoMsg.Echo { Sequence = i, Body = body }));

            // A well-behaved peer is served meanwhile.
            using (var good = new RawPeer(_context, endpoint))
            {
                good.Send(new EchoMsg.Hello { Name = "good" });
                good.Expect<EchoMsg.HelloOk>();
            }
            SpinWait.SpinUntil(() => server.Invoke(() => server.SlowPeerSessionsEnded).Result > 0, TimeSpan.FromSeconds(30));

            // Now the peer reads everything that reached it.
            slow.ReceiveTimeout = TimeSpan.FromSeconds(2);
            var frames = new List<byte[]>();
            while (slow.TryReceiveMultipart(frames))
            {
                Assert.True(EchoMsg.TryDecode(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray(), out var message, out _));
                replies.Add(message);
            }
        });

        Assert.Equal(1, server.SlowPeerSessionsEnded);
        Assert.True(server.BackloggedReplies > 0, "no reply waited");
        Assert.IsType<EchoMsg.HelloOk>(replies[0]);
        // No reply is missing from the middle: ECHO-OK 1..k in order, then the session had ended and
        // the rest of the requests met a new session, which answers a stranger with INVALID.
        var echoed = replies.Skip(1).TakeWhile(r => r is EchoMsg.EchoOk).Cast<EchoMsg.EchoOk>().Select(r => r.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, echoed.Count).Select(i => (uint)i), echoed);
        // How many reached the peer before its session ended depends on libzmq's I/O thread and the
        // kernel buffers (HWMs are approximate, and a loaded machine drains less): some, never all.
        Assert.InRange(echoed.Count, 1, requests - 1);
        Assert.All(replies.Skip(1 + echoed.Count), r => Assert.IsNotType<EchoMsg.EchoOk>(r));
    }

    [Fact]
    public async Task A_peer_that_pauses_then_reads_gets_every_reply_in_order_and_its_stalled_backlog_does_not_spin_the_loop()
    {
        const int requests = 300;
        const int goodRoundTrips = 2000;
        var body = new byte[64 * 1024];
        var inproc = $"inproc://backlog-stall-{Guid.NewGuid():N}";
        await using var server = new EchoServer(new ServerOptions
        {
            // tcp for the slow peer (its kernel buffers fill); inproc for the busy one (fast round trips).
            Endpoints = { "tcp://127.0.0.1:*", inproc },
            Context = _context,
            SendHighWatermark = 4,
            PeerBacklogByteLimit = 64L * 1024 * 1024,
        });
        server.Start();
        var endpoint = server.Endpoints[0];
        var replies = new List<EchoMsg.Message>();
        long stalledRetries = 0, stalledMilliseconds = 0;
        await Task.Run(() =>
        {
            using var slow = new ZmqSocket(_context, ZmqSocketType.Dealer) { ReceiveHighWatermark = 4, SendHighWatermark = 0 };
            slow.Connect(endpoint);
            slow.SendMultipart(EchoMsg.EncodeFrames(new EchoMsg.Hello { Name = "slow" }));
            // 300 × 64 KiB ≈ 19 MiB of replies, not read yet: more than libzmq's queues and the
            // kernel buffers hold, so most wait in the backlog (which holds them all: 64 MiB).
            for (uint i = 1; i <= requests; i++)
                slow.SendMultipart(EchoMsg.EncodeFrames(new EchoMsg.Echo { Sequence = i, Body = body }));
            Assert.True(SpinWait.SpinUntil(() => server.Invoke(() => server.BackloggedReplies).Result > 0, TimeSpan.FromSeconds(30)), "no reply waited");

            // While the slow peer's backlog is stalled, a busy peer keeps another queue of the ROUTER
            // empty, so libzmq reports POLLOUT all the time: a loop that retried on every POLLOUT
            // would make at least one attempt per round trip, thousands here.
            var before = server.Invoke(() => server.BacklogRetries).Result;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using (var good = new RawPeer(_context, inproc))
            {
                good.Send(new EchoMsg.Hello { Name = "good" });
                good.Expect<EchoMsg.HelloOk>();
                for (uint i = 1; i <= goodRoundTrips; i++)
                {
                    good.Send(new EchoMsg.Echo { Sequence = i, Body = new byte[] { 1 } });
                    Assert.Equal(i, good.Expect<EchoMsg.EchoOk>().Sequence);
                }
            }
            stalledRetries = server.Invoke(() => server.BacklogRetries).Result - before;
            stalledMilliseconds = watch.ElapsedMilliseconds;

            // Now the peer reads everything.
            slow.ReceiveTimeout = TimeSpan.FromSeconds(10);
            var frames = new List<byte[]>();
            while (replies.Count < requests + 1 && slow.TryReceiveMultipart(frames))
            {
                Assert.True(EchoMsg.TryDecode(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray(), out var message, out _));
                replies.Add(message);
            }
        });

        Assert.Equal(0, server.SlowPeerSessionsEnded);
        Assert.IsType<EchoMsg.HelloOk>(replies[0]);
        Assert.Equal(Enumerable.Range(1, requests).Select(i => (uint)i), replies.Skip(1).Cast<EchoMsg.EchoOk>().Select(r => r.Sequence));
        // A stalled backlog is retried on a timer backing off to 10 ms (at most 5 + t/10 ms attempts),
        // once more each time it sends something, and once per message from its peer (at most
        // 'requests' still arriving): far below one attempt per round trip of the busy peer.
        // (The bound stays under 'goodRoundTrips' unless the round trips take over 8 s.)
        var bound = 20 + requests + stalledMilliseconds / 5;
        Assert.True(stalledRetries <= bound, $"{stalledRetries} backlog retries in {stalledMilliseconds} ms (bound {bound})");
    }

    [Fact]
    public void Log_lines_are_limited_per_peer_and_in_total()
    {
        var limiter = new LogRateLimiter(perPeerLimit: 2);
        var a = new byte[] { 1 };
        Assert.True(limiter.ShouldLog(a, out _));
        Assert.True(limiter.ShouldLog(a, out _));
        Assert.False(limiter.ShouldLog(a, out _));
        Assert.True(limiter.ShouldLog([2], out _));
        var allowed = Enumerable.Range(3, 40).Count(i => limiter.ShouldLog([(byte)i], out _));
        Assert.Equal(17, allowed);                    // 20 in total per minute, 3 already used
        Assert.Equal(1 + 40 - 17, limiter.Suppressed);
    }

    [Fact]
    public void Max_message_size_round_trips_and_rejects_values_below_minus_one()
    {
        using var socket = new ZmqSocket(_context, ZmqSocketType.Router);
        Assert.Equal(-1, socket.MaxMessageSize);
        socket.MaxMessageSize = 5L * 1024 * 1024 * 1024;
        Assert.Equal(5L * 1024 * 1024 * 1024, socket.MaxMessageSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => socket.MaxMessageSize = -2);
    }
}
