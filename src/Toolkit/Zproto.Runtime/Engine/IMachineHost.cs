using System;

namespace Zproto.Runtime.Engine;

/// <summary>
/// What <see cref="MachineDispatcher{TState, TEvent}"/> needs from an engine: the generated state table and the
/// engine's reactions. Implemented by the server and client engines (an interface, not delegates,
/// so a dispatch allocates nothing).
/// </summary>
internal interface IMachineHost<in TMachine, TEvent>
    where TEvent : struct, Enum
{
    /// <summary>Runs <paramref name="event"/>'s actions in the machine's state; false when the state has no such event.</summary>
    bool Execute(TMachine machine, TEvent @event);

    /// <summary>Traces the event about to run (only when tracing is on).</summary>
    void TraceEvent(TMachine machine, TEvent @event);

    /// <summary>An action threw: the machine is terminated after this call.</summary>
    void ActionFailed(TMachine machine, TEvent @event, Exception exception);

    /// <summary>A next or exception event the state does not handle (the first event's fate is the caller's).</summary>
    void ChainedEventNotHandled(TMachine machine, TEvent @event);
}
