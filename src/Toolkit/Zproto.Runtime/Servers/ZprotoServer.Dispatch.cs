using System;
using Microsoft.Extensions.Logging;

namespace Zproto.Runtime.Servers;

public abstract partial class ZprotoServer<TProtocol, TMessage, TClient>
{
    /// <summary>Takes messages from the mailbox, oldest first, as long as the current state accepts one.</summary>
    private void Pump(TClient client)
    {
        while (!client.Terminated)
        {
            TMessage? next = null;
            // A disposition depends only on the state and the event, so entries already found
            // deferred in this state stay deferred: without this, every arrival would rescan a long
            // mailbox and a pipelining peer would cost quadratic time.
            var start = client.DeferredState == client.StateValue ? client.DeferredPrefix : 0;
            client.DeferredState = client.StateValue;
            for (var i = start; i < client.Mailbox.Count; i++)
            {
                var candidate = client.Mailbox[i];
                var disposition = GetDisposition(client, EventOf(candidate));
                if (disposition == Disposition.Defer)
                    continue;
                TakeFromMailbox(client, i);
                if (disposition == Disposition.Handle)
                {
                    client.DeferredPrefix = i;
                    next = candidate;
                    break;
                }
                Logger.LogWarning("{Name}: {Client}: {Message} is not handled in state {State}; dropped", Name, client.LogPrefix, TProtocol.GetName(candidate), StateName(client.StateValue));
                i--;
            }
            if (next is null)
            {
                client.DeferredPrefix = client.Mailbox.Count;
                return;
            }
            client.Request = next;
            Dispatch(client, EventOf(next));
        }
    }

    /// <summary>Runs one event on a client, then any next or exception events the actions set.</summary>
    private void Dispatch(TClient client, int eventId)
    {
        // zproto semantics: executing any event cancels the client's wakeup alarm.
        client.WakeupGeneration++;
        _dispatching = true;
        try
        {
            while (true)
            {
                client.NextEvent = -1;
                client.ExceptionEvent = -1;
                if (Options.Verbose)
                    Logger.LogInformation("{Name}: {Client}: {State}: {Event}", Name, client.LogPrefix, StateName(client.StateValue), EventName(eventId));
                bool handled;
                try
                {
                    handled = Execute(client, eventId);
                }
                catch (Exception e)
                {
                    // A bug in an action ends this client's machine, never the server.
                    Logger.LogError(e, "{Name}: {Client}: action failed in state {State} on {Event}; client dropped", Name, client.LogPrefix, StateName(client.StateValue), EventName(eventId));
                    client.Terminated = true;
                    break;
                }
                if (!handled)
                {
                    Logger.LogWarning("{Name}: {Client}: event {Event} is not handled in state {State}; dropped", Name, client.LogPrefix, EventName(eventId), StateName(client.StateValue));
                    break;
                }
                if (client.Terminated)
                    break;
                if (client.ExceptionEvent >= 0)
                {
                    eventId = client.ExceptionEvent;
                    continue;
                }
                if (client.NextEvent >= 0)
                {
                    eventId = client.NextEvent;
                    continue;
                }
                break;
            }
        }
        finally
        {
            _dispatching = false;
        }
        if (client.Terminated)
            Destroy(client);
    }

