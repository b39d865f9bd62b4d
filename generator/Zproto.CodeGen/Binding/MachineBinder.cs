using System;
using System.Collections.Generic;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Machines;
using Zproto.Model.Specs;

namespace Zproto.CodeGen.Binding;

/// <summary>
/// Binds a checked state machine and its protocol into a <see cref="MachineView"/>: events are the
/// protocol's messages (in protocol order) followed by the model's other events; every (state, event)
/// pair expands the superstate chain, before/after actions and the next state into plain statements,
/// so the generated dispatch is a flat switch over the generated enums.
/// </summary>
/// <remarks>
/// The typed contract: an action (or a <c>send</c>'s composer) that runs under exactly one message
/// event receives that message typed (<c>request</c> on a server, <c>message</c> on a client); on a
/// client one that runs under exactly one method receives that method's arguments record, and one
/// that runs only under methods receives their common base. A <c>send</c> of a message with fields
/// calls <c>Compose{Message}</c>, whose declared return type makes a wrong reply a compile error; a
/// message without fields is built in place.
/// </remarks>
public static class MachineBinder
{
    private const string Wildcard = "*";

    /// <summary>Binds <paramref name="machine"/> speaking <paramref name="protocol"/> (generated into <paramref name="protocolNamespace"/>) into <paramref name="namespace"/>.</summary>
    public static MachineView Bind(MachineSpec machine, ProtocolSpec protocol, string protocolNamespace, string @namespace)
    {
        var className = Naming.Pascal(machine.Name);
        var protocolClass = $"global::{protocolNamespace}.{Naming.Pascal(protocol.Name)}";
        var isServer = machine.Kind == MachineKind.Server;

        // Events: protocol messages first, then everything else the model names.
        var events = new List<EventView>();
        var eventByKey = new Dictionary<string, EventView>(StringComparer.Ordinal);
        var messageByKey = new Dictionary<string, MessageSpec>(StringComparer.Ordinal);
        foreach (var m in protocol.Messages)
        {
            var view = new EventView(Naming.Pascal(m.Name), m.Name, events.Count, true, $"{protocolClass}.MessageId.{Naming.Pascal(m.Name)}");
            events.Add(view);
            eventByKey[Naming.Key(m.Name)] = view;
            messageByKey[Naming.Key(m.Name)] = m;
        }
        void AddInternal(string name)
        {
            var key = MachineChecker.EventKey(name);
            if (key == Wildcard || eventByKey.ContainsKey(key))
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
        var methodByKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var method in machine.Methods)
            methodByKey[Naming.Key(method.Name)] = Naming.Pascal(method.Name);

        var states = new List<NamedValueView>();
        foreach (var s in machine.States)
            states.Add(new NamedValueView(Naming.Pascal(s.Name), s.Name, states.Count));

        // Pass 1: what runs where. Each run is one (state, event) with its full action list; the
        // events (contexts) each action runs under decide its typed parameter.
        var byKey = MachineChecker.StatesByKey(machine);
        var entered = MachineChecker.EnteredStates(machine, byKey);
        var runs = new List<(StateSpec State, List<Run> Runs)>();
        var contexts = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var s in machine.States)
        {
            if (!entered.Contains(Naming.Key(s.Name)))
                continue; // a pure superstate: its events are expanded into its heirs
            var (before, after) = BeforeAfter(s, byKey);
            var stateRuns = new List<Run>();
            foreach (var e in MachineChecker.EffectiveEvents(s, byKey))
            {
                var key = MachineChecker.EventKey(e.Name);
                var all = new List<ActionSpec>(before);
                all.AddRange(e.Actions);
                all.AddRange(after);
                stateRuns.Add(new Run(key, e.Name, e.Next, all));
                foreach (var a in all)
                {
                    if (Identity(a, messageByKey) is { } id)
                    {
                        if (!contexts.TryGetValue(id, out var set))
                            contexts[id] = set = new HashSet<string>(StringComparer.Ordinal);
                        set.Add(key);
                    }
                }
            }
            runs.Add((s, stateRuns));
        }

