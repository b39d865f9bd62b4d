using System;
using System.Collections.Generic;

namespace Zproto.Runtime.Servers;

/// <summary>
/// One connected peer of a server: its routing id, state-machine state and mailbox. Generated
/// servers derive their <c>Client</c> class from this; user code adds fields in its partial part.
/// Touched only on the server's owner thread.
/// </summary>
public abstract class ServerClient<TMessage> where TMessage : class
{
    internal readonly List<TMessage> Mailbox = new();
    /// <summary>Each mailbox entry's encoded size, or -1 for a shed stand-in (see <see cref="InboundFlowControl"/>).</summary>
    internal readonly List<int> MailboxSizes = new();
    internal readonly InboundAccount Inbound = new();
    /// <summary>How many leading mailbox entries are known to be deferred in <see cref="DeferredState"/>.</summary>
    internal int DeferredPrefix;
    internal int DeferredState = -1;
    internal int NextEvent = -1;
    internal int ExceptionEvent = -1;
    internal int WakeupGeneration;
    internal int DeadlineGeneration;
    internal long LastActivity;
    internal bool ExpiryScheduled;

    /// <summary>The peer's routing id on the ROUTER socket.</summary>
    public byte[] RoutingId { get; internal set; } = Array.Empty<byte>();

    /// <summary>A short printable id for logs (the routing id in hex, or the prefix set by the server).</summary>
    public string LogPrefix { get; set; } = "";

    /// <summary>The last protocol message received from this client (zproto's <c>request</c>).</summary>
    public TMessage? Request { get; internal set; }

    /// <summary>The reply the next <c>send</c> action sends when it is of the message type that action names (zproto's <c>reply</c>).</summary>
    public TMessage? Reply { get; set; }

    /// <summary>The current state, as the generated enum's value.</summary>
    public int StateValue { get; set; }

    /// <summary>True once the <c>terminate</c> action ran: the record is dropped after the current event.</summary>
    public bool Terminated { get; internal set; }

    /// <summary>The request as <typeparamref name="T"/>; throws when it is another message.</summary>
    public T RequestAs<T>() where T : class, TMessage =>
        Request as T ?? throw new InvalidOperationException($"the current request is {Request?.GetType().Name ?? "none"}, not {typeof(T).Name}");
}

/// <summary>What a state does with a protocol message.</summary>
public enum Disposition
{
    /// <summary>An event of the state (or its superstates, or '*') handles it now.</summary>
    Handle,
    /// <summary>The state waits for an internal event; the message stays in the mailbox (pipelining).</summary>
    Defer,
    /// <summary>Nothing handles it here: it is logged and dropped.</summary>
    Drop,
}
