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
        // What an event may be a typo of, methods first: a client's lower-case event means its method.
        var known = new List<(string Key, string Display)>();
        foreach (var method in machine.Methods)
            known.Add((Naming.Key(method.Name), $"method '{method.Name}'"));
        foreach (var b in machine.Kind == MachineKind.Server ? ServerBuiltInEvents : ClientBuiltInEvents)
            known.Add((b, $"built-in event '{b}'"));
        foreach (var m in protocol.Messages)
            known.Add((Naming.Key(m.Name), $"message '{m.Name}'"));

        foreach (var s in machine.States)
        {
            var stateKey = Naming.Key(s.Name);
            foreach (var e in s.Events)
            {
                var eventKey = EventKey(e.Name);
                // A method of that name is ZP3020's; a message may also be sent by action code the
                // model cannot see (zp's EXEC-CHUNK goes both ways), so only the spelling tells.
                if (messages.TryGetValue(eventKey, out var messageName) && !builtIns.Contains(eventKey) && IsQuiet(e.Name) && !IsQuiet(messageName))
                    Report(MachineDiagnostics.InternalEventNamedLikeMessage, $"event:{stateKey}/{eventKey}", e.Name, s.Name, messageName);
                // zproto's convention: protocol events in capitals, internal events in lower case.
                if (eventKey != "*" && !messages.ContainsKey(eventKey) && !builtIns.Contains(eventKey))
                {
                    if (IsShouted(e.Name))
                        Report(MachineDiagnostics.UnknownEvent, $"event:{stateKey}/{eventKey}", e.Name, s.Name, $"written in capitals like a protocol message, but protocol '{protocol.Name}' has no such message (write internal events in lower case)");
                    else if (ClosestKnownEvent(eventKey, known) is { } close)
                        Report(MachineDiagnostics.EventNeverRaised, $"event:{stateKey}/{eventKey}", e.Name, s.Name, $"; did you mean {close}?");
                }
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
        var otherSends = counterpart is null ? null : Sends(counterpart);
        var inbound = new List<string>();
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

        // Checked alone, a server cannot know what clients send; what it never sends itself, a client may.
        if (counterpart is null && machine.Kind == MachineKind.Server)
        {
            var never = new List<string>();
            foreach (var key in inbound)
                if (!Handles(machine, key)) never.Add(messages[key]);
            if (never.Count > 0)
                Report(MachineDiagnostics.ClientMessageNeverHandled, "protocol", machine.Name, Describe(never), never.Count == 1 ? "it" : "them");
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

    /// <summary>
    /// The known event (method, built-in or message) an unknown event name is a likely typo of:
    /// within one edit for short names, two for names of six characters or more. Internal events
    /// are raised by action code the model cannot see, so a name far from every known one is
    /// taken to be one; a near miss (<c>gett</c> for the method <c>get</c>) almost never is.
    /// </summary>
    private static string? ClosestKnownEvent(string key, List<(string Key, string Display)> known)
    {
        var limit = key.Length >= 6 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var (candidate, display) in known)
        {
            var d = EditDistance(key, candidate);
            if (d <= limit && d < bestDistance)
                (best, bestDistance) = (display, d);
        }
        return best;
    }

    /// <summary>Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps).</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    /// <summary>True when <paramref name="name"/> has no capital: zproto's spelling of an internal event.</summary>
    private static bool IsQuiet(string name)
    {
        foreach (var c in name)
            if (char.IsUpper(c)) return false;
        return true;
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
