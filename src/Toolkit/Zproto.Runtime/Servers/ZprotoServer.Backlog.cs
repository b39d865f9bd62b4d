using System;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Servers;

// Outbound flow control. With ZMQ_ROUTER_MANDATORY, libzmq refuses a reply (EAGAIN) once the peer's
// send queue holds SendHighWatermark replies, instead of dropping it as a plain ROUTER would. The
// refused reply waits in the peer's backlog and is retried every few milliseconds; a peer whose
// backlog passes PeerBacklogByteLimit does not read at all, and its session ends.
public abstract partial class ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent>
{
    // A retry costs one failed zmq_send per waiting peer; 10 ms keeps a reader that resumes close to
    // full speed without spinning on one that does not.
    private const int BacklogRetryMilliseconds = 10;

    private LogRateLimiter? _slowPeerLog;
    private long _slowPeerSessionsEnded;

    /// <summary>Sessions ended because the peer did not read its replies (<see cref="ServerOptions.PeerBacklogByteLimit"/>).</summary>
    public long SlowPeerSessionsEnded => _slowPeerSessionsEnded;

    /// <summary>Replies that had to wait because a peer's send queue was full (sent later or, for ended sessions, discarded).</summary>
    public long BackloggedReplies { get; private set; }

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
        if (!backlog.RetryScheduled)
        {
            backlog.RetryScheduled = true;
            ScheduleAt(Now + BacklogRetryMilliseconds, () => RetryBacklog(client));
        }
    }

    private void RetryBacklog(TClient client)
    {
        var backlog = client.Backlog!;
        backlog.RetryScheduled = false;
        if (client.Terminated || backlog.Ended)
            return;
        try
        {
            while (backlog.Count > 0)
            {
                if (!_router!.TrySend(client.RoutingId, more: true, dontWait: true))
                {
                    backlog.RetryScheduled = true;
                    ScheduleAt(Now + BacklogRetryMilliseconds, () => RetryBacklog(client));
                    return;
                }
                // Once the routing id is queued, libzmq takes the rest of the message.
                var frames = backlog.Peek();
                for (var i = 0; i < frames.Length; i++)
                    _router.TrySend(frames[i].Span, more: i < frames.Length - 1, dontWait: true);
                backlog.Dequeue();
            }
        }
        catch (ZmqException e) when (e.Errno == ZmqErrno.EHOSTUNREACH)
        {
            EngineLog.PeerGone(Logger, Name, client.LogPrefix, $"{backlog.Count} waiting replies");
            backlog.Clear();
        }
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
        });
    }
}
