using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Zproto.Vtx.Tls;

/// <summary>The tls driver's socket-type emulation: where an application message goes, and which network messages reach the application.</summary>
public sealed partial class TlsDriver
{
    private readonly List<ReadOnlyMemory<byte>> _delivery = [];

    /// <inheritdoc />
    protected override void OnApplicationMessage(int id, List<byte[]> frames)
    {
        if (!_vockets.TryGetValue(id, out var vocket))
            return;
        foreach (var frame in frames)
        {
            if (frame.Length > _options.MaxFrameSize)
            {
                // The peer would disconnect on it, so it never leaves.
                Drop("W: a frame of {Length} octets is over the limit of {Limit}; message dropped", frame.Length, _options.MaxFrameSize);
                return;
            }
        }
        // The base class reuses its list, so the message gets its own.
        var message = new List<byte[]>(frames);
        switch (vocket.Type)
        {
            case VtxSocketType.Pub:
                foreach (var connection in vocket.Live)
                {
                    if (!connection.TrySend(message))
                        Statistics.Dropped(); // a slow subscriber loses messages, as at ZeroMQ's high-water mark
                }
                break;
            case VtxSocketType.Router:
                string identity = Encoding.UTF8.GetString(message[0]);
                message.RemoveAt(0);
                if (message.Count == 0 || !vocket.ByIdentity.TryGetValue(identity, out var routed))
                    Drop("W: no route to {Identity}; message dropped", identity);
                else if (!routed.TrySend(message))
                    Drop("W: {Identity} is not reading; message dropped", identity);
                break;
            case VtxSocketType.Rep:
                SendReply(vocket, message);
                break;
            case VtxSocketType.Sub or VtxSocketType.Pull:
                Drop("W: a {Type} socket cannot send; message dropped", vocket.Type);
                break;
            default: // REQ, DEALER, PUSH, PAIR: to one connection, in order
                if (vocket.Outbox.Count >= _options.OutboxLimit)
                {
                    Drop("W: the {Type} socket's outbox is full ({Limit} messages); message dropped", vocket.Type, _options.OutboxLimit);
                    return;
                }
                vocket.Outbox.Enqueue(message);
                FlushOutbox(vocket);
                break;
        }
    }

    /// <summary>Owner thread: sends queued messages round-robin while a connection has room.</summary>
    private void FlushOutbox(TlsVocket vocket)
    {
        while (vocket.Outbox.TryPeek(out var message) && vocket.Live.Count > 0)
        {
            var result = SendRoundRobin(vocket, message);
            if (result == Sent.NoRoom)
                return; // a writer that makes room posts another flush
            vocket.Outbox.Dequeue();
        }
    }

    private enum Sent
    {
        Yes,
        NoRoom,
        Refused,
    }

    /// <summary>The next live connection, from where the last send stopped, that can take the message.</summary>
    private Sent SendRoundRobin(TlsVocket vocket, List<byte[]> message)
    {
        bool req = vocket.Type == VtxSocketType.Req;
        bool anyIdle = false;
        for (int tried = 0; tried < vocket.Live.Count; tried++)
        {
            int index = (vocket.NextIndex + tried) % vocket.Live.Count;
            var connection = vocket.Live[index];
            if (req && connection.AwaitingReply)
                continue;
            anyIdle = true;
            if (!connection.TrySend(message))
                continue;
            connection.AwaitingReply = req;
            vocket.NextIndex = index + 1;
            return Sent.Yes;
        }
        if (req && !anyIdle)
        {
            // As the udp driver (and the 2011 original): the application holds a DEALER, so a second
            // request is refused here instead of by libzmq's REQ state machine.
            Drop("W: illegal send() without recv() from REQ socket; message dropped");
            return Sent.Refused;
        }
        return Sent.NoRoom;
    }

    /// <summary>REP: answers the oldest unanswered request's connection.</summary>
    private void SendReply(TlsVocket vocket, List<byte[]> message)
    {
        if (!vocket.Requesters.TryDequeue(out var requester))
            Drop("W: illegal send() without recv() on REP socket; message dropped");
        else if (!requester.Attached)
            Drop("W: the requester {Identity} is gone; reply dropped", requester.Identity);
        else if (!requester.TrySend(message))
            Drop("W: {Identity} is not reading; reply dropped", requester.Identity);
    }

    /// <summary>Owner thread: a message read from <paramref name="connection"/>.</summary>
    private void OnNetworkMessage(TlsVocket vocket, TlsConnection connection, List<byte[]> frames)
    {
        if (!connection.Attached)
        {
            Statistics.Dropped(); // read just before the close
            return;
        }
        switch (vocket.Type)
        {
            case VtxSocketType.Pub or VtxSocketType.Push:
                Drop("W: unexpected message from {Identity} on a {Type} socket; dropped", connection.Identity, vocket.Type);
                return;
            case VtxSocketType.Req when !connection.AwaitingReply:
                Drop("W: unexpected reply from {Identity}; dropped", connection.Identity);
                return;
            case VtxSocketType.Rep when vocket.Requesters.Count >= _options.OutboxLimit:
                Drop("W: {Limit} requests are unanswered; request from {Identity} dropped", _options.OutboxLimit, connection.Identity);
                return;
            case VtxSocketType.Sub when !Subscribed(vocket, frames[0]):
                Statistics.Dropped();
                return;
        }
        _delivery.Clear();
        if (vocket.Type == VtxSocketType.Router)
            _delivery.Add(Encoding.UTF8.GetBytes(connection.Identity));
        foreach (var frame in frames)
            _delivery.Add(frame);
        if (!Deliver(vocket.Id, _delivery))
        {
            Drop("W: the application is not reading its {Type} socket; message dropped", vocket.Type);
            return;
        }
        Statistics.Delivered();
        vocket.LastSender = connection.Remote.Address.ToString();
        if (vocket.Type == VtxSocketType.Req)
            connection.AwaitingReply = false;
        else if (vocket.Type == VtxSocketType.Rep)
            vocket.Requesters.Enqueue(connection);
    }

    private static bool Subscribed(TlsVocket vocket, byte[] topic)
    {
        foreach (var prefix in vocket.Subscriptions)
        {
            if (topic.AsSpan().StartsWith(prefix))
                return true;
        }
        return false;
    }

    private void Drop(string message, params object?[] args)
    {
        Statistics.Dropped();
#pragma warning disable CA2254 // the templates are the constants above, kept next to their causes
        Logger.LogWarning(message, args);
#pragma warning restore CA2254
    }
}
