using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Engine;

namespace Zproto.Runtime.Servers;

public abstract partial class ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent>
{
    private readonly Queue<(TClient Client, TEvent Event)> _pendingEvents = new();
    private bool _dispatching;

    /// <summary>Takes messages from the mailbox, oldest first, as long as the current state accepts one.</summary>
    private void Pump(TClient client)
    {
        while (!client.Terminated)
        {
            TMessage? next = null;
            TEvent nextEvent = default;
            // A disposition depends only on the state and the event, so entries already found
            // deferred in this state stay deferred: without this, every arrival would rescan a long
            // mailbox and a pipelining peer would cost quadratic time.
            var start = client.DeferredState is { } deferred && EqualityComparer<TState>.Default.Equals(deferred, client.State) ? client.DeferredPrefix : 0;
            client.DeferredState = client.State;
            for (var i = start; i < client.Mailbox.Count; i++)
            {
                var candidate = client.Mailbox[i];
                var @event = EventOf(candidate);
                var disposition = GetDisposition(client, @event);
                if (disposition == Disposition.Defer)
                    continue;
                TakeFromMailbox(client, i);
                if (disposition == Disposition.Handle)
                {
                    client.DeferredPrefix = i;
                    next = candidate;
                    nextEvent = @event;
                    break;
                }
                if (MayWarn(client))
                    EngineLog.MessageNotHandled(Logger, Name, client.LogPrefix, TProtocol.GetName(candidate), StateName(client.State));
                i--;
            }
            if (next is null)
            {
                client.DeferredPrefix = client.Mailbox.Count;
                return;
            }
            client.Request = next;
            Dispatch(client, nextEvent);
        }
    }

    /// <summary>
    /// The common case without the mailbox: nothing waits before <paramref name="message"/>, no limit is
    /// reached and the state takes it now, so it runs at once. That is what <see cref="Enqueue"/> then
    /// <see cref="Pump"/> would do, less queueing and counting a message that would leave the mailbox as
    /// soon as it entered. False, with nothing done, when the message must go through the mailbox.
    /// </summary>
    private bool TryDispatchAtOnce(TClient client, TMessage message, int size)
    {
        if (client.Mailbox.Count > 0 || client.Terminated || _flow.Admit(client.Inbound, size) != Admission.Accept)
            return false;
        var @event = EventOf(message);
        if (GetDisposition(client, @event) != Disposition.Handle)
            return false;
        client.Request = message;
        Dispatch(client, @event);
        // Only a message delivered from inside the action (a transport that loops back) can be waiting now.
        if (client.Mailbox.Count > 0)
            Pump(client);
        return true;
    }

    /// <summary>Runs one event on a client, then any next or exception events its actions set.</summary>
    private void Dispatch(TClient client, TEvent @event)
    {
        _dispatching = true;
        DispatchOutcome outcome;
        try
        {
            outcome = MachineDispatcher<TState, TEvent>.Run(new DispatchHost(this), client, @event);
        }
        finally
        {
            _dispatching = false;
        }
        if (outcome == DispatchOutcome.NotHandled && MayWarn(client))
            EngineLog.EventNotHandled(Logger, Name, client.LogPrefix, EventName(@event), StateName(client.State));
        if (client.Terminated)
            Destroy(client);
    }

    /// <summary>The server as the dispatcher's host. A struct, so the dispatch loop is compiled for this server:
    /// direct calls, no interface dispatch or generic dictionary lookup per event.</summary>
    private readonly struct DispatchHost(ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent> server) : IMachineHost<TClient, TEvent>
    {
        private readonly ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent> _server = server;

        public bool Execute(TClient machine, TEvent @event) => _server.Execute(machine, @event);

        public void TraceEvent(TClient machine, TEvent @event)
        {
            if (_server.Options.Verbose)
                EngineLog.TraceEvent(_server.Logger, _server.Name, machine.LogPrefix, _server.StateName(machine.State), _server.EventName(@event));
        }

        public void ActionFailed(TClient machine, TEvent @event, Exception exception) =>
            EngineLog.ActionFailed(_server.Logger, exception, _server.Name, machine.LogPrefix, _server.StateName(machine.State), _server.EventName(@event));

        public void ChainedEventNotHandled(TClient machine, TEvent @event)
        {
            if (_server.MayWarn(machine))
                EngineLog.EventNotHandled(_server.Logger, _server.Name, machine.LogPrefix, _server.EventName(@event), _server.StateName(machine.State));
        }
    }

    private void Destroy(TClient client)
    {
        // A destroyed record runs no more events: its timers, and events queued for it, find it terminated
        // even when a new record has taken its routing id.
        client.Terminated = true;
        if (_clients.TryGetValue(client.RoutingId, out var current) && ReferenceEquals(current, client))
            _clients.Remove(client.RoutingId);
        ClearMailbox(client);
        client.WakeupGeneration++;
        client.DeadlineGeneration++;
        SafeDestroyed(client);
    }

