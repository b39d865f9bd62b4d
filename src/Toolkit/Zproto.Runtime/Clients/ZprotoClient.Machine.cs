using System;
using System.Threading;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Clients;

public abstract partial class ZprotoClient<TProtocol, TMessage>
{
    /// <inheritdoc />
    protected override void OnReadable(int index)
    {
        for (var n = 0; n < 256; n++)
        {
            _frames.Clear();
            if (!_dealer!.TryReceiveMultipart(_frames, dontWait: true))
                return;
            _codecFrames.Clear();
            foreach (var f in _frames)
                _codecFrames.Add(f);
            if (!TProtocol.TryDecode(_codecFrames, out var message, out var error))
            {
                Interlocked.Increment(ref _malformed);
                Logger.LogDebug("{Name}: dropped a malformed message from the server: {Reason}", Name, error.Message);
                continue;
            }
            _lastServerActivity = Now;
            if (_terminated)
                continue;
            Message = message;
            var eventId = EventOf(message);
            if (!Dispatch(eventId))
                Logger.LogWarning("{Name}: {Message} is not handled in state {State}; dropped", Name, TProtocol.GetName(message), StateName(_state));
        }
    }

    /// <summary>Runs an event and any next or exception events; false when the state does not handle the first.</summary>
    private bool Dispatch(int eventId)
    {
        _wakeupGeneration++;
        var first = true;
        while (!_terminated)
        {
            _nextEvent = -1;
            _exceptionEvent = -1;
            if (Options.Verbose)
                Logger.LogInformation("{Name}: {State}: {Event}", Name, StateName(_state), EventName(eventId));
            bool handled;
            try
            {
                handled = Execute(eventId);
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Name}: action failed in state {State} on {Event}; the client terminates", Name, StateName(_state), EventName(eventId));
                Terminate();
                return true;
            }
            if (!handled)
            {
                if (!first)
                    Logger.LogWarning("{Name}: event {Event} is not handled in state {State}; dropped", Name, EventName(eventId), StateName(_state));
                return !first;
            }
            first = false;
            if (_exceptionEvent >= 0)
                eventId = _exceptionEvent;
            else if (_nextEvent >= 0)
                eventId = _nextEvent;
            else
                break;
        }
        return true;
    }

    /// <summary>Sends <paramref name="message"/> to the server.</summary>
    protected void Send(TMessage message)
    {
        if (Options.Verbose)
            Logger.LogInformation("{Name}:     > {Message}", Name, TProtocol.GetName(message));
        _outgoing.Encode(message);
        if (!_outgoing.TrySend(_dealer!))
            Logger.LogWarning("{Name}: not connected or send queue full; {Message} dropped", Name, TProtocol.GetName(message));
    }

    /// <summary>The message prepared for a <c>send</c> of <typeparamref name="T"/>, or a new one with default fields.</summary>
    protected T TakeMessage<T>() where T : class, TMessage, new()
    {
        var prepared = Outgoing;
        Outgoing = null;
        return prepared as T ?? new T();
    }

    /// <summary>The built-in <c>terminate</c> action: no more events or calls; waiting calls fail.</summary>
    protected void Terminate()
    {
        _terminated = true;
        FailPending(new ZprotoClientTerminatedException($"{Name} has terminated"));
    }

    /// <summary>Continues with <paramref name="eventId"/> after the current event.</summary>
    protected void SetNextEventCore(int eventId) => _nextEvent = eventId;

    /// <summary>Stops the current action list and runs <paramref name="eventId"/> instead.</summary>
    protected void RaiseExceptionCore(int eventId) => _exceptionEvent = eventId;

    /// <summary>Raises <paramref name="eventId"/> after <paramref name="delay"/>; any other event cancels it.</summary>
    protected void SetWakeupCore(TimeSpan delay, int eventId)
    {
        var generation = ++_wakeupGeneration;
        ScheduleAt(Now + (long)delay.TotalMilliseconds, () =>
        {
            if (_wakeupGeneration == generation && !_terminated)
                Dispatch(eventId);
        });
    }

    /// <summary>Raises <c>expired</c> when the server has been silent for <paramref name="timeout"/> (re-armed by every message; zero turns it off).</summary>
    protected void SetTimeout(TimeSpan timeout)
    {
        _timeout = timeout;
        var generation = ++_timeoutGeneration;
        _lastServerActivity = Now;
        if (timeout > TimeSpan.Zero && ExpiredEvent >= 0)
            ScheduleAt(Now + (long)timeout.TotalMilliseconds, () => CheckTimeout(generation));
    }

    private void CheckTimeout(int generation)
    {
        if (generation != _timeoutGeneration || _terminated)
            return;
        var due = _lastServerActivity + (long)_timeout.TotalMilliseconds;
        if (due > Now)
        {
            ScheduleAt(due, () => CheckTimeout(generation));
            return;
        }
        _lastServerActivity = Now;
        ScheduleAt(Now + (long)_timeout.TotalMilliseconds, () => CheckTimeout(generation));
        Dispatch(ExpiredEvent);
    }

    /// <summary>Raises <c>heartbeat</c> every <paramref name="interval"/> (zero turns it off).</summary>
    protected void SetHeartbeat(TimeSpan interval)
    {
        var generation = ++_heartbeatGeneration;
        if (interval <= TimeSpan.Zero || HeartbeatEvent < 0)
            return;
        void Beat()
        {
            if (generation != _heartbeatGeneration || _terminated)
                return;
            Dispatch(HeartbeatEvent);
            ScheduleAt(Now + (long)interval.TotalMilliseconds, Beat);
        }
        ScheduleAt(Now + (long)interval.TotalMilliseconds, Beat);
    }

    /// <summary>Logs an action when tracing is on.</summary>
    protected void TraceAction(string action)
    {
        if (Options.Verbose)
            Logger.LogInformation("{Name}:     + {Action}", Name, action);
    }
}