    private void Destroy(TClient client)
    {
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
            var (target, eventId) = _pendingEvents.Dequeue();
            if (target.Terminated || !_clients.ContainsKey(target.RoutingId))
                continue;
            Dispatch(target, eventId);
            Pump(target);
        }
    }

    // ---- the API actions use (zproto's engine_* functions) -------------------------------------

    /// <summary>Continues with <paramref name="eventId"/> after the current event's actions and state change (zproto's engine_set_next_event).</summary>
    protected void SetNextEventCore(TClient client, int eventId) => client.NextEvent = eventId;

    /// <summary>Stops the remaining actions and runs <paramref name="eventId"/> in the current state instead (zproto's engine_set_exception).</summary>
    protected void RaiseExceptionCore(TClient client, int eventId) => client.ExceptionEvent = eventId;

    /// <summary>True when an action raised an exception event; generated code stops the action list.</summary>
    protected static bool ExceptionRaised(TClient client) => client.ExceptionEvent >= 0;

    /// <summary>Raises <paramref name="eventId"/> after <paramref name="delay"/>; any other event on the client cancels it (zproto's wakeup).</summary>
    protected void SetWakeupCore(TClient client, TimeSpan delay, int eventId)
    {
        var generation = ++client.WakeupGeneration;
        ScheduleAt(Now + (long)delay.TotalMilliseconds, () =>
        {
            if (client.WakeupGeneration == generation && !client.Terminated)
                RaiseFromTimer(client, eventId);
        });
    }

    /// <summary>Raises <paramref name="eventId"/> after <paramref name="delay"/> unless <see cref="CancelDeadline"/> runs first; other events (a PING) do not cancel it.</summary>
    protected void SetDeadlineCore(TClient client, TimeSpan delay, int eventId)
    {
        var generation = ++client.DeadlineGeneration;
        ScheduleAt(Now + (long)delay.TotalMilliseconds, () =>
        {
            if (client.DeadlineGeneration == generation && !client.Terminated)
                RaiseFromTimer(client, eventId);
        });
    }

    /// <summary>Cancels the client's deadline.</summary>
    protected static void CancelDeadline(TClient client) => client.DeadlineGeneration++;

    /// <summary>Runs <paramref name="eventId"/> on another client (after the current event finishes). Cancels that client's wakeup.</summary>
    protected void SendEventCore(TClient target, int eventId)
    {
        _pendingEvents.Enqueue((target, eventId));
        RunPendingEvents();
    }

    /// <summary>Runs <paramref name="eventId"/> on every client except <paramref name="except"/>.</summary>
    protected void BroadcastCore(int eventId, TClient? except)
    {
        foreach (var client in _clients.Values)
        {
            if (!ReferenceEquals(client, except))
                _pendingEvents.Enqueue((client, eventId));
        }
        RunPendingEvents();
    }

    /// <summary>The built-in <c>terminate</c> action: the client record goes after the current event.</summary>
    protected static void Terminate(TClient client) => client.Terminated = true;

    /// <summary>The reply prepared for a <c>send</c> of <typeparamref name="T"/>, or a new <typeparamref name="T"/> with default fields.</summary>
    protected T TakeReply<T>(TClient client) where T : class, TMessage, new()
    {
        var prepared = client.Reply;
        client.Reply = null;
        if (prepared is T typed)
            return typed;
        if (prepared is not null)
            Logger.LogWarning("{Name}: {Client}: the prepared reply is {Prepared} but the model sends {Sent}; sending {Sent} with default fields", Name, client.LogPrefix, TProtocol.GetName(prepared), typeof(T).Name, typeof(T).Name);
        return new T();
    }

    /// <summary>Logs an action when tracing is on (generated code calls it before each action).</summary>
    protected void TraceAction(TClient client, string action)
    {
        if (Options.Verbose)
            Logger.LogInformation("{Name}: {Client}:     + {Action}", Name, client.LogPrefix, action);
    }

    private void RaiseFromTimer(TClient client, int eventId)
    {
        if (!_clients.ContainsKey(client.RoutingId))
            return;
        Dispatch(client, eventId);
        Pump(client);
        RunPendingEvents();
    }

    private void ScheduleExpiry(TClient client)
    {
        if (ExpiredEvent < 0 || client.ExpiryScheduled)
            return;
        client.ExpiryScheduled = true;
        ScheduleAt(client.LastActivity + (long)Options.ClientTimeout.TotalMilliseconds, () => CheckExpiry(client));
    }

    // One timer per client, re-armed from the last activity, instead of one per message.
    private void CheckExpiry(TClient client)
    {
        client.ExpiryScheduled = false;
        if (client.Terminated || !_clients.ContainsKey(client.RoutingId))
            return;
        var due = client.LastActivity + (long)Options.ClientTimeout.TotalMilliseconds;
        if (due > Now)
        {
            client.ExpiryScheduled = true;
            ScheduleAt(due, () => CheckExpiry(client));
            return;
        }
        Dispatch(client, ExpiredEvent);
        if (!client.Terminated && _clients.ContainsKey(client.RoutingId))
        {
            // Still alive (the model chose to keep it): expire again after another silent period.
            client.LastActivity = Now;
            ScheduleExpiry(client);
            Pump(client);
        }
        RunPendingEvents();
    }
}
