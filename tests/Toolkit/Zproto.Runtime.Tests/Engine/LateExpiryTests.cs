using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zproto.Echo;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>
/// A message from a client whose session timed out while the server thread was busy (a long action, a GC
/// pause, a long batch) reaches the engine before the expiry timer has had a chance to run. It must meet
/// what the timer would have left: a fresh session when the model's <c>expired</c> event ends the old one,
/// the same session after its <c>expired</c> event when the model keeps it alive — never the old session
/// as if no time had passed.
/// </summary>
public sealed class LateExpiryTests : IDisposable
{
    // Long enough that a loaded machine does not expire a session between two of the test's own sends;
    // the stall is twice as long, so the session is overdue by a whole timeout when the loop resumes.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(1);

    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task A_message_queued_while_the_server_stalled_past_the_timeout_meets_a_fresh_session_when_expiry_ends_the_old_one()
    {
        await using var server = StartServer(keepAliveOnExpiry: false, out var endpoint);
        using var peer = new RawPeer(_context, endpoint);
        OpenSessionThenStallWithEchoQueued(server, peer);
        // The old session expired before the ECHO was looked at: the fresh session, in 'start', refuses it.
        peer.Expect<EchoMsg.Invalid>();

        // The fresh session lives on: the old session's timer, overdue since the stall, has run by now and
        // left it alone.
        peer.Send(new EchoMsg.Hello { Name = "q" });
        peer.Expect<EchoMsg.HelloOk>();
        peer.Send(new EchoMsg.Echo { Sequence = 2 });
        Assert.Equal(2u, peer.Expect<EchoMsg.EchoOk>().Sequence);
        Assert.Equal(
            ["Hello in Start #1", "Wait in Ready #1", "Expired in Ready #1", "destroyed #1", "Echo in Start #2", "Hello in Start #2", "Echo in Ready #2"],
            await JournalAfterDueTimersAsync(server));
    }

    [Fact]
    public async Task A_message_queued_while_the_server_stalled_past_the_timeout_runs_after_the_expired_event_when_the_model_keeps_the_session()
    {
        await using var server = StartServer(keepAliveOnExpiry: true, out var endpoint);
        using var peer = new RawPeer(_context, endpoint);
        OpenSessionThenStallWithEchoQueued(server, peer);
        Assert.Equal(1u, peer.Expect<EchoMsg.EchoOk>().Sequence);
        // Expired exactly once, before the ECHO, on the same session; the old timer, re-armed from the
        // ECHO's arrival, did not expire it a second time.
        Assert.Equal(["Hello in Start #1", "Wait in Ready #1", "Expired in Ready #1", "Echo in Ready #1"], await JournalAfterDueTimersAsync(server));

        // And the re-armed timer still works: the session, now silent, expires again.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await server.Invoke(() => server.Journal.Count(e => e == "Expired in Ready #1"))) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the session did not expire again within 15 s");
            await Task.Delay(50);
        }
    }

    private StallingServer StartServer(bool keepAliveOnExpiry, out string endpoint)
    {
        endpoint = $"inproc://late-expiry-{Guid.NewGuid():N}";
        var server = new StallingServer(new ServerOptions { Endpoints = { endpoint }, Context = _context, ClientTimeout = s_timeout }, keepAliveOnExpiry);
        server.Start();
        return server;
    }

    /// <summary>
    /// Opens a session (HELLO), then sends a WAIT, whose action blocks the server thread, and an ECHO (sequence 1)
    /// behind it. The action waits until the ECHO is queued (inproc: queued once the send returns), then blocks
    /// for two timeouts, so the ECHO is read in the same receive batch, before the loop runs any timer: exactly
    /// the stalled-thread race. Returns once WAIT-OK has come back.
    /// </summary>
    private static void OpenSessionThenStallWithEchoQueued(StallingServer server, RawPeer peer)
    {
        peer.Send(new EchoMsg.Hello { Name = "p" });
        peer.Expect<EchoMsg.HelloOk>();
        peer.Send(new EchoMsg.Wait { Delay = (uint)(2 * s_timeout.TotalMilliseconds) });
        peer.Send(new EchoMsg.Echo { Sequence = 1 });
        server.EchoQueued.Set();
        peer.Expect<EchoMsg.WaitOk>();
    }

    /// <summary>The journal, read on the server thread once every timer due now has run: a command runs
    /// before the loop's timers, so the second of two commands runs after the timers of the first one's turn.</summary>
    private static async Task<string[]> JournalAfterDueTimersAsync(StallingServer server)
    {
        await server.Invoke(() => true);
        return await server.Invoke(() => server.Journal.ToArray());
    }

    /// <summary>
    /// start: HELLO → HELLO-OK, ready; anything else → INVALID (the session stays). ready: ECHO → ECHO-OK;
    /// WAIT blocks the server thread (see <see cref="OpenSessionThenStallWithEchoQueued"/>) and answers WAIT-OK. expired ends
    /// the session, or, with <c>keepAliveOnExpiry</c>, does nothing. Every event is journalled with the
    /// state it ran in and the session's number.
    /// </summary>
    private sealed class StallingServer(ServerOptions options, bool keepAliveOnExpiry)
        : ZprotoServer<EchoMsg, EchoMsg.Message, StallingServer.Session, StallingServer.State, StallingServer.Event>(options, null, "stalling")
    {
        private int _sessions;

        public enum State { Start, Ready }

        public enum Event { Hello, Echo, Wait, Other, Expired }

        public sealed class Session : ServerClient<EchoMsg.Message, State, Event>
        {
            public int Number { get; init; }
        }

        public ManualResetEventSlim EchoQueued { get; } = new();

        /// <summary>Written and read on the server thread only.</summary>
        public List<string> Journal { get; } = new();

        protected override Session CreateClient() => new() { Number = ++_sessions };

        protected override void OnClientDestroyed(Session client) => Journal.Add($"destroyed #{client.Number}");

        protected override Event EventOf(EchoMsg.Message message) => message switch
        {
            EchoMsg.Hello => Event.Hello,
            EchoMsg.Echo => Event.Echo,
            EchoMsg.Wait => Event.Wait,
            _ => Event.Other,
        };

        protected override Disposition GetDisposition(Session client, Event @event) => Disposition.Handle;

        protected override bool Execute(Session client, Event @event)
        {
            Journal.Add($"{@event} in {client.State} #{client.Number}");
            switch (client.State, @event)
            {
                case (_, Event.Expired):
                    if (!keepAliveOnExpiry)
                        Terminate(client);
                    return true;
                case (State.Start, Event.Hello):
                    Send(client, new EchoMsg.HelloOk());
                    client.State = State.Ready;
                    return true;
                case (State.Start, _):
                    Send(client, new EchoMsg.Invalid());
                    return true;
                case (State.Ready, Event.Echo):
                    Send(client, new EchoMsg.EchoOk { Sequence = ((EchoMsg.Echo)client.Request!).Sequence });
                    return true;
                case (State.Ready, Event.Wait):
                    // The stall: nothing else runs on the server thread meanwhile, timers included.
                    if (!EchoQueued.Wait(TimeSpan.FromSeconds(10)))
                        throw new TimeoutException("the test did not queue its ECHO");
                    Thread.Sleep((int)((EchoMsg.Wait)client.Request!).Delay);
                    Send(client, new EchoMsg.WaitOk());
                    return true;
                default:
                    return false;
            }
        }

        protected override string EventName(Event @event) => @event.ToString();

        protected override string StateName(State state) => state.ToString();

        protected override Event? ExpiredEvent => Event.Expired;
    }
}
