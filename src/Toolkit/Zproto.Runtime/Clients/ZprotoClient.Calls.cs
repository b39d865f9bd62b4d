using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Zproto.Runtime.Engine;

namespace Zproto.Runtime.Clients;

public abstract partial class ZprotoClient<TProtocol, TMessage, TState, TEvent, TReply>
{
    // Calls whose method event ran and that wait for a reply, oldest first. A call that gave up
    // (timeout, cancellation) keeps its place, marked abandoned, so the reply meant for it is
    // recognised as late and dropped instead of answering a younger call.
    private readonly List<PendingCall> _outstanding = new();
    // Calls of methods no state handles: they only wait for a reply the machine delivers unasked.
    private readonly List<PendingCall> _receivers = new();
    // Delivered replies no receiving call waited for yet (bounded by ClientOptions.ReplyQueueLimit).
    private readonly List<TReply> _unclaimed = new();

    /// <summary>
    /// The arguments record of the call being dispatched (generated code hands it to actions typed).
    /// </summary>
    protected object? CurrentArguments { get; private set; }

    /// <summary>
    /// True for replies the machine delivers without a call asking first (the replies of methods no
    /// state handles, such as a notice); those are kept until a call takes them. The generated
    /// client overrides it; by default no reply is.
    /// </summary>
    protected virtual bool IsDelivered(TReply reply) => false;

    /// <summary>
    /// Runs an API method: on the owner thread, records <paramref name="arguments"/> and raises the
    /// method's <paramref name="event"/> (null for a method no state handles: the call only waits),
    /// then waits for the first reply <paramref name="accepts"/> takes (none when null: the call
    /// completes once the event ran). Throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> (default <see cref="ClientOptions.CallTimeout"/>).
    /// </summary>
    protected async Task<TReply?> CallAsync(string method, TEvent? @event, object arguments, Func<TReply, bool>? accepts, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!_started)
            throw new InvalidOperationException($"{Name}: call Start() before {method}");
        if (_terminated)
            throw new ZprotoClientTerminatedException($"{Name} has terminated; {method} cannot run");
        var call = new PendingCall(method, @event, arguments, accepts);
        Post(() => StartCall(call));
        var limit = timeout ?? Options.CallTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(limit);
        try
        {
            return await call.Completion.Task.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TryPost(() => Abandon(call));
            throw new TimeoutException($"{Name}: {method} got no reply within {limit.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            TryPost(() => Abandon(call));
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

    private void StartCall(PendingCall call)
    {
        if (_terminated)
        {
            call.Completion.TrySetException(new ZprotoClientTerminatedException($"{Name} has terminated; {call.Method} cannot run"));
            return;
        }
        if (call.Event is not { } @event)
        {
            // A receiving method: a reply delivered before anyone asked satisfies it at once.
            for (var i = 0; i < _unclaimed.Count; i++)
            {
                if (call.Accepts!(_unclaimed[i]))
                {
                    var reply = _unclaimed[i];
                    _unclaimed.RemoveAt(i);
                    call.Completion.TrySetResult(reply);
                    return;
                }
            }
            _receivers.Add(call);
            return;
        }
        if (_backlog.Count >= Options.SendQueueLimit)
        {
            // Back-pressure: the server has not taken what was sent before; refuse rather than queue without bound.
            call.Completion.TrySetException(new ZprotoSendQueueFullException($"{Name}: {call.Method} refused: {_backlog.Count} messages are waiting for the server to read"));
            return;
        }
        if (call.Accepts is not null)
            _outstanding.Add(call);
        CurrentArguments = call.Arguments;
        var outcome = Dispatch(@event);
        CurrentArguments = null;
        if (outcome == DispatchOutcome.NotHandled)
        {
            _outstanding.Remove(call);
            call.Completion.TrySetException(new ZprotoMethodNotValidException($"{Name}: {call.Method} is not valid in state {StateName(_machine.State)}"));
            return;
        }
        if (call.Accepts is null)
            call.Completion.TrySetResult(null);
    }

    private void Abandon(PendingCall call)
    {
        if (!_receivers.Remove(call))
            call.Abandoned = _outstanding.Contains(call);
    }

    /// <summary>
    /// Gives <paramref name="reply"/> to the call it answers: the oldest outstanding call that accepts
    /// it (when that call already gave up, the reply is late: logged and dropped), else the oldest
    /// receiving call, else it is kept for a later receiving call when <see cref="IsDelivered"/>
    /// says so, else logged and dropped. A reply never answers a call made after it arrived.
    /// </summary>
    protected void SignalReply(TReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        for (var i = 0; i < _outstanding.Count; i++)
        {
            var call = _outstanding[i];
            if (!call.Accepts!(reply))
                continue;
            _outstanding.RemoveAt(i);
            if (call.Abandoned)
                EngineLog.LateReply(Logger, Name, reply.GetType().Name, call.Method);
            else
                call.Completion.TrySetResult(reply);
            return;
        }
        for (var i = 0; i < _receivers.Count; i++)
        {
            var call = _receivers[i];
            if (call.Accepts!(reply))
            {
                _receivers.RemoveAt(i);
                call.Completion.TrySetResult(reply);
                return;
            }
        }
        if (!IsDelivered(reply))
        {
            if (MayWarn())
                EngineLog.UnclaimedReply(Logger, Name, reply.GetType().Name);
            return;
        }
        if (_unclaimed.Count >= Options.ReplyQueueLimit)
        {
            if (MayWarn())
                EngineLog.UnclaimedReply(Logger, Name, _unclaimed[0].GetType().Name);
            _unclaimed.RemoveAt(0);
        }
        _unclaimed.Add(reply);
    }

    private void FailPending(Exception e)
    {
        foreach (var call in _outstanding)
            call.Completion.TrySetException(e);
        foreach (var call in _receivers)
            call.Completion.TrySetException(e);
        _outstanding.Clear();
        _receivers.Clear();
    }

    private sealed class PendingCall(string method, TEvent? @event, object arguments, Func<TReply, bool>? accepts)
    {
        public string Method { get; } = method;
        public TEvent? Event { get; } = @event;
        public object Arguments { get; } = arguments;
        public Func<TReply, bool>? Accepts { get; } = accepts;
        public bool Abandoned { get; set; }
        public TaskCompletionSource<TReply?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
