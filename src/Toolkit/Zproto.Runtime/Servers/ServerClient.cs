using System;
using Zproto.Runtime.Engine;

namespace Zproto.Runtime.Servers;

/// <summary>
/// One connected peer of a server: its routing id, state machine and mailbox. Generated servers
/// derive their <c>Client</c> class from this; user code adds fields in its partial part. Touched
/// only on the server's owner thread.
/// </summary>
/// <typeparam name="TMessage">The protocol's message base type.</typeparam>
/// <typeparam name="TState">The generated <c>State</c> enum.</typeparam>
/// <typeparam name="TEvent">The generated <c>Event</c> enum.</typeparam>
public abstract class ServerClient<TMessage, TState, TEvent> : MachineInstance<TState, TEvent>
    where TMessage : class
    where TState : struct, Enum
    where TEvent : struct, Enum
{
    internal readonly Mailbox<TMessage> Mailbox = new();
    internal WarningLimiter Warnings;
    internal readonly InboundAccount Inbound = new();
    /// <summary>Replies waiting for the peer's send queue to have room; null until one had to wait.</summary>
    internal OutboundBacklog? Backlog;
    /// <summary>How many leading mailbox entries are known to be deferred in <see cref="DeferredState"/>.</summary>
    internal int DeferredPrefix;
    internal TState? DeferredState;
    internal int DeadlineGeneration;
    internal long LastActivity;
    internal bool ExpiryScheduled;

    /// <summary>The peer's messages carry an empty delimiter after the routing id (a REQ peer; see
    /// <see cref="ServerOptions.RequestEnvelope"/>), so messages sent to it carry one too.</summary>
    internal bool Enveloped;

    /// <summary>The peer's routing id on the ROUTER socket.</summary>
    public byte[] RoutingId { get; internal set; } = Array.Empty<byte>();

    /// <summary>
    /// Who the peer authenticated as: the ZAP User-Id of its connection, which with CURVE is the
    /// client's public key in Z85 (see <see cref="Zproto.Runtime.Zmq.ZmqAuthenticator"/>). Empty
    /// without CURVE. The engine checks it on every message: a message from the same routing id but
    /// another identity ends this record and starts a fresh one, so it never changes under an action.
    /// </summary>
    public string UserId { get; internal set; } = "";

    /// <summary>A short printable id for logs (the routing id in hex, or the prefix set by the server).</summary>
    public string LogPrefix { get; set; } = "";

    /// <summary>
    /// The last protocol message received from this client (zproto's <c>request</c>). Actions that run
    /// under exactly one message event receive it typed instead; this is for actions shared by several.
    /// </summary>
    public TMessage? Request { get; internal set; }
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
