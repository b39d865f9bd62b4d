using System;

namespace Zproto.Runtime.Engine;

/// <summary>How a dispatch ended.</summary>
internal enum DispatchOutcome
{
    /// <summary>The first event ran (and any next or exception events after it).</summary>
    Handled,
    /// <summary>The current state has no such event; nothing ran.</summary>
    NotHandled,
    /// <summary>An action threw; the machine is terminated.</summary>
    Failed,
}

/// <summary>
/// The one dispatch loop of both engines (zproto's engine semantics): run an event, then the
/// exception event an action raised (which replaced the rest of its action list), else the next
/// event an action set, until none is left or the machine terminates. Running any event cancels the
/// machine's pending wakeup.
/// </summary>
internal static class MachineDispatcher<TState, TEvent>
    where TState : struct, Enum
    where TEvent : struct, Enum
{
    public static DispatchOutcome Run<TMachine, THost>(THost host, TMachine machine, TEvent @event)
        where TMachine : MachineInstance<TState, TEvent>
        where THost : IMachineHost<TMachine, TEvent>
    {
        machine.WakeupGeneration++;
        var first = true;
        while (!machine.Terminated)
        {
            machine.NextEvent = null;
            machine.ExceptionEvent = null;
            host.TraceEvent(machine, @event);
            bool handled;
            try
            {
                handled = host.Execute(machine, @event);
            }
            catch (Exception e)
            {
                // A bug in an action ends this machine, never the engine.
                machine.Terminated = true;
                host.ActionFailed(machine, @event, e);
                return DispatchOutcome.Failed;
            }
            if (!handled)
            {
                if (first)
                    return DispatchOutcome.NotHandled;
                host.ChainedEventNotHandled(machine, @event);
                break;
            }
            first = false;
            if (machine.ExceptionEvent is { } exception)
                @event = exception;
            else if (machine.NextEvent is { } next)
                @event = next;
            else
                break;
        }
        return DispatchOutcome.Handled;
    }
}
