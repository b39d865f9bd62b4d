using System;
using System.Collections.Generic;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Model.Machines;

/// <summary>
/// Checks that need the protocol (and, when known, the other side's machine): sends of messages
/// the protocol lacks, upper-case event names that are no message, (state, message) pairs that
/// nothing handles, and messages one side sends that the other never handles.
/// </summary>
public static class MachineChecker
{
    /// <summary>Events the server engine raises itself.</summary>
    public static readonly string[] ServerBuiltInEvents = ["expired"];

    /// <summary>Events the client engine raises itself.</summary>
    public static readonly string[] ClientBuiltInEvents = ["expired", "heartbeat", "constructor", "destructor"];

    /// <summary>A state's events followed by those it inherits (nearest superstate first), without overridden ones.</summary>
    public static List<EventSpec> EffectiveEvents(StateSpec state, IReadOnlyDictionary<string, StateSpec> states)
    {
        var result = new List<EventSpec>();
        var seenEvents = new HashSet<string>(StringComparer.Ordinal);
        var seenStates = new HashSet<string>(StringComparer.Ordinal);
        var current = state;
        while (current is not null && seenStates.Add(Naming.Key(current.Name)))
        {
            foreach (var e in current.Events)
            {
                if (seenEvents.Add(EventKey(e.Name)))
                    result.Add(e);
            }
            current = current.Inherit.Length > 0 && states.TryGetValue(Naming.Key(current.Inherit), out var parent) ? parent : null;
        }
        return result;
    }

    /// <summary>The comparison key of an event name ('*' stays '*').</summary>
    public static string EventKey(string name) => name.Trim() == "*" ? "*" : Naming.Key(name);

    /// <summary>States by key.</summary>
    public static Dictionary<string, StateSpec> StatesByKey(MachineSpec machine)
    {
        var map = new Dictionary<string, StateSpec>(StringComparer.Ordinal);
        foreach (var s in machine.States)
            map[Naming.Key(s.Name)] = s;
        return map;
    }

