using System;
using System.Collections.Generic;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Servers;

// Outbound flow control. With ZMQ_ROUTER_MANDATORY, libzmq refuses a reply (EAGAIN) once the peer's
// send queue holds SendHighWatermark replies, instead of dropping it as a plain ROUTER would. The
// refused reply waits in the peer's backlog, in order; a peer whose backlog passes
// PeerBacklogByteLimit does not read at all, and its session ends.
//
// When a backlog is retried. libzmq tells a ROUTER_MANDATORY socket's POLLOUT when ANY peer's queue
// has room, not which one, so POLLOUT alone would spin on a peer that does not read while another
// peer's queue is empty. A waiting peer is therefore in one of two modes:
// * eager: the loop polls the ROUTER for POLLOUT and retries the peer as soon as it fires, so a reader
//   that drains its queue gets the next replies at once. A retry that sends nothing makes it
// * stalled: no POLLOUT for it; it is retried on a timer that backs off from 1 ms to
//   BacklogRetryMilliseconds, and whenever a message from the peer arrives (it is reading its socket:
//   a windowed client sends its next request right after reading a reply). A retry that sends
//   something makes it eager again.
// So every retry that sends nothing either ends the eager mode or is paid for by a timer at a bounded
// rate or by a message from the peer: the loop never spins (BacklogRetries counts every attempt).
public abstract partial class ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent>
{
    // The longest a stalled backlog waits between retries; each costs one failed zmq_send.
    private const int BacklogRetryMilliseconds = 10;

    // Peers whose backlog is not empty, in the order they began to wait.
    private readonly List<TClient> _waitingPeers = new();
    private LogRateLimiter? _slowPeerLog;
    private long _slowPeerSessionsEnded;

    /// <summary>Sessions ended because the peer did not read its replies (<see cref="ServerOptions.PeerBacklogByteLimit"/>).</summary>
    public long SlowPeerSessionsEnded => _slowPeerSessionsEnded;

    /// <summary>Replies that had to wait because a peer's send queue was full (sent later or, for ended sessions, discarded).</summary>
    public long BackloggedReplies { get; private set; }

    /// <summary>Attempts to send a waiting peer's backlog, successful or not (each costs at least one zmq_send).</summary>
    public long BacklogRetries { get; private set; }

    private void Backlog(TClient client, ReadOnlyMemory<byte>[] frames)
    {
        var backlog = client.Backlog ??= new OutboundBacklog();
        BackloggedReplies++;
        if (backlog.Bytes + OutboundBacklog.SizeOf(frames) > Options.PeerBacklogByteLimit)
        {
            EndSlowSession(client, backlog);
            return;
        }
        backlog.Enqueue(frames);
        if (!backlog.Waiting)
        {
            backlog.Waiting = true;
            _waitingPeers.Add(client);
            MakeEager(backlog);
        }
    }