        // Pass 2: statements.
        var binding = new BodyBinder(isServer, protocolClass, messageByKey, methodByKey, contexts);
        var cases = new List<StateCaseView>();
        foreach (var (s, stateRuns) in runs)
        {
            var eventCases = new List<EventCaseView>();
            var handled = new List<string>();
            var named = new HashSet<string>(StringComparer.Ordinal);
            var waiting = false;
            Run? wildcard = null;
            foreach (var run in stateRuns)
            {
                if (run.Key == Wildcard)
                {
                    wildcard = run;
                    continue;
                }
                var view = eventByKey[run.Key];
                named.Add(run.Key);
                if (view.IsProtocol)
                    handled.Add("Event." + view.Name);
                else if (run.Key != "expired" && run.Key != "heartbeat")
                    waiting = true;
                eventCases.Add(new EventCaseView(new[] { view.Name }.ToEquatableArray(), binding.Body(s, run)));
            }
            if (wildcard is not null)
            {
                // '*' takes every protocol message this state does not name: one case label each.
                var labels = new List<string>();
                foreach (var m in protocol.Messages)
                {
                    if (!named.Contains(Naming.Key(m.Name)))
                        labels.Add(eventByKey[Naming.Key(m.Name)].Name);
                }
                if (labels.Count > 0)
                    eventCases.Add(new EventCaseView(labels.ToEquatableArray(), binding.Body(s, wildcard)));
            }
            cases.Add(new StateCaseView
            {
                State = Naming.Pascal(s.Name),
                HandledPattern = string.Join(" or ", handled),
                Otherwise = wildcard is not null ? "Handle" : waiting ? "Defer" : "Drop",
                HandlesAll = wildcard is not null,
                Events = eventCases.ToEquatableArray(),
            });
        }