    private void SafeDestroyed(TClient client)
    {
        try
        {
            OnClientDestroyed(client);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "{Name}: {Client}: OnClientDestroyed failed", Name, client.LogPrefix);
        }
    }

    /// <summary>Events sent between clients run after the current event, never inside it.</summary>
    private void RunPendingEvents()
    {
        while (!_dispatching && _pendingEvents.Count > 0)
        {
            var (target, @event) = _pendingEvents.Dequeue();
            if (target.Terminated)
                continue;
            Dispatch(target, @event);
            Pump(target);
        }
    }

    // ---- the API actions use (zproto's engine_* functions) -------------------------------------

    /// <summary>Continues with <paramref name="event"/> after the current event's actions and state change (zproto's engine_set_next_event).</summary>
    protected static void SetNextEvent(TClient client, TEvent @event) => client.NextEvent = @event;

    /// <summary>Stops the remaining actions and runs <paramref name="event"/> in the current state instead (zproto's engine_set_exception).</summary>
    protected static void RaiseException(TClient client, TEvent @event) => client.ExceptionEvent = @event;

    /// <summary>Raises <paramref name="event"/> after <paramref name="delay"/>; any other event on the client cancels it (zproto's wakeup).</summary>
    protected void SetWakeup(TClient client, TimeSpan delay, TEvent @event)
    {
        var generation = ++client.WakeupGeneration;
        ScheduleAt(Now + (long)delay.TotalMilliseconds, () =>
        {
            if (client.WakeupGeneration == generation && !client.Terminated)
                RaiseFromTimer(client, @event);
        });
    }

    /// <summary>Raises <paramref name="event"/> after <paramref name="delay"/> unless <see cref="CancelDeadline"/> runs first; other events (a PING) do not cancel it.</summary>
    protected void SetDeadline(TClient client, TimeSpan delay, TEvent @event)
    {
        var generation = ++client.DeadlineGeneration;
        ScheduleAt(Now + (long)delay.TotalMilliseconds, () =>
        {
            if (client.DeadlineGeneration == generation && !client.Terminated)
                RaiseFromTimer(client, @event);
        });
    }

    /// <summary>Cancels the client's deadline.</summary>
    protected static void CancelDeadline(TClient client) => client.DeadlineGeneration++;

    /// <summary>Runs <paramref name="event"/> on another client (after the current event finishes). Cancels that client's wakeup.</summary>
    protected void SendEvent(TClient target, TEvent @event)
    {
        _pendingEvents.Enqueue((target, @event));
        RunPendingEvents();
    }

    /// <summary>Runs <paramref name="event"/> on every client except <paramref name="except"/>.</summary>
    protected void Broadcast(TEvent @event, TClient? except = null)
    {
        foreach (var client in _clients.Values)
        {
            if (!ReferenceEquals(client, except))
                _pendingEvents.Enqueue((client, @event));
        }
        RunPendingEvents();
    }

    /// <summary>The built-in <c>terminate</c> action: the client record goes after the current event.</summary>
    protected static void Terminate(TClient client) => client.Terminated = true;

    /// <summary>Logs an action when tracing is on (generated code calls it before each action).</summary>
    protected void TraceAction(TClient client, string action)
    {
        if (Options.Verbose)
            EngineLog.TraceAction(Logger, Name, client.LogPrefix, action);
    }

    private void RaiseFromTimer(TClient client, TEvent @event)
    {
        Dispatch(client, @event);
        Pump(client);
        RunPendingEvents();
    }

    private void ScheduleExpiry(TClient client)
    {
        if (ExpiredEvent is null || client.ExpiryScheduled)
            return;
        client.ExpiryScheduled = true;
        ScheduleAt(client.LastActivity + ClientTimeoutMilliseconds, () => CheckExpiry(client));
    }

    private long ClientTimeoutMilliseconds => Options.ClientTimeout.Ticks / TimeSpan.TicksPerMillisecond;

    // One timer per client, re-armed from the last activity, instead of one per message.
    private void CheckExpiry(TClient client)
    {
        client.ExpiryScheduled = false;
        ExpireIfOverdue(client, Now);
        // Not due yet (a message came since the timer was armed; or the expiry already ran on a message's
        // arrival and this is the timer armed before it), or kept alive by the model: armed again from the
        // last activity (a no-op when the expiry just did so).
        if (!client.Terminated)
            ScheduleExpiry(client);
    }

    /// <summary>
    /// Runs the model's <c>expired</c> event on <paramref name="client"/> when it has been silent for
    /// <see cref="ServerOptions.ClientTimeout"/>; true when that ended its session. Called by the timer and
    /// also when a message arrives: a server thread that was busy past the timeout (a long action, a GC
    /// pause, a long receive batch) reads the message before its timer runs, and the message must meet what
    /// the timer would have left, not the old session.
    /// </summary>
    private bool ExpireIfOverdue(TClient client, long now)
    {
        if (now - client.LastActivity < ClientTimeoutMilliseconds || client.Terminated || ExpiredEvent is not { } expired)
            return false;
        Dispatch(client, expired);
        if (!client.Terminated)
        {
            // Still alive (the model chose to keep it): expire again after another silent period.
            client.LastActivity = Now;
            ScheduleExpiry(client);
            Pump(client);
        }
        RunPendingEvents();
        return client.Terminated;
    }
}
