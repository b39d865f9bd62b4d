using System;
using System.Collections.Generic;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Machines;
using Zproto.Model.Specs;

namespace Zproto.CodeGen.Binding;

/// <summary>
/// Binds a checked state machine and its protocol into a <see cref="MachineView"/>: events are the
/// protocol's messages (in protocol order, so a message's event number is its position) followed by
/// the model's other events; every (state, event) pair expands the superstate chain, before/after
/// actions and the next state into plain statements, so the generated dispatch is a flat switch.
/// </summary>
public static class MachineBinder
{
    /// <summary>Binds <paramref name="machine"/> speaking <paramref name="protocol"/> (generated into <paramref name="protocolNamespace"/>) into <paramref name="namespace"/>.</summary>
    public static MachineView Bind(MachineSpec machine, ProtocolSpec protocol, string protocolNamespace, string @namespace)
    {
        var className = Naming.Pascal(machine.Name);
        var protocolClass = $"global::{protocolNamespace}.{Naming.Pascal(protocol.Name)}";
        var isServer = machine.Kind == MachineKind.Server;

        // Events: protocol messages first, then everything else the model names.
        var events = new List<EventView>();
        var eventByKey = new Dictionary<string, EventView>(StringComparer.Ordinal);
        foreach (var m in protocol.Messages)
        {
            var view = new EventView(Naming.Pascal(m.Name), m.Name, events.Count, true, $"{protocolClass}.MessageId.{Naming.Pascal(m.Name)}");
            events.Add(view);
            eventByKey[Naming.Key(m.Name)] = view;
        }
        var protocolCount = events.Count;
        void AddInternal(string name)
        {
            var key = MachineChecker.EventKey(name);
            if (key == "*" || eventByKey.ContainsKey(key))
                return;
            var view = new EventView(Naming.Pascal(name), name, events.Count, false, "");
            events.Add(view);
            eventByKey[key] = view;
        }
        foreach (var s in machine.States)
            foreach (var e in s.Events)
                AddInternal(e.Name);
        foreach (var method in machine.Methods)
            AddInternal(method.Name);
        foreach (var builtIn in isServer ? MachineChecker.ServerBuiltInEvents : MachineChecker.ClientBuiltInEvents)
        {
            if (builtIn is "expired" or "heartbeat")
                AddInternal(builtIn);
        }

        var byKey = MachineChecker.StatesByKey(machine);
        var states = new List<NamedValueView>();
        foreach (var s in machine.States)
            states.Add(new NamedValueView(Naming.Pascal(s.Name), s.Name, states.Count));

        var actions = new Dictionary<string, ActionView>(StringComparer.Ordinal);
        var actionOrder = new List<string>();
        var cases = new List<StateCaseView>();
        var entered = MachineChecker.EnteredStates(machine, byKey);
        foreach (var s in machine.States)
        {
            if (!entered.Contains(Naming.Key(s.Name)))
                continue; // a pure superstate: its events are expanded into its heirs
            var effective = MachineChecker.EffectiveEvents(s, byKey);
            var (before, after) = BeforeAfter(s, byKey);
            var eventCases = new List<EventCaseView>();
            var handled = new List<string>();
            var waiting = false;
            EventSpec? wildcard = null;
            foreach (var e in effective)
            {
                var key = MachineChecker.EventKey(e.Name);
                if (key == "*")
                {
                    wildcard = e;
                    continue;
                }
                var view = eventByKey[key];
                if (view.IsProtocol)
                    handled.Add(CSharp.Number(view.Value));
                else if (key != "expired" && key != "heartbeat")
                    waiting = true;
                eventCases.Add(new EventCaseView(view.Name, Body(s, e, before, after, protocolClass, actions, actionOrder, isServer)));
            }
            cases.Add(new StateCaseView
            {
                State = Naming.Pascal(s.Name),
                HandledPattern = string.Join(" or ", handled),
                Otherwise = wildcard is not null ? "Handle" : waiting ? "Defer" : "Drop",
                Events = eventCases.ToEquatableArray(),
                HasWildcard = wildcard is not null,
                WildcardBody = wildcard is null ? EquatableArray<string>.Empty : Body(s, wildcard, before, after, protocolClass, actions, actionOrder, isServer),
            });
        }

        var version = typeof(Binder).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
        var view2 = new MachineView
        {
            Namespace = @namespace,
            ClassName = className,
            ModelName = machine.Name,
            FileName = machine.FileName,
            DocLines = CSharp.DocLines(machine.Title.Length > 0 ? machine.Title + (machine.Doc.Length > 0 ? "\n\n" + machine.Doc : "") : machine.Doc, $"The {machine.Name} state machine."),
            GeneratedCodeAttribute = $"[global::System.CodeDom.Compiler.GeneratedCode({CSharp.Literal(Binder.ToolName)}, {CSharp.Literal(version)})]",
            IsServer = isServer,
            ProtocolClass = protocolClass,
            MessageType = protocolClass + ".Message",
            States = states.ToEquatableArray(),
            Events = events.ToEquatableArray(),
            ProtocolEventCount = protocolCount,
            ExpiredEvent = eventByKey.TryGetValue("expired", out var expired) && UsesEvent(machine, "expired") ? $"(int)Event.{expired.Name}" : "-1",
            HeartbeatEvent = eventByKey.TryGetValue("heartbeat", out var heartbeat) && UsesEvent(machine, "heartbeat") ? $"(int)Event.{heartbeat.Name}" : "-1",
            ConstructorEvent = eventByKey.TryGetValue("constructor", out var ctor) ? $"(int)Event.{ctor.Name}" : "-1",
            DestructorEvent = eventByKey.TryGetValue("destructor", out var dtor) ? $"(int)Event.{dtor.Name}" : "-1",
            StateCases = cases.ToEquatableArray(),
            Actions = actionOrder.ConvertAll(k => actions[k]).ToEquatableArray(),
        };
        return isServer ? view2 : ClientBinder.Complete(view2, machine, eventByKey);
    }