        var version = typeof(Binder).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
        var result = new MachineView
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
            ExpiredEvent = eventByKey.TryGetValue("expired", out var expired) && UsesEvent(machine, "expired") ? $"Event.{expired.Name}" : "null",
            HeartbeatEvent = eventByKey.TryGetValue("heartbeat", out var heartbeat) && UsesEvent(machine, "heartbeat") ? $"Event.{heartbeat.Name}" : "null",
            ConstructorEvent = eventByKey.TryGetValue("constructor", out var ctor) ? $"Event.{ctor.Name}" : "null",
            DestructorEvent = eventByKey.TryGetValue("destructor", out var dtor) ? $"Event.{dtor.Name}" : "null",
            StateCases = cases.ToEquatableArray(),
            Actions = binding.Actions.ToEquatableArray(),
        };
        return isServer ? result : ClientBinder.Complete(result, machine, eventByKey);
    }

    /// <summary>The partial method an action calls ("action:Name" or "send:key" for a composer), or null for built-ins.</summary>
    private static string? Identity(ActionSpec action, Dictionary<string, MessageSpec> messages)
    {
        var key = Naming.Key(action.Name);
        if (key == "terminate")
            return null;
        if (key == "send")
            return messages.TryGetValue(Naming.Key(action.Message), out var m) && NeedsComposer(m) ? "send:" + Naming.Key(m.Name) : null;
        return "action:" + Naming.Pascal(action.Name);
    }

    /// <summary>A message with fields the sender must fill in; one without is built in place.</summary>
    private static bool NeedsComposer(MessageSpec message)
    {
        if (message.Sections.Count > 0)
            return true;
        foreach (var f in message.Fields)
            if (f.Value is null && f.Name.Length > 0) return true;
        return false;
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

    /// <summary>One (state, event) pair: the event key ('*' for the wildcard), its model name, next state and full action list.</summary>
    private sealed record Run(string Key, string EventName, string Next, List<ActionSpec> Actions);

    /// <summary>Writes the statements of runs and collects the partial methods they call, with their typed parameters.</summary>
    private sealed class BodyBinder(bool isServer, string protocolClass, Dictionary<string, MessageSpec> messages,
        Dictionary<string, string> methods, Dictionary<string, HashSet<string>> contexts)
    {
        private readonly Dictionary<string, ActionView> _declared = new(StringComparer.Ordinal);

        public List<ActionView> Actions { get; } = new();

        public EquatableArray<string> Body(StateSpec state, Run run)
        {
            var lines = new List<string>();
            foreach (var a in run.Actions)
            {
                var key = Naming.Key(a.Name);
                var label = CSharp.Literal(key == "send" ? "send " + a.Message : a.Name);
                lines.Add(isServer ? $"TraceAction(client, {label});" : $"TraceAction({label});");
                if (key == "terminate")
                {
                    lines.Add(isServer ? "Terminate(client);" : "Terminate();");
                    continue;
                }
                var id = Identity(a, messages);
                if (key == "send")
                {
                    var message = messages[Naming.Key(a.Message)];
                    var type = $"{protocolClass}.{Naming.Pascal(message.Name)}";
                    var built = id is null ? $"new {type}()" : Call(id, $"Compose{Naming.Pascal(message.Name)}", message.Name, type, state, run);
                    lines.Add(isServer ? $"Send(client, {built});" : $"Send({built});");
                    continue;
                }
                lines.Add(Call(id!, Naming.Pascal(a.Name), a.Name, "void", state, run) + ";");
                lines.Add(isServer ? "if (client.ExceptionRaised) return true;" : "if (ExceptionRaised) return true;");
            }
            if (run.Next.Length > 0)
                lines.Add(isServer ? $"client.State = State.{Naming.Pascal(run.Next)};" : $"MoveTo(State.{Naming.Pascal(run.Next)});");
            // An exception check with nothing left to skip would return true either way.
            if (lines.Count > 0 && lines[lines.Count - 1].StartsWith("if (", StringComparison.Ordinal))
                lines.RemoveAt(lines.Count - 1);
            lines.Add("return true;");
            return lines.ToEquatableArray();
        }

        /// <summary>The call expression of partial method <paramref name="method"/>, declaring it on first use.</summary>
        private string Call(string id, string method, string modelName, string returnType, StateSpec state, Run run)
        {
            var (parameter, argument) = TypedParameter(contexts[id]);
            if (!_declared.ContainsKey(id))
            {
                var parameters = new List<string>();
                if (isServer)
                    parameters.Add("Client client");
                if (parameter.Length > 0)
                    parameters.Add(parameter);
                var summary = returnType == "void"
                    ? $"Action \"{modelName}\" (first used in {state.Name} / {run.EventName})."
                    : $"Builds the {modelName} message the model sends (first in {state.Name} / {run.EventName}).";
                var view = new ActionView(method, modelName, $"{state.Name} / {run.EventName}", returnType, string.Join(", ", parameters), summary);
                _declared[id] = view;
                Actions.Add(view);
            }
            var arguments = new List<string>();
            if (isServer)
                arguments.Add("client");
            if (argument.Length > 0)
                arguments.Add(argument);
            return $"{method}({string.Join(", ", arguments)})";
        }

        /// <summary>The typed parameter (declaration, argument) for a partial method that runs under <paramref name="events"/>.</summary>
        private (string Parameter, string Argument) TypedParameter(HashSet<string> events)
        {
            if (events.Count == 1)
            {
                foreach (var only in events)
                {
                    if (messages.TryGetValue(only, out var m))
                    {
                        var type = $"{protocolClass}.{Naming.Pascal(m.Name)}";
                        return isServer ? ($"{type} request", $"({type})client.Request!") : ($"{type} message", $"({type})Message!");
                    }
                    if (!isServer && methods.TryGetValue(only, out var method))
                        return ($"{method}Arguments arguments", $"({method}Arguments)CurrentArguments!");
                }
            }
            if (!isServer && events.Count > 1)
            {
                var allMethods = true;
                foreach (var e in events)
                    allMethods &= methods.ContainsKey(e);
                if (allMethods)
                    return ("MethodArguments arguments", "(MethodArguments)CurrentArguments!");
            }
            return ("", "");
        }
    }
}
