using System.Collections.Generic;
using Zproto.Model.Diagnostics;

namespace Zproto.Model.Machines;

/// <summary>The ZP3xxx band: state-machine model checks. Documented in docs/diagnostics.md.</summary>
public static class MachineDiagnostics
{
    /// <summary>ZP3001: an event's next state does not exist.</summary>
    public static readonly DiagnosticDescriptor UnknownNextState = new("ZP3001", Severity.Error, "Unknown next state", "event '{0}' in state '{1}' goes to state '{2}', which does not exist");
    /// <summary>ZP3002: a superstate that does not exist, or a chain of inherits that loops.</summary>
    public static readonly DiagnosticDescriptor BadInherit = new("ZP3002", Severity.Error, "Bad superstate", "state '{0}': {1}");
    /// <summary>ZP3003: a send of a message the protocol does not define.</summary>
    public static readonly DiagnosticDescriptor UnknownMessage = new("ZP3003", Severity.Error, "Unknown message", "action 'send' in state '{0}' sends '{1}', which protocol '{2}' does not define");
    /// <summary>ZP3004: an event that is neither a protocol message, a built-in event, an API method nor an internal event.</summary>
    public static readonly DiagnosticDescriptor UnknownEvent = new("ZP3004", Severity.Error, "Unknown event", "event '{0}' in state '{1}': {2}");
    /// <summary>ZP3005: a state that cannot be reached from the first state.</summary>
    public static readonly DiagnosticDescriptor UnreachableState = new("ZP3005", Severity.Warning, "Unreachable state", "state '{0}' cannot be reached from the first state '{1}'");
    /// <summary>ZP3006: a protocol message a state neither handles nor covers with '*'.</summary>
    public static readonly DiagnosticDescriptor UnhandledMessage = new("ZP3006", Severity.Warning, "Unhandled message", "state '{0}' does not handle {1} and has no '*' event; at run time such a message is logged and dropped");
    /// <summary>ZP3007: a message one side sends that the other never handles.</summary>
    public static readonly DiagnosticDescriptor NeverHandled = new("ZP3007", Severity.Warning, "Message never handled", "{0} sends '{1}' but {2} never handles it");
    /// <summary>ZP3008: the protocol the machine speaks is not among the models.</summary>
    public static readonly DiagnosticDescriptor ProtocolNotFound = new("ZP3008", Severity.Error, "Protocol not found", "protocol class '{0}' is not among the models (add its codec model as an AdditionalFile)");
    /// <summary>ZP3009: a state, event, method or reply declared twice.</summary>
    public static readonly DiagnosticDescriptor DuplicateName = new("ZP3009", Severity.Error, "Duplicate name", "{0} '{1}' is declared twice");
    /// <summary>ZP3010: a method accepts a reply that is not declared, or a method field is malformed.</summary>
    public static readonly DiagnosticDescriptor BadMethod = new("ZP3010", Severity.Error, "Bad method", "method '{0}': {1}");
    /// <summary>ZP3011: an action name that maps to no C# identifier, or clashes with a generated member.</summary>
    public static readonly DiagnosticDescriptor BadActionName = new("ZP3011", Severity.Error, "Bad action name", "action '{0}': {1}");

    /// <summary>ZP3012: a client event that nothing raises: no method, message, built-in or internal event of that name.</summary>
    public static readonly DiagnosticDescriptor EventNeverRaised = new("ZP3012", Severity.Warning, "Event never raised", "event '{0}' in state '{1}' is not a method, a protocol message, a built-in event nor an internal event any action raises, so it never happens{2}");
    /// <summary>ZP3013: a server never handles, in any state, a message a client may send.</summary>
    public static readonly DiagnosticDescriptor ClientMessageNeverHandled = new("ZP3013", Severity.Warning, "Client message never handled", "server '{0}' handles {1} in no state, though a client may send {2}; at run time such a message is logged and dropped");

    /// <summary>ZP3020: a client method named like a protocol message; an event of that name could not tell the two apart.</summary>
    public static readonly DiagnosticDescriptor MethodNamedLikeMessage = new("ZP3020", Severity.Error, "Method named like a message", "method '{0}' has the name of protocol message '{1}'; an event '{0}' in a state could mean either, so a '{1}' from the server would run the method's actions (rename the method)");

    /// <summary>ZP3021: an event spelled like an internal event (lower case) that is a capitalised protocol message's event.</summary>
    public static readonly DiagnosticDescriptor InternalEventNamedLikeMessage = new("ZP3021", Severity.Warning, "Internal event named like a message", "event '{0}' in state '{1}' is written in lower case like an internal event, but it is the event of protocol message '{2}': the Event enum has one member for both, so raising it from an action runs the message's actions without a message (rename the internal event, or write '{2}')");

    /// <summary>All ZP3xxx descriptors.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
        [UnknownNextState, BadInherit, UnknownMessage, UnknownEvent, UnreachableState, UnhandledMessage, NeverHandled, ProtocolNotFound, DuplicateName, BadMethod, BadActionName, EventNeverRaised, ClientMessageNeverHandled, MethodNamedLikeMessage, InternalEventNamedLikeMessage];
}
