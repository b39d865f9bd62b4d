using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;
using Zproto.Wire;

namespace Zproto.Runtime.Clients;

/// <summary>
/// The engine under a generated zproto client: a DEALER socket, the client state machine over the
/// generated <typeparamref name="TState"/> and <typeparamref name="TEvent"/> enums, expiry and
/// heartbeat timers, and zproto's method framework as async calls that complete with a
/// <typeparamref name="TReply"/>. Replies are matched to calls in the order the calls were made; a
/// reply to a call that already gave up is logged and dropped (see <see cref="SignalReply"/>).
/// A message the DEALER cannot queue (its high-water mark is reached while the server reads slowly)
/// waits in a backlog that is retried every millisecond, in order; calls are refused with
/// <see cref="ZprotoSendQueueFullException"/> while the backlog is at
/// <see cref="ClientOptions.SendQueueLimit"/>. Nothing the client sends is dropped silently.
/// </summary>
/// <remarks>
/// Lifecycle (the same as the server's): the constructor does no I/O; <see cref="Start"/> creates the
/// socket and the owner thread; dispose stops it. Calls before <see cref="Start"/> throw.
/// </remarks>
public abstract partial class ZprotoClient<TProtocol, TMessage, TState, TEvent, TReply> : ActorLoop, IMachineHost<ZprotoClient<TProtocol, TMessage, TState, TEvent, TReply>.Machine, TEvent>
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
    where TState : struct, Enum
    where TEvent : struct, Enum
    where TReply : class
{
    private readonly Machine _machine = new();
    private readonly OutgoingMessage<TProtocol, TMessage> _outgoing = new();
    private readonly FrameReceiver<TProtocol, TMessage> _receiver;
    // Messages the DEALER refused at its high-water mark, oldest first, each with its own frames.
    private readonly Queue<List<ReadOnlyMemory<byte>>> _backlog = new();
    private ZmqSocket? _dealer;
    private WarningLimiter _warnings;
    private int _heartbeatGeneration;
    private long _lastServerActivity;
    private TimeSpan _timeout;
    private int _timeoutGeneration;
    private volatile bool _started;
    private volatile bool _terminated;

    /// <summary>Creates the client engine; call <see cref="Start"/> before any method.</summary>
    protected ZprotoClient(ClientOptions options, ILogger? logger, string name)
        : base(options?.Context, logger ?? options?.LoggerFactory?.CreateLogger(name) ?? NullLogger.Instance, name)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _receiver = new FrameReceiver<TProtocol, TMessage>(Logger, Name, routed: false);
    }

    /// <summary>The settings.</summary>
    public ClientOptions Options { get; }

    /// <summary>True when an action marked the session as established (zproto's engine_set_connected).</summary>
    public bool Connected { get; protected set; }

    /// <summary>True once the state machine has terminated.</summary>
    public bool Terminated => _terminated;

    /// <summary>Frames from the server that failed to decode and were dropped.</summary>
    public long MalformedMessages => _receiver.Malformed;

    /// <summary>The current state (written on the owner thread; from other threads a snapshot).</summary>
    public TState CurrentState => _machine.State;

    /// <summary>Sets the state (generated code only, on the owner thread).</summary>
    protected void MoveTo(TState state) => _machine.State = state;

    /// <summary>
    /// The last message received from the server. Actions that run under exactly one message event
    /// receive it typed instead; this is for actions shared by several.
    /// </summary>
    protected TMessage? Message { get; private set; }

    /// <summary>True when an action raised an exception event; generated code then stops the action list.</summary>
    protected bool ExceptionRaised => _machine.ExceptionRaised;

    // ---- what the generated subclass supplies ---------------------------------------------------

    /// <summary>The event of a protocol message.</summary>
    protected abstract TEvent EventOf(TMessage message);

    /// <summary>Runs <paramref name="event"/> in the current state; false when the state has no such event.</summary>
    protected abstract bool Execute(TEvent @event);

    /// <summary>The event's model name, for logs.</summary>
    protected abstract string EventName(TEvent @event);

    /// <summary>The state's model name, for logs.</summary>
    protected abstract string StateName(TState state);

    /// <summary>The <c>expired</c> event, or null when the model has none.</summary>
    protected abstract TEvent? ExpiredEvent { get; }

    /// <summary>The <c>heartbeat</c> event, or null when the model has none.</summary>
    protected abstract TEvent? HeartbeatEvent { get; }

    /// <summary>The <c>constructor</c> event, run once at start, or null.</summary>
    protected virtual TEvent? ConstructorEvent => null;

    /// <summary>The <c>destructor</c> event, run at dispose, or null.</summary>
    protected virtual TEvent? DestructorEvent => null;

    // ---- lifecycle ------------------------------------------------------------------------------

    /// <summary>Creates the socket and starts the owner thread (runs the model's <c>constructor</c> event, if any).</summary>
    public void Start()
    {
        StartLoop();
        _started = true;
    }

    /// <inheritdoc />
    protected override void OnStart(ZmqPoller poller)
    {
        _dealer = new ZmqSocket(Context, ZmqSocketType.Dealer);
        if (Options.CurveServerKey is { } serverKey)
        {
            var keys = Options.CurveKeys ?? ZmqCurve.GenerateKeyPair();
            _dealer.CurveServerKey = serverKey;
            _dealer.CurvePublicKey = keys.PublicKey;
            _dealer.CurveSecretKey = keys.SecretKey;
        }
        poller.Add(_dealer);
        if (ConstructorEvent is { } constructor)
            Dispatch(constructor);
    }

    /// <inheritdoc />
    protected override void OnStop()
    {
        if (DestructorEvent is { } destructor && !_terminated)
            Dispatch(destructor);
        FailPending(new ObjectDisposedException(Name));
        _dealer?.Dispose();
        _receiver.Dispose();
        _outgoing.Dispose();
    }

    /// <summary>Connects the DEALER to <paramref name="endpoint"/> (for the "connect" action); a bad endpoint throws <see cref="ZmqException"/>.</summary>
    protected void Connect(string endpoint) => _dealer!.Connect(endpoint);

    /// <summary>Disconnects from <paramref name="endpoint"/>.</summary>
    protected void Disconnect(string endpoint) => _dealer!.Disconnect(endpoint);

    // ---- receive path ---------------------------------------------------------------------------

    /// <inheritdoc />
    protected override void OnReadable(int index)
    {
        for (var n = 0; n < 256; n++)
        {
            if (!_receiver.TryReceive(_dealer!, out _, out var message))
                return;
            if (message is null)
                continue;
            _lastServerActivity = Now;
            if (_terminated)
                continue;
            Message = message;
            if (Dispatch(EventOf(message)) == DispatchOutcome.NotHandled && MayWarn())
                EngineLog.MessageNotHandled(Logger, Name, "server", TProtocol.GetName(message), StateName(_machine.State));
        }
    }

    private bool MayWarn()
    {
        if (!Logger.IsEnabled(LogLevel.Warning))
            return false;
        var allowed = _warnings.TryAcquire(Now, out var suppressed);
        if (suppressed > 0)
            EngineLog.WarningsSuppressed(Logger, Name, "server", suppressed);
        return allowed;
    }

    // ---- dispatch -------------------------------------------------------------------------------

    private DispatchOutcome Dispatch(TEvent @event)
    {
        if (_terminated)
            return DispatchOutcome.NotHandled;
        var outcome = MachineDispatcher<TState, TEvent>.Run(this, _machine, @event);
        if (_machine.Terminated && !_terminated)
            Terminate();
        return outcome;
    }

    bool IMachineHost<Machine, TEvent>.Execute(Machine machine, TEvent @event) => Execute(@event);

    void IMachineHost<Machine, TEvent>.TraceEvent(Machine machine, TEvent @event)
    {
        if (Options.Verbose)
            EngineLog.TraceEvent(Logger, Name, "client", StateName(machine.State), EventName(@event));
    }

    void IMachineHost<Machine, TEvent>.ActionFailed(Machine machine, TEvent @event, Exception exception) =>
        EngineLog.ActionFailed(Logger, exception, Name, "client", StateName(machine.State), EventName(@event));

    void IMachineHost<Machine, TEvent>.ChainedEventNotHandled(Machine machine, TEvent @event)
    {
        if (MayWarn())
            EngineLog.EventNotHandled(Logger, Name, "client", EventName(@event), StateName(machine.State));
    }

    // ---- the API actions use --------------------------------------------------------------------

    /// <summary>Sends <paramref name="message"/> to the server.</summary>
    protected void Send(TMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Options.Verbose)
            EngineLog.TraceSend(Logger, Name, "client", TProtocol.GetName(message));
        if (_backlog.Count == 0)
        {
            _outgoing.Encode(message);
            var sent = _outgoing.TrySend(_dealer!);
            _outgoing.Release();
            if (sent)
                return;
            ScheduleAt(Now + 1, FlushBacklog);
        }
        // Behind a refused message: keep a copy of every frame, in order (the reused buffer moves on, and
        // the caller may reuse its content buffers once the call returned, as it may after a real send).
        var first = new byte[TProtocol.GetEncodedLength(message)];
        TProtocol.Encode(message, first);
        var frames = new List<ReadOnlyMemory<byte>>(2) { first };
        TProtocol.AddExtraFrames(message, frames);
        for (var i = 1; i < frames.Count; i++)
            frames[i] = frames[i].ToArray();
        _backlog.Enqueue(frames);
    }

    private void FlushBacklog()
    {
        if (_dealer is null)
            return;
        while (_backlog.TryPeek(out var frames) && _dealer.TrySendMultipart(frames, dontWait: true))
            _backlog.Dequeue();
        if (_backlog.Count > 0)
            ScheduleAt(Now + 1, FlushBacklog);
    }

    /// <summary>The built-in <c>terminate</c> action: no more events or calls; waiting calls fail.</summary>
    protected void Terminate()
    {
        _terminated = true;
        _machine.Terminated = true;
        FailPending(new ZprotoClientTerminatedException($"{Name} has terminated"));
    }

    /// <summary>Continues with <paramref name="event"/> after the current event.</summary>
    protected void SetNextEvent(TEvent @event) => _machine.NextEvent = @event;

    /// <summary>Stops the current action list and runs <paramref name="event"/> instead.</summary>
    protected void RaiseException(TEvent @event) => _machine.ExceptionEvent = @event;

    /// <summary>Raises <paramref name="event"/> after <paramref name="delay"/>; any other event cancels it.</summary>
    protected void SetWakeup(TimeSpan delay, TEvent @event)
    {
        var generation = ++_machine.WakeupGeneration;
        ScheduleAt(Now + (long)delay.TotalMilliseconds, () =>
        {
            if (_machine.WakeupGeneration == generation)
                Dispatch(@event);
        });
    }

    /// <summary>Raises <c>expired</c> when the server has been silent for <paramref name="timeout"/> (re-armed by every message; zero turns it off).</summary>
    protected void SetTimeout(TimeSpan timeout)
    {
        _timeout = timeout;
        var generation = ++_timeoutGeneration;
        _lastServerActivity = Now;
        if (timeout > TimeSpan.Zero && ExpiredEvent is not null)
            ScheduleAt(Now + (long)timeout.TotalMilliseconds, () => CheckTimeout(generation));
    }

    private void CheckTimeout(int generation)
    {
        if (generation != _timeoutGeneration || _terminated || ExpiredEvent is not { } expired)
            return;
        var due = _lastServerActivity + (long)_timeout.TotalMilliseconds;
        if (due > Now)
        {
            ScheduleAt(due, () => CheckTimeout(generation));
            return;
        }
        _lastServerActivity = Now;
        ScheduleAt(Now + (long)_timeout.TotalMilliseconds, () => CheckTimeout(generation));
        Dispatch(expired);
    }

    /// <summary>Raises <c>heartbeat</c> every <paramref name="interval"/> (zero turns it off).</summary>
    protected void SetHeartbeat(TimeSpan interval)
    {
        var generation = ++_heartbeatGeneration;
        if (interval <= TimeSpan.Zero || HeartbeatEvent is not { } heartbeat)
            return;
        void Beat()
        {
            if (generation != _heartbeatGeneration || _terminated)
                return;
            Dispatch(heartbeat);
            ScheduleAt(Now + (long)interval.TotalMilliseconds, Beat);
        }
        ScheduleAt(Now + (long)interval.TotalMilliseconds, Beat);
    }

    /// <summary>Logs an action when tracing is on.</summary>
    protected void TraceAction(string action)
    {
        if (Options.Verbose)
            EngineLog.TraceAction(Logger, Name, "client", action);
    }

    /// <summary>The client's one state machine (the engine's view of it).</summary>
    internal sealed class Machine : MachineInstance<TState, TEvent>;
}