    private static bool UsesEvent(MachineSpec machine, string key)
    {
        foreach (var s in machine.States)
            foreach (var e in s.Events)
                if (MachineChecker.EventKey(e.Name) == key) return true;
        return false;
    }

    /// <summary>Before actions run outermost superstate first; after actions innermost first.</summary>
    private static (List<ActionSpec> Before, List<ActionSpec> After) BeforeAfter(StateSpec state, Dictionary<string, StateSpec> byKey)
    {
        var chain = new List<StateSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var s = state; s is not null && seen.Add(Naming.Key(s.Name));)
        {
            chain.Add(s);
            s = s.Inherit.Length > 0 && byKey.TryGetValue(Naming.Key(s.Inherit), out var parent) ? parent : null;
        }
        var before = new List<ActionSpec>();
        var after = new List<ActionSpec>();
        for (var i = chain.Count - 1; i >= 0; i--)
            before.AddRange(chain[i].Before);
        foreach (var s in chain)
            after.AddRange(s.After);
        return (before, after);
    }

    private static EquatableArray<string> Body(StateSpec state, EventSpec e, List<ActionSpec> before, List<ActionSpec> after, string protocolClass,
        Dictionary<string, ActionView> actions, List<string> actionOrder, bool isServer)
    {
        var lines = new List<string>();
        var all = new List<ActionSpec>(before);
        all.AddRange(e.Actions);
        all.AddRange(after);
        foreach (var a in all)
        {
            var key = Naming.Key(a.Name);
            var label = CSharp.Literal(key == "send" ? "send " + a.Message : a.Name);
            lines.Add(isServer ? $"TraceAction(client, {label});" : $"TraceAction({label});");
            if (key == "send")
            {
                var type = $"{protocolClass}.{Naming.Pascal(a.Message)}";
                lines.Add(isServer ? $"Send(client, TakeReply<{type}>(client));" : $"Send(TakeMessage<{type}>());");
            }
            else if (key == "terminate")
            {
                lines.Add(isServer ? "Terminate(client);" : "Terminate();");
            }
            else
            {
                var method = Naming.Pascal(a.Name);
                if (!actions.ContainsKey(method))
                {
                    actions[method] = new ActionView(method, a.Name, $"{state.Name} / {e.Name}");
                    actionOrder.Add(method);
                }
                lines.Add(isServer ? $"{method}(client);" : $"{method}();");
                lines.Add(isServer ? "if (ExceptionRaised(client)) return true;" : "if (ExceptionRaised) return true;");
            }
        }
        if (e.Next.Length > 0)
            lines.Add(isServer ? $"client.State = State.{Naming.Pascal(e.Next)};" : $"CurrentState = State.{Naming.Pascal(e.Next)};");
        lines.Add("return true;");
        return lines.ToEquatableArray();
    }
}
