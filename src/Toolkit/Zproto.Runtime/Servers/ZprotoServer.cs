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
/// state tables (<see cref="GetDisposition"/>, <see cref="Execute"/>) and the actions.
/// </summary>
/// <remarks>
/// A peer can never crash the server: malformed frames are counted and dropped, a message no state
/// handles is logged and dropped, and an exception thrown by an action is logged and ends only that
/// client's state machine.
/// </remarks>
public abstract partial class ZprotoServer<TProtocol, TMessage, TClient> : ActorLoop, IZprotoServer
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
    where TClient : ServerClient<TMessage>
{
    private readonly Dictionary<byte[], TClient> _clients = new(ByteArrayComparer.Instance);
    private readonly List<string> _endpoints = new();
    private readonly List<byte[]> _frames = new();
    private readonly List<ReadOnlyMemory<byte>> _codecFrames = new();
    private readonly Queue<(TClient Client, int Event)> _pendingEvents = new();
    private readonly OutgoingMessage<TProtocol, TMessage> _outgoing = new();
    private ZmqSocket? _router;
    private ZmqPoller? _poller;
    private int _routerIndex;
    private ZmqAuthenticator? _authenticator;
    private bool _dispatching;
    private long _malformed;

    /// <summary>Creates a server; call <see cref="Start"/> to bind and run it.</summary>
    protected ZprotoServer(ServerOptions options, ILogger? logger, string name)
        : base(options?.Context, logger ?? NullLogger.Instance, name)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _flow = new InboundFlowControl(options);
        _malformedLog = new LogRateLimiter(options.MalformedLogLimit);
    }

    /// <summary>The settings (read on the owner thread; change them before <see cref="Start"/>).</summary>
    public ServerOptions Options { get; }

    /// <summary>Endpoints bound, with wildcard ports resolved (e.g. <c>tcp://127.0.0.1:41234</c>).</summary>
    public IReadOnlyList<string> Endpoints
    {
        get { lock (_endpoints) return _endpoints.ToArray(); }
    }

    /// <summary>Frames that failed to decode and were dropped.</summary>
    public long MalformedMessages => System.Threading.Interlocked.Read(ref _malformed);

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

    /// <summary>The event number of a protocol message.</summary>
    protected abstract int EventOf(TMessage message);

    /// <summary>What the client's current state does with protocol event <paramref name="eventId"/>.</summary>
    protected abstract Disposition GetDisposition(TClient client, int eventId);

    /// <summary>Runs the actions of <paramref name="eventId"/> in the client's state and moves it to the next state; false when no event handles it.</summary>
    protected abstract bool Execute(TClient client, int eventId);

    /// <summary>The event's name, for logs.</summary>
    protected abstract string EventName(int eventId);

    /// <summary>The state's name, for logs.</summary>
    protected abstract string StateName(int stateValue);

    /// <summary>The event number of <c>expired</c>, or -1 when the model has none (clients then never expire, as in zproto).</summary>
    protected abstract int ExpiredEvent { get; }

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
            MaxMessageSize = Options.MaxMessageSize,
            RouterMandatory = true,
        };
        if (Options.Curve is { } c)
        {
            _router.ZapDomain = "zproto";
            _router.CurveServer = true;
            _router.CurveSecretKey = c.SecretKey;
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
        foreach (var client in clients)
            SafeDestroyed(client);
        _router?.Dispose();
        _authenticator?.Dispose();
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
            _frames.Clear();
            if (!_router!.TryReceiveMultipart(_frames, dontWait: true))
                return;
            Receive();
        }
    }

    private void Receive()
    {
        if (_frames.Count < 2)
        {
            CountMalformed(null, "no codec frames after the routing id");
            return;
        }
        _codecFrames.Clear();
        for (var i = 1; i < _frames.Count; i++)
            _codecFrames.Add(_frames[i]);
        var routingId = _frames[0];
        if (!TProtocol.TryDecode(_codecFrames, out var message, out var error))
        {
            CountMalformed(routingId, error.Message);
            return;
        }
        if (!_clients.TryGetValue(routingId, out var client))
        {
            client = CreateClient();
            client.RoutingId = routingId;
            client.LogPrefix = Convert.ToHexStringLower(routingId);
            _clients[routingId] = client;
            try
            {
                OnClientCreated(client);
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Name}: {Client}: OnClientCreated failed", Name, client.LogPrefix);
            }
        }
        client.LastActivity = Now;
        ScheduleExpiry(client);
        if (!Enqueue(client, message, EncodedSize()))
            return;
        Pump(client);
        RunPendingEvents();
    }

    private void CountMalformed(byte[]? routingId, string reason)
    {
        System.Threading.Interlocked.Increment(ref _malformed);
        if (_malformedLog.ShouldLog(routingId, out var suppressed))
        {
            if (suppressed > 0)
                Logger.LogWarning("{Name}: {Count} more malformed messages in the last minute were not logged", Name, suppressed);
            Logger.LogDebug("{Name}: dropped a malformed message from {Client}: {Reason}", Name, routingId is null ? "?" : Convert.ToHexStringLower(routingId), reason);
        }
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="client"/>. A peer that is gone (or a full queue) is logged, never thrown.</summary>
    protected void Send(TClient client, TMessage message)
    {
        if (Options.Verbose)
            Logger.LogInformation("{Name}: {Client}:     > {Message}", Name, client.LogPrefix, TProtocol.GetName(message));
        _outgoing.Encode(message);
        try
        {
            if (!_router!.TrySend(client.RoutingId, more: true, dontWait: true) || !_outgoing.TrySend(_router))
                Logger.LogWarning("{Name}: {Client}: send queue full; {Message} dropped", Name, client.LogPrefix, TProtocol.GetName(message));
        }
        catch (ZmqException e) when (e.Errno == ZmqErrno.EHOSTUNREACH)
        {
            Logger.LogDebug("{Name}: {Client}: peer is gone; {Message} dropped", Name, client.LogPrefix, TProtocol.GetName(message));
        }
    }
}
