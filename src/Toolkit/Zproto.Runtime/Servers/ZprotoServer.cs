using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;
using Zproto.Runtime.Zmq.Interop;
using Zproto.Wire;

namespace Zproto.Runtime.Servers;

/// <summary>
/// The engine under a generated zproto server: one ROUTER socket, one state machine per client
/// (per routing id), a mailbox per client so requests pipeline, the expiry timer, wakeups and
/// deadlines, events between clients, and a verbose trace. The generated subclass supplies the
/// state tables (<see cref="GetDisposition"/>, <see cref="Execute"/>) over its own
/// <typeparamref name="TState"/> and <typeparamref name="TEvent"/> enums, and the actions.
/// </summary>
/// <remarks>
/// A peer can never crash the server: malformed frames are counted and dropped, a message no state
/// handles is logged (rate-limited per peer) and dropped, and an exception thrown by an action is
/// logged and ends only that client's state machine.
/// </remarks>
public abstract partial class ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent> : ActorLoop, IZprotoServer
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
    where TClient : ServerClient<TMessage, TState, TEvent>
    where TState : struct, Enum
    where TEvent : struct, Enum
{
    private readonly Dictionary<byte[], TClient> _clients = new(ByteArrayComparer.Instance);
    // Looks clients up by the routing id as received, in libzmq's memory: no array per message.
    private readonly Dictionary<byte[], TClient>.AlternateLookup<ReadOnlySpan<byte>> _clientsByRoutingId;
    private readonly List<string> _endpoints = new();
    private readonly OutgoingMessage<TProtocol, TMessage> _outgoing = new();
    private readonly FrameReceiver<TProtocol, TMessage> _receiver;
    // The client the last message came from: consecutive messages mostly come from one peer, so it is
    // checked before the table. Never a destroyed record (those are terminated).
    private TClient? _lastClient;
    private ZmqSocket? _router;
    private ZmqPoller? _poller;
    private int _routerIndex;
    private ZmqAuthenticator? _authenticator;

    /// <summary>Creates a server; call <see cref="Start"/> to bind and run it.</summary>
    protected ZprotoServer(ServerOptions options, ILogger? logger, string name)
        : base(options?.Context, logger ?? NullLogger.Instance, name)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _receiver = new FrameReceiver<TProtocol, TMessage>(Logger, Name, routed: true, new LogRateLimiter(options.MalformedLogLimit),
            options.RequestEnvelope, options.MaxMultipartSize);
        _flow = new InboundFlowControl(options);
        _clientsByRoutingId = _clients.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The settings (read on the owner thread; change them before <see cref="Start"/>).</summary>
    public ServerOptions Options { get; }

    /// <summary>Endpoints bound, with wildcard ports resolved (e.g. <c>tcp://127.0.0.1:41234</c>).</summary>
    public IReadOnlyList<string> Endpoints
    {
        get { lock (_endpoints) return _endpoints.ToArray(); }
    }

    /// <summary>Frames that failed to decode and were dropped.</summary>
    public long MalformedMessages => _receiver.Malformed;

    /// <summary>Number of client records (owner thread only, or via <see cref="ActorLoop.Invoke{T}"/>).</summary>
    protected int ClientCount => _clients.Count;

    /// <summary>All current clients (owner thread only).</summary>
    protected IEnumerable<TClient> Clients => _clients.Values;

    /// <summary>Binds <see cref="ServerOptions.Endpoints"/> and starts the owner thread. Throws if a bind fails.</summary>
    public void Start() => StartLoop();

    /// <summary>Binds another endpoint while running; returns it with any wildcard port resolved.</summary>
    public Task<string> BindAsync(string endpoint) => Invoke(() => BindCore(endpoint));

    // ---- what the generated subclass supplies ---------------------------------------------------

    /// <summary>Creates the record for a new peer (its state is the first state).</summary>
    protected abstract TClient CreateClient();

    /// <summary>The event of a protocol message.</summary>
    protected abstract TEvent EventOf(TMessage message);

    /// <summary>What the client's current state does with protocol event <paramref name="event"/>.</summary>
    protected abstract Disposition GetDisposition(TClient client, TEvent @event);

    /// <summary>Runs the actions of <paramref name="event"/> in the client's state and moves it to the next state; false when the state has no such event.</summary>
    protected abstract bool Execute(TClient client, TEvent @event);

    /// <summary>The event's model name, for logs.</summary>
    protected abstract string EventName(TEvent @event);

    /// <summary>The state's model name, for logs.</summary>
    protected abstract string StateName(TState state);

    /// <summary>The <c>expired</c> event, or null when the model has none (clients then never expire, as in zproto).</summary>
    protected abstract TEvent? ExpiredEvent { get; }

    /// <summary>
    /// The internal event to run on the sender's state machine for a message that does not decode (or is
    /// larger than <see cref="ServerOptions.MaxMultipartSize"/>), or null to count and drop it, as zproto
    /// does (the default). A protocol whose peers wait for an answer to every request (REQ peers) returns
    /// an event here and answers it from the model.
    /// </summary>
    protected virtual TEvent? MalformedEvent(DecodeError error) => null;

    /// <summary>Called when a client record is created (before its first event).</summary>
    protected virtual void OnClientCreated(TClient client) { }

    /// <summary>Called when a client record is destroyed (terminate, expiry, server stop).</summary>
    protected virtual void OnClientDestroyed(TClient client) { }

    // ---- socket ---------------------------------------------------------------------------------

    /// <inheritdoc />
    protected override void OnStart(ZmqPoller poller)
    {
        _router = new ZmqSocket(Context, ZmqSocketType.Router)
        {
            SendHighWatermark = Options.SendHighWatermark,
            ReceiveHighWatermark = Options.ReceiveHighWatermark,
            MaxMessageSize = EffectiveMaxMessageSize(Options),
            RouterMandatory = true,
        };
        if (Options.Curve is { } c)
        {
            _router.ZapDomain = "zproto";
            _router.CurveServer = true;
            _router.CurveSecretKey = c.SecretKey;
            // Actions see which key each client authenticated with (ServerClient.UserId).
            _router.ReadsUserId = true;
        }
        _poller = poller;
        _routerIndex = poller.Add(_router);
        if (Options.Curve is { } curve)
        {
            // The ZAP handler answers libzmq's authentication requests on this same thread, so an
            // unauthorised client is refused in the handshake and never reaches a state machine.
            _authenticator = new ZmqAuthenticator(Context, curve.AllowedClientKeys, Logger, Name);
            poller.Add(_authenticator.Socket);
        }
        foreach (var endpoint in Options.Endpoints)
            BindCore(endpoint);
    }

    /// <summary>The <c>ZMQ_MAXMSGSIZE</c> a server with <paramref name="options"/> sets: the options' own, else
    /// the model's <c>max_size</c>, else <see cref="ServerOptions.DefaultMaxMessageSize"/>.</summary>
    public static long EffectiveMaxMessageSize(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxMessageSize ?? (TProtocol.MaxSize > 0 ? TProtocol.MaxSize : ServerOptions.DefaultMaxMessageSize);
    }

    private string BindCore(string endpoint)
    {
        _router!.Bind(endpoint);
        var bound = _router.LastEndpoint;
        lock (_endpoints)
            _endpoints.Add(bound);
        Logger.LogInformation("{Name}: listening on {Endpoint}", Name, bound);
        return bound;
    }

    /// <inheritdoc />
    protected override void OnStop()
    {
        // A copy: an OnClientDestroyed override may end other clients while we notify.
        var clients = new List<TClient>(_clients.Values);
        _clients.Clear();
        _lastClient = null;
        foreach (var client in clients)
        {
            // Their timers may still fire on a host loop that outlives this server: they must find them ended.
            client.Terminated = true;
            SafeDestroyed(client);
        }
        _router?.Dispose();
        _authenticator?.Dispose();
        _receiver.Dispose();
        _outgoing.Dispose();
    }

    /// <inheritdoc />
    protected override void OnReadable(int index)
    {
        if (index == 2)
        {
            _authenticator!.HandleRequests();
            return;
        }
        // Bounded batch so timers and commands are never starved by a busy peer.
        for (var n = 0; n < 256 && !_flow.IsPaused; n++)
        {
            if (!_receiver.TryReceive(_router!, out var routingId, out var message))
                return;
            if (message is not null)
                Deliver(routingId, _router!.PeerUserId ?? "", message, _receiver.LastSize);
            else if (!routingId.IsEmpty && MalformedEvent(_receiver.LastError) is { } malformed)
                RaiseMalformed(routingId, _router!.PeerUserId ?? "", malformed);
        }
    }

    // ---- receive path: a decoded message into its client's mailbox -----------------------------

    private void Deliver(ReadOnlySpan<byte> routingId, string userId, TMessage message, int size)
    {
        var now = Now;
        var client = FindOrCreate(routingId, userId, now);
        client.Enveloped = _receiver.LastEnveloped;
        client.LastActivity = now;
        RetryBacklogOnActivity(client);
        // Checked here, not only inside: ScheduleExpiry's timer lambda captures the client, so each call
        // allocates its closure even when the timer is already armed, as it is for all but the first message.
        if (!client.ExpiryScheduled)
            ScheduleExpiry(client);
        if (!TryDispatchAtOnce(client, message, size))
        {
            if (!Enqueue(client, message, size))
                return;
            Pump(client);
        }
        RunPendingEvents();
    }

    /// <summary>Runs the model's event for a message that did not decode on its sender's state machine.</summary>
    private void RaiseMalformed(ReadOnlySpan<byte> routingId, string userId, TEvent @event)
    {
        var now = Now;
        var client = FindOrCreate(routingId, userId, now);
        client.Enveloped = _receiver.LastEnveloped;
        client.LastActivity = now;
        if (!client.ExpiryScheduled)
            ScheduleExpiry(client);
        Dispatch(client, @event);
        Pump(client);
        RunPendingEvents();
    }

    /// <summary>The client with <paramref name="routingId"/>; a new one (and the one copy of its routing id) when there is
    /// none, or when the one there timed out and its <c>expired</c> event, run now, ended it.</summary>
    private TClient FindOrCreate(ReadOnlySpan<byte> routingId, string userId, long now)
    {
        var client = _lastClient;
        if ((client is not null && !client.Terminated && routingId.SequenceEqual(client.RoutingId)) || _clientsByRoutingId.TryGetValue(routingId, out client))
        {
            if (client.UserId != userId)
            {
                // A peer may choose its routing id: one that reuses a record's id after it disconnected,
                // authenticated as someone else, must not inherit that record's session.
                Logger.LogWarning("{Name}: {Client}: routing id reused by another identity; the old record ends", Name, client.LogPrefix);
                Destroy(client);
            }
            else if (!ExpireIfOverdue(client, now))
            {
                return _lastClient = client;
            }
        }
        client = CreateClient();
        client.RoutingId = routingId.ToArray();
        client.UserId = userId;
        client.LogPrefix = Convert.ToHexStringLower(routingId);
        _clients[client.RoutingId] = client;
        try
        {
            OnClientCreated(client);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "{Name}: {Client}: OnClientCreated failed", Name, client.LogPrefix);
        }
        return _lastClient = client;
    }

    /// <summary>True when a warning about <paramref name="client"/> may be written (a few per second per peer).</summary>
    private bool MayWarn(TClient client)
    {
        if (!Logger.IsEnabled(LogLevel.Warning))
            return false;
        var allowed = client.Warnings.TryAcquire(Now, out var suppressed);
        if (suppressed > 0)
            EngineLog.WarningsSuppressed(Logger, Name, client.LogPrefix, suppressed);
        return allowed;
    }

    // ---- send path ------------------------------------------------------------------------------

    /// <summary>Sends <paramref name="message"/> to <paramref name="client"/>. Never blocks and never drops the
    /// reply silently: when the peer's send queue is full the reply waits in its backlog, in order; a
    /// backlog past <see cref="ServerOptions.PeerBacklogByteLimit"/> ends the session (logged). A peer
    /// that is gone is logged at debug level.</summary>
    protected void Send(TClient client, TMessage message)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(message);
        if (client.Backlog is { Ended: true })
            return;
        if (Options.Verbose)
            EngineLog.TraceSend(Logger, Name, client.LogPrefix, TProtocol.GetName(message));
        if (_datagrams is { } datagrams)
        {
            SendDatagram(datagrams, client, message);
            return;
        }
        _outgoing.Encode(message);
        try
        {
            if (client.Backlog is { Count: > 0 } || !_router!.TrySend(client.RoutingId, more: true, dontWait: true))
            {
                // A REQ peer's envelope goes back as it came: routing id, empty delimiter, body.
                var frames = _outgoing.ToFrames();
                Backlog(client, client.Enveloped ? [ReadOnlyMemory<byte>.Empty, .. frames] : frames);
            }
            else
            {
                if (client.Enveloped)
                    _router.TrySend(ReadOnlySpan<byte>.Empty, more: true, dontWait: true);
                _outgoing.TrySend(_router);
            }
        }
        catch (ZmqException e) when (e.Errno == ZmqErrno.EHOSTUNREACH)
        {
            EngineLog.PeerGone(Logger, Name, client.LogPrefix, TProtocol.GetName(message));
        }
        finally
        {
            _outgoing.Release();
        }
    }
}
