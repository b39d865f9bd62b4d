using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;
using Zproto.Wire;

namespace Zproto.Runtime.Clients;

/// <summary>
/// The engine under a generated zproto client: a DEALER socket, the client state machine, expiry
/// and heartbeat timers, and zproto's method framework as async calls. A call runs its method's
/// event on the owner thread and completes with the first reply an action signals that the method
/// accepts; it never blocks forever (a timeout and a cancellation token bound it).
/// </summary>
public abstract partial class ZprotoClient<TProtocol, TMessage> : ActorLoop
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
{
    private readonly List<PendingCall> _pending = new();
    private readonly List<object> _replies = new();
    private readonly List<byte[]> _frames = new();
    private readonly List<ReadOnlyMemory<byte>> _codecFrames = new();
    private readonly OutgoingMessage<TProtocol, TMessage> _outgoing = new();
    private ZmqSocket? _dealer;
    private int _nextEvent = -1;
    private int _exceptionEvent = -1;
    private int _wakeupGeneration;
    private int _heartbeatGeneration;
    private long _lastServerActivity;
    private TimeSpan _timeout;
    private int _timeoutGeneration;
    private volatile int _state;
    private volatile bool _terminated;
    private long _malformed;

    /// <summary>Creates the client engine; the generated constructor starts it.</summary>
    protected ZprotoClient(ClientOptions options, ILogger? logger, string name)
        : base(options?.Context, logger ?? NullLogger.Instance, name)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The settings.</summary>
    public ClientOptions Options { get; }

    /// <summary>True when an action marked the session as established (zproto's engine_set_connected).</summary>
    public bool Connected { get; protected set; }

    /// <summary>True once the state machine has terminated.</summary>
    public bool Terminated => _terminated;

    /// <summary>Frames from the server that failed to decode and were dropped.</summary>
    public long MalformedMessages => Interlocked.Read(ref _malformed);

    /// <summary>The current state's value (the generated State enum).</summary>
    protected int CurrentStateValue
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>The last message received from the server.</summary>
    protected TMessage? Message { get; private set; }

    /// <summary>The message the next <c>send</c> action sends when it is of the type that action names.</summary>
    protected TMessage? Outgoing { get; set; }

    /// <summary>The arguments of the method call being handled (the generated <c>...Arguments</c> record).</summary>
    protected object? CurrentArguments { get; private set; }

    /// <summary>True when an action raised an exception event; generated code stops the action list.</summary>
    protected bool ExceptionRaised => _exceptionEvent >= 0;

    // ---- what the generated subclass supplies ---------------------------------------------------

    /// <summary>The event number of a protocol message.</summary>
    protected abstract int EventOf(TMessage message);

    /// <summary>Runs <paramref name="eventId"/> in the current state; false when the state does not handle it.</summary>
    protected abstract bool Execute(int eventId);

    /// <summary>The event's name, for logs.</summary>
    protected abstract string EventName(int eventId);

    /// <summary>The state's name, for logs.</summary>
    protected abstract string StateName(int stateValue);

    /// <summary>The <c>expired</c> event, or -1.</summary>
    protected abstract int ExpiredEvent { get; }

    /// <summary>The <c>heartbeat</c> event, or -1.</summary>
    protected abstract int HeartbeatEvent { get; }

    /// <summary>The <c>constructor</c> event, run once at start, or -1.</summary>
    protected virtual int ConstructorEvent => -1;

    /// <summary>The <c>destructor</c> event, run at dispose, or -1.</summary>
    protected virtual int DestructorEvent => -1;

    // ---- lifecycle ------------------------------------------------------------------------------

    /// <summary>Starts the owner thread (the generated constructor calls it).</summary>
    protected void Start() => StartLoop();

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
        if (ConstructorEvent >= 0)
            Dispatch(ConstructorEvent);
    }

    /// <inheritdoc />
    protected override void OnStop()
    {
        if (DestructorEvent >= 0 && !_terminated)
        {
            try
            {
                Dispatch(DestructorEvent);
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Name}: destructor event failed", Name);
            }
        }
        FailPending(new ObjectDisposedException(Name));
        _dealer?.Dispose();
    }

    /// <summary>Connects the DEALER to <paramref name="endpoint"/> (for the "connect" action); a bad endpoint throws <see cref="ZmqException"/>.</summary>
    protected void Connect(string endpoint) => _dealer!.Connect(endpoint);

    /// <summary>Disconnects from <paramref name="endpoint"/>.</summary>
    protected void Disconnect(string endpoint) => _dealer!.Disconnect(endpoint);

    // ---- calls ----------------------------------------------------------------------------------

    /// <summary>
    /// Runs an API method: on the owner thread, records the arguments and raises the method's event
    /// (when <paramref name="dispatches"/>), then waits for the first reply <paramref name="accepts"/>
    /// takes (none when null: the call completes once the event ran).
    /// </summary>
    protected async Task<object?> CallAsync(string method, object arguments, int eventId, bool dispatches, Func<object, bool>? accepts, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (_terminated)
            throw new ZprotoClientTerminatedException($"{Name} has terminated; {method} cannot run");
        var call = new PendingCall(method, accepts);
        Post(() => StartCall(call, arguments, eventId, dispatches));
        var limit = timeout ?? Options.CallTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(limit);
        try
        {
            return await call.Completion.Task.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TryPost(() => _pending.Remove(call));
            throw new TimeoutException($"{Name}: {method} got no reply within {limit.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            TryPost(() => _pending.Remove(call));
            throw;
        }
    }

    private void TryPost(Action action)
    {
        try
        {
            Post(action);
        }
        catch (ObjectDisposedException)
        {
            // Stopped meanwhile: nothing left to clean up.
        }
    }

    private void StartCall(PendingCall call, object arguments, int eventId, bool dispatches)
    {
        if (_terminated)
        {
            call.Completion.TrySetException(new ZprotoClientTerminatedException($"{Name} has terminated; {call.Method} cannot run"));
            return;
        }
        if (call.Accepts is not null)
        {
            // A reply that arrived before anyone asked (a delivered message) satisfies the call at once.
            for (var i = 0; i < _replies.Count; i++)
            {
                if (call.Accepts(_replies[i]))
                {
                    var reply = _replies[i];
                    _replies.RemoveAt(i);
                    call.Completion.TrySetResult(reply);
                    return;
                }
            }
            _pending.Add(call);
        }
        if (dispatches)
        {
            CurrentArguments = arguments;
            var handled = Dispatch(eventId);
            if (!handled)
            {
                _pending.Remove(call);
                call.Completion.TrySetException(new ZprotoMethodNotValidException($"{Name}: {call.Method} is not valid in state {StateName(_state)}"));
                return;
            }
        }
        if (call.Accepts is null)
            call.Completion.TrySetResult(null);
    }

    /// <summary>Delivers a reply to the earliest call that accepts it, or keeps it for a later call.</summary>
    protected void SignalReplyCore(object reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        for (var i = 0; i < _pending.Count; i++)
        {
            if (_pending[i].Accepts!(reply))
            {
                var call = _pending[i];
                _pending.RemoveAt(i);
                call.Completion.TrySetResult(reply);
                return;
            }
        }
        if (_replies.Count >= Options.ReplyQueueLimit)
        {
            Logger.LogWarning("{Name}: reply queue full ({Limit}); dropping the oldest reply {Reply}", Name, Options.ReplyQueueLimit, _replies[0].GetType().Name);
            _replies.RemoveAt(0);
        }
        _replies.Add(reply);
    }

    private void FailPending(Exception e)
    {
        foreach (var call in _pending)
            call.Completion.TrySetException(e);
        _pending.Clear();
    }

    /// <summary>Arguments of the current call as <typeparamref name="T"/>.</summary>
    protected T ArgumentsAs<T>() where T : class =>
        CurrentArguments as T ?? throw new InvalidOperationException($"the current call's arguments are {CurrentArguments?.GetType().Name ?? "none"}, not {typeof(T).Name}");

    private sealed class PendingCall(string method, Func<object, bool>? accepts)
    {
        public string Method { get; } = method;
        public Func<object, bool>? Accepts { get; } = accepts;
        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