    /// <summary>The protocol messages <paramref name="machine"/> sends.</summary>
    public static HashSet<string> Sends(MachineSpec machine)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in machine.States)
        {
            foreach (var e in s.Events)
                foreach (var a in e.Actions)
                    if (Naming.Key(a.Name) == "send") result.Add(Naming.Key(a.Message));
            foreach (var a in s.Before)
                if (Naming.Key(a.Name) == "send") result.Add(Naming.Key(a.Message));
            foreach (var a in s.After)
                if (Naming.Key(a.Name) == "send") result.Add(Naming.Key(a.Message));
        }
        return result;
    }

    /// <summary>True when some state of <paramref name="machine"/> can take <paramref name="messageKey"/> (by name or '*').</summary>
    public static bool Handles(MachineSpec machine, string messageKey)
    {
        foreach (var s in machine.States)
            foreach (var e in s.Events)
                if (EventKey(e.Name) == messageKey || EventKey(e.Name) == "*") return true;
        return false;
    }

    /// <summary>Runs the checks; returns their diagnostics.</summary>
    public static List<ModelDiagnostic> Check(MachineSpec machine, MachinePositions positions, ProtocolSpec? protocol, MachineSpec? counterpart)
    {
        var diagnostics = new List<ModelDiagnostic>();
        void Report(DiagnosticDescriptor d, string key, params object[] args)
        {
            var (line, column) = positions.Find(key);
            diagnostics.Add(XmlModelReader.Diag(d, positions.File, line, column, args));
        }

        if (protocol is null)
        {
            Report(MachineDiagnostics.ProtocolNotFound, "protocol", machine.ProtocolClass);
            return diagnostics;
        }
        var messages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in protocol.Messages)
            messages[Naming.Key(m.Name)] = m.Name;
        var builtIns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in machine.Kind == MachineKind.Server ? ServerBuiltInEvents : ClientBuiltInEvents)
            builtIns.Add(b);
        foreach (var method in machine.Methods)
        {
            var methodKey = Naming.Key(method.Name);
            builtIns.Add(methodKey);
            // Methods and messages are separate namespaces in the generated code, but not in a
            // state's events: one name could only ever mean one of them.
            if (messages.TryGetValue(methodKey, out var message))
                Report(MachineDiagnostics.MethodNamedLikeMessage, "method:" + methodKey, method.Name, message);
        }

        foreach (var s in machine.States)
        {
            var stateKey = Naming.Key(s.Name);
            foreach (var e in s.Events)
            {
                var eventKey = EventKey(e.Name);
                // zproto's convention: protocol events in capitals, internal events in lower case.
                if (eventKey != "*" && !messages.ContainsKey(eventKey) && !builtIns.Contains(eventKey) && IsShouted(e.Name))
                    Report(MachineDiagnostics.UnknownEvent, $"event:{stateKey}/{eventKey}", e.Name, s.Name, $"written in capitals like a protocol message, but protocol '{protocol.Name}' has no such message (write internal events in lower case)");
                CheckSends(e.Actions, $"{stateKey}/{eventKey}");
            }
            CheckSends(s.Before, $"{stateKey}/before");
            CheckSends(s.After, $"{stateKey}/after");

            void CheckSends(EquatableArray<ActionSpec> actions, string prefix)
            {
                for (var i = 0; i < actions.Count; i++)
                {
                    var a = actions[i];
                    if (Naming.Key(a.Name) == "send" && a.Message.Length > 0 && !messages.ContainsKey(Naming.Key(a.Message)))
                        Report(MachineDiagnostics.UnknownMessage, $"send:{prefix}/{i}", s.Name, a.Message, protocol.Name);
                }
            }
        }

        // Inbound messages: what the other side sends, when we know it; else everything we do not send.
        var sends = Sends(machine);
        var inbound = new List<string>();
        var otherSends = counterpart is null ? null : Sends(counterpart);
        foreach (var m in protocol.Messages)
        {
            var key = Naming.Key(m.Name);
            if (otherSends is not null ? otherSends.Contains(key) : !sends.Contains(key))
                inbound.Add(key);
        }
        var byKey = StatesByKey(machine);
        var entered = EnteredStates(machine, byKey);
        foreach (var s in machine.States)
        {
            var stateKey = Naming.Key(s.Name);
            if (!entered.Contains(stateKey))
                continue;
            var effective = EffectiveEvents(s, byKey);
            var handled = new HashSet<string>(StringComparer.Ordinal);
            var waiting = false;
            foreach (var e in effective)
            {
                var k = EventKey(e.Name);
                handled.Add(k);
                if (!messages.ContainsKey(k) && k != "*" && k != "expired" && !builtIns.Contains(k))
                    waiting = true;
            }
            // A state that waits for an internal event keeps unhandled messages for later (pipelining);
            // a state that names no message at all (a client before it connects) expects none.
            var namesMessages = false;
            foreach (var k in handled)
                if (messages.ContainsKey(k)) namesMessages = true;
            if (handled.Contains("*") || waiting || !namesMessages)
                continue;
            var missing = new List<string>();
            foreach (var key in inbound)
                if (!handled.Contains(key)) missing.Add(messages[key]);
            if (missing.Count > 0)
                Report(MachineDiagnostics.UnhandledMessage, "state:" + stateKey, s.Name, Describe(missing));
        }

        if (counterpart is not null)
        {
            foreach (var s in machine.States)
            {
                foreach (var e in s.Events)
                {
                    for (var i = 0; i < e.Actions.Count; i++)
                    {
                        var a = e.Actions[i];
                        if (Naming.Key(a.Name) == "send" && messages.ContainsKey(Naming.Key(a.Message)) && !Handles(counterpart, Naming.Key(a.Message)))
                            Report(MachineDiagnostics.NeverHandled, $"send:{Naming.Key(s.Name)}/{EventKey(e.Name)}/{i}", machine.Name, a.Message, counterpart.Name);
                    }
                }
            }
        }
        return diagnostics;
    }

    /// <summary>States a client can be in: the first state and every next target (not pure superstates).</summary>
    public static HashSet<string> EnteredStates(MachineSpec machine, IReadOnlyDictionary<string, StateSpec> byKey)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (machine.States.Count == 0)
            return result;
        result.Add(Naming.Key(machine.States[0].Name));
        foreach (var s in machine.States)
            foreach (var e in s.Events)
                if (e.Next.Length > 0 && byKey.ContainsKey(Naming.Key(e.Next))) result.Add(Naming.Key(e.Next));
        return result;
    }

    private static bool IsShouted(string name)
    {
        var letters = false;
        foreach (var c in name)
        {
            if (char.IsLetter(c))
            {
                letters = true;
                if (char.IsLower(c)) return false;
            }
        }
        return letters;
    }

    private static string Describe(List<string> names) =>
        names.Count == 1 ? $"message '{names[0]}'" : $"messages {string.Join(", ", names.ConvertAll(n => "'" + n + "'"))}";
}
