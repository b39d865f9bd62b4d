using System;
using Zproto.Runtime.Engine;

namespace Zproto.Runtime.Servers;

// The engine's hooks into InboundFlowControl: every message that enters or leaves a mailbox goes
// through here, so the counts stay exact and a pause always ends.
public abstract partial class ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent>
{
    private readonly InboundFlowControl _flow;

    /// <summary>Messages answered with the protocol's refusal because a mailbox limit was reached.</summary>
    public long ShedMessages => _flow.Shed;

    /// <summary>Times the server stopped reading its socket because a mailbox limit was reached.</summary>
    public long ReadPauses => _flow.Pauses;

    /// <summary>
    /// The stand-in to queue in place of <paramref name="message"/> when <paramref name="client"/>'s
    /// mailbox (or all mailboxes together) is full, or null when the protocol cannot refuse it.
    /// The state machine meets the stand-in in order and answers it with a refusal the peer sees
    /// (zbroker: WRITE-TIMEOUT for a WRITE). Return one shared instance: a stand-in costs a list slot,
    /// and the message's payload is released at once. Return <paramref name="message"/> itself to keep a
    /// small message in its place (it is not counted as shed). With null the server stops reading its
    /// socket until the mailbox drains (see <see cref="ServerOptions.MailboxLimit"/>).
    /// </summary>
    protected virtual TMessage? ShedStandIn(TClient client, TMessage message) => null;

    /// <summary>Queues a received message, shedding it or pausing reading when a limit is reached;
    /// false when the client's session was ended instead.</summary>
    private bool Enqueue(TClient client, TMessage message, int size)
    {
        if (_flow.Admit(client.Inbound, size) == Admission.Full)
        {
            if (ShedStandIn(client, message) is { } standIn)
            {
                if (!_flow.AddStandIn(client.Inbound, shed: !ReferenceEquals(standIn, message)))
                {
                    // The peer keeps sending far past every refusal: its session ends (the peer's
                    // next message starts a new one, which the protocol answers as a stranger).
                    EngineLog.ShedLimitReached(Logger, Name, client.LogPrefix, Options.ShedLimit);
                    client.Terminated = true;
                    Destroy(client);
                    return false;
                }
                client.Mailbox.Add(standIn, -1);
                return true;
            }
            _flow.Add(client.Inbound, size);
            client.Mailbox.Add(message, size);
            _flow.Pause(client.Inbound);
            UpdateRouterEvents(); // no poller over datagrams: ReceiveDatagram drops instead
            EngineLog.ReadingPaused(Logger, Name, client.LogPrefix);
            return true;
        }
        _flow.Add(client.Inbound, size);
        client.Mailbox.Add(message, size);
        return true;
    }

    /// <summary>Removes the mailbox entry at <paramref name="index"/>.</summary>
    private void TakeFromMailbox(TClient client, int index)
    {
        var size = client.Mailbox.SizeAt(index);
        client.Mailbox.RemoveAt(index);
        Released(client, size);
    }

    /// <summary>Empties the mailbox of a client being destroyed.</summary>
    private void ClearMailbox(TClient client)
    {
        foreach (var size in client.Mailbox.Sizes)
            Released(client, size);
        client.Mailbox.Clear();
        client.DeferredPrefix = 0;
    }

    private void Released(TClient client, int size)
    {
        if (_flow.Remove(client.Inbound, size))
            UpdateRouterEvents();
    }
}
