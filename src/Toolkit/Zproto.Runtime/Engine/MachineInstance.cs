using System;

namespace Zproto.Runtime.Engine;

/// <summary>
/// The run-time state of one state machine: its current state, the next or exception event an
/// action set, and the generation counter that cancels a pending wakeup. A server has one per
/// connected peer (its <c>Client</c>), a client has one. Touched only on the owner thread.
/// </summary>
/// <typeparam name="TState">The generated <c>State</c> enum.</typeparam>
/// <typeparam name="TEvent">The generated <c>Event</c> enum.</typeparam>
public abstract class MachineInstance<TState, TEvent>
    where TState : struct, Enum
    where TEvent : struct, Enum
{
    internal TEvent? NextEvent;
    internal TEvent? ExceptionEvent;
    internal int WakeupGeneration;

    /// <summary>The current state.</summary>
    public TState State { get; set; }

    /// <summary>True once the <c>terminate</c> action ran (or an action failed): no more events run.</summary>
    public bool Terminated { get; internal set; }

    /// <summary>True when an action raised an exception event; generated code then stops the action list.</summary>
    public bool ExceptionRaised => ExceptionEvent.HasValue;
}