    /// <summary>POLLOUT on the ROUTER: some peer's queue has room. Retries every eager backlog.</summary>
    protected override void OnWritable(int index)
    {
        if (index != _routerIndex)
            return;
        // Oldest first; a peer done waiting leaves the list, and nothing here adds to it.
        for (var i = 0; i < _waitingPeers.Count;)
        {
            var client = _waitingPeers[i];
            var backlog = client.Backlog!;
            if (!backlog.Stalled && !IsDone(client, backlog) && SendBacklog(client, backlog) == 0 && !IsDone(client, backlog))
                Stall(client, backlog);
            if (IsDone(client, backlog))
            {
                StopWaiting(backlog);
                _waitingPeers.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }
        UpdateRouterEvents();
    }

    /// <summary>A message from <paramref name="client"/> arrived: it reads its socket, so its stalled backlog may fit now.</summary>
    private void RetryBacklogOnActivity(TClient client)
    {
        if (client.Backlog is { Stalled: true, Count: > 0 } backlog && !IsDone(client, backlog))
            RetryStalled(client, backlog, backOff: false);
    }

    private void RetryStalled(TClient client, OutboundBacklog backlog, bool backOff)
    {
        if (SendBacklog(client, backlog) > 0)
            MakeEager(backlog); // done or not, OnWritable takes it from here
        else if (backOff)
            Stall(client, backlog);
    }

    private void MakeEager(OutboundBacklog backlog)
    {
        backlog.Stalled = false;
        backlog.BackoffMilliseconds = 0;
        UpdateRouterEvents();
    }

    /// <summary>Stops polling for the peer and retries it on the backed-off timer.</summary>
    private void Stall(TClient client, OutboundBacklog backlog)
    {
        backlog.Stalled = true;
        backlog.BackoffMilliseconds = Math.Min(Math.Max(1, backlog.BackoffMilliseconds * 2), BacklogRetryMilliseconds);
        if (backlog.RetryScheduled)
            return;
        backlog.RetryScheduled = true;
        ScheduleAt(Now + backlog.BackoffMilliseconds, () =>
        {
            backlog.RetryScheduled = false;
            if (backlog.Stalled && !IsDone(client, backlog))
                RetryStalled(client, backlog, backOff: true);
            // A peer done waiting leaves the list at the next POLLOUT, or now when none is eager.
            UpdateRouterEvents();
        });
    }

    private static bool IsDone(TClient client, OutboundBacklog backlog) => backlog.Count == 0 || client.Terminated || backlog.Ended;

    private static void StopWaiting(OutboundBacklog backlog)
    {
        backlog.Waiting = false;
        backlog.Stalled = false;
        backlog.BackoffMilliseconds = 0;
    }

    /// <summary>
    /// Polls the ROUTER for input unless reading is paused (<see cref="InboundFlowControl"/>), and for
    /// POLLOUT while some backlog is eager. Without an eager backlog the list is pruned of peers done
    /// waiting, so it holds only stalled ones, each with its timer.
    /// </summary>
    private void UpdateRouterEvents()
    {
        if (_poller is null)
            return;
        var eager = false;
        for (var i = _waitingPeers.Count - 1; i >= 0; i--)
        {
            var client = _waitingPeers[i];
            var backlog = client.Backlog!;
            if (IsDone(client, backlog))
            {
                if (backlog.RetryScheduled)
                    continue; // its timer prunes it
                StopWaiting(backlog);
                _waitingPeers.RemoveAt(i);
            }
            else if (!backlog.Stalled)
            {
                eager = true;
            }
        }
        _poller.SetEvents(_routerIndex, (_flow.IsPaused ? ZmqPollEvents.None : ZmqPollEvents.In) | (eager ? ZmqPollEvents.Out : ZmqPollEvents.None));
    }

    /// <summary>Sends what the peer's queue takes of its backlog, oldest first; returns the replies sent.</summary>
    private int SendBacklog(TClient client, OutboundBacklog backlog)
    {
        BacklogRetries++;
        var sent = 0;
        try
        {
            while (backlog.Count > 0)
            {
                if (!_router!.TrySend(client.RoutingId, more: true, dontWait: true))
                    return sent;
                // Once the routing id is queued, libzmq takes the rest of the message.
                var frames = backlog.Peek();
                for (var i = 0; i < frames.Length; i++)
                    _router.TrySend(frames[i].Span, more: i < frames.Length - 1, dontWait: true);
                backlog.Dequeue();
                sent++;
            }
        }
        catch (ZmqException e) when (e.Errno == ZmqErrno.EHOSTUNREACH)
        {
            EngineLog.PeerGone(Logger, Name, client.LogPrefix, $"{backlog.Count} waiting replies");
            backlog.Clear();
        }
        return sent;
    }

    private void EndSlowSession(TClient client, OutboundBacklog backlog)
    {
        _slowPeerSessionsEnded++;
        _slowPeerLog ??= new LogRateLimiter(Options.MalformedLogLimit);
        if (_slowPeerLog.ShouldLog(client.RoutingId, out var suppressed))
        {
            if (suppressed > 0)
                EngineLog.SlowPeersSuppressed(Logger, Name, suppressed);
            EngineLog.SlowPeerSessionEnded(Logger, Name, client.LogPrefix, backlog.Bytes);
        }
        backlog.Clear();
        backlog.Ended = true;
        client.Terminated = true;
        // Destroyed from the loop, never inside the caller: Send may run in another client's action
        // or while user code walks the clients. Until then the terminated machine takes no message.
        ScheduleAt(Now, () =>
        {
            if (_clients.TryGetValue(client.RoutingId, out var current) && ReferenceEquals(current, client))
                Destroy(client);
            UpdateRouterEvents();
        });
    }
}
