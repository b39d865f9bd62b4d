using System;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Servers;

// One message to many clients (a broker's fan-out): encoded once, then only the routing id differs
// per client. Each client keeps its own flow control: a client whose send queue is full gets the
// message in its backlog (one copy of the frames, shared by every backlog it lands in), and a
// backlog past PeerBacklogByteLimit ends that client's session, exactly as Send does.
public abstract partial class ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent>
{
    /// <summary>
    /// Sends <paramref name="message"/> to every client in <paramref name="clients"/> (in order; a client
    /// listed twice gets it twice). The message is encoded once and no event runs on the receivers: use it
    /// from an action for a message whose bytes are the same for every receiver. Per client it behaves as
    /// <see cref="Send"/>: never blocks, and a client that does not read gets the message in its backlog,
    /// within <see cref="ServerOptions.PeerBacklogByteLimit"/>.
    /// </summary>
    protected void SendToMany(TMessage message, ReadOnlySpan<TClient> clients)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (clients.IsEmpty)
            return;
        if (_datagrams is not null)
        {
            // A datagram is one buffer per peer: nothing is shared.
            foreach (var client in clients)
                Send(client, message);
            return;
        }
        _outgoing.Encode(message);
        // Made only when a client's queue is full: one copy for every backlog this message enters.
        ReadOnlyMemory<byte>[]? frames = null;
        ReadOnlyMemory<byte>[]? envelopedFrames = null;
        foreach (var client in clients)
        {
            if (client.Backlog is { Ended: true })
                continue;
            if (Options.Verbose)
                EngineLog.TraceSend(Logger, Name, client.LogPrefix, TProtocol.GetName(message));
            try
            {
                if (client.Backlog is { Count: > 0 } || !_router!.TrySend(client.RoutingId, more: true, dontWait: true))
                {
                    frames ??= _outgoing.ToFrames();
                    Backlog(client, client.Enveloped ? envelopedFrames ??= [ReadOnlyMemory<byte>.Empty, .. frames] : frames);
                    continue;
                }
                if (client.Enveloped)
                    _router.TrySend(ReadOnlySpan<byte>.Empty, more: true, dontWait: true);
                _outgoing.TrySend(_router);
            }
            catch (ZmqException e) when (e.Errno == ZmqErrno.EHOSTUNREACH)
            {
                EngineLog.PeerGone(Logger, Name, client.LogPrefix, TProtocol.GetName(message));
            }
        }
        _outgoing.Release();
    }
}
