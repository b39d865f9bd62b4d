using System;
using System.Collections.Generic;
using System.Globalization;
using Zproto.Model.Diagnostics;
using Zproto.Model.Syntax;

namespace Zproto.Model.Machines;

/// <summary>
/// Builds a <see cref="MachineSpec"/> from a server or client model (zproto's XML, read unchanged,
/// or YAML), with the checks that need only this model: next states, superstates, reachability,
/// duplicates and method/reply consistency. Checks against the protocol live in <see cref="MachineChecker"/>.
/// </summary>
internal sealed class MachineBuilder(List<ModelDiagnostic> diagnostics)
{
    /// <summary>Built-in actions every machine has.</summary>
    public static readonly string[] BuiltInActions = ["send", "terminate"];

    private readonly List<NamedPosition> _positions = new();

    /// <summary>True when a model's root holds states: it is a state machine, not a codec.</summary>
    public static bool IsMachine(ModelNode root)
    {
        foreach (var child in root.Children)
            if (child.Name == "state") return true;
        return false;
    }

    public (MachineSpec? Spec, MachinePositions Positions) Build(ModelNode root, string path)
    {
        var name = root.Value("name")?.Trim() ?? "";
        if (name.Length == 0)
            Report(DiagnosticDescriptors.MissingAttribute, root, "<class>", "name");
        var protocolAttribute = root.Attribute("protocol_class") ?? root.Attribute("proto");
        var protocol = protocolAttribute?.Value.Trim() ?? "";
        if (protocol.Length == 0)
            Report(DiagnosticDescriptors.MissingAttribute, root, "state machine <class>", "protocol_class");
        else
            Remember("protocol", protocolAttribute!);
        var kind = IsClient(root) ? MachineKind.Client : MachineKind.Server;

        var states = new List<StateSpec>();
        var stateNodes = new Dictionary<string, ModelNode>(StringComparer.Ordinal);
        foreach (var node in root.Children)
        {
            if (node.Name != "state")
                continue;
            var state = ParseState(node);
            if (state is null)
                continue;
            var key = Naming.Key(state.Name);
            if (stateNodes.ContainsKey(key))
            {
                Report(MachineDiagnostics.DuplicateName, node.Attribute("name")!, "state", state.Name);
                continue;
            }
            stateNodes[key] = node;
            states.Add(state);
        }

        var replies = ParseReplies(root);
        var methods = ParseMethods(root, replies);
        CheckStates(states, stateNodes);

        foreach (var child in root.Children)
        {
            if (child.Name is not ("state" or "method" or "reply" or "license" or "include"))
                Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
        }

        var spec = new MachineSpec
        {
            Name = name,
            FileName = System.IO.Path.GetFileName(path),
            Kind = kind,
            ProtocolClass = protocol,
            Title = root.Value("title") ?? "",
            Doc = root.Text,
            States = states.ToEquatableArray(),
            Methods = methods.ToEquatableArray(),
            Replies = replies.ToEquatableArray(),
        };
        return (spec, new MachinePositions(path, _positions.ToEquatableArray()));
    }

    // zproto picks the generator by script; a model with API methods or replies is a client either way.
    private static bool IsClient(ModelNode root)
    {
        var script = root.Value("script") ?? "";
        if (script.IndexOf("client", StringComparison.OrdinalIgnoreCase) >= 0)
            return true;
        if (script.IndexOf("server", StringComparison.OrdinalIgnoreCase) >= 0)
            return false;
        var role = root.Value("role") ?? "";
        if (role.Length > 0)
            return role.Trim().Equals("client", StringComparison.OrdinalIgnoreCase);
        foreach (var child in root.Children)
            if (child.Name is "method" or "reply") return true;
        return false;
    }

    private StateSpec? ParseState(ModelNode node)
    {
        var name = node.Value("name")?.Trim() ?? "";
        if (name.Length == 0)
        {
            Report(DiagnosticDescriptors.MissingAttribute, node, "<state>", "name");
            return null;
        }
        Remember("state:" + Naming.Key(name), node.Attribute("name")!);
        if (node.Attribute("inherit") is { } inherit)
            Remember("inherit:" + Naming.Key(name), inherit);
        var events = new List<EventSpec>();
        var before = new List<ActionSpec>();
        var after = new List<ActionSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in node.Children)
        {
            switch (child.Name)
            {
                case "event":
                    var eventName = child.Value("name")?.Trim() ?? "";
                    if (eventName.Length == 0)
                    {
                        Report(DiagnosticDescriptors.MissingAttribute, child, "<event>", "name");
                        continue;
                    }
                    var eventKey = Naming.Key(eventName);
                    if (eventName == "*")
                        eventKey = "*";
                    if (!seen.Add(eventKey))
                    {
                        Report(MachineDiagnostics.DuplicateName, child.Attribute("name")!, $"event in state '{name}'", eventName);
                        continue;
                    }
                    Remember($"event:{Naming.Key(name)}/{eventKey}", child.Attribute("name")!);
                    if (child.Attribute("next") is { } next)
                        Remember($"next:{Naming.Key(name)}/{eventKey}", next);
                    events.Add(new EventSpec(eventName, child.Value("next")?.Trim() ?? "", ParseActions(child, $"{Naming.Key(name)}/{eventKey}")));
                    break;
                case "before":
                    before.AddRange(ParseActions(child, $"{Naming.Key(name)}/before"));
                    break;
                case "after":
                    after.AddRange(ParseActions(child, $"{Naming.Key(name)}/after"));
                    break;
                default:
                    Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
                    break;
            }
        }
        return new StateSpec(name, node.Value("inherit")?.Trim() ?? "", node.Text, events.ToEquatableArray(), before.ToEquatableArray(), after.ToEquatableArray());
    }

    private EquatableArray<ActionSpec> ParseActions(ModelNode parent, string keyPrefix)
    {
        var actions = new List<ActionSpec>();
        foreach (var child in parent.Children)
        {
            if (child.Name != "action")
            {
                Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
                continue;
            }
            // YAML lets an action be a bare scalar: "actions: [remember name, terminate]".
            var name = (child.Value("name") ?? child.Text).Trim();
            if (name.Length == 0)
            {
                Report(DiagnosticDescriptors.MissingAttribute, child, "<action>", "name");
                continue;
            }
            var message = child.Value("message")?.Trim() ?? "";
            if (Naming.Key(name) == "send")
            {
                if (message.Length == 0)
                    Report(DiagnosticDescriptors.MissingAttribute, child, "action 'send'", "message");
                else
                    Remember($"send:{keyPrefix}/{actions.Count}", child.Attribute("message")!);
            }
            else if (Naming.Pascal(name).Length == 0)
            {
                Report(MachineDiagnostics.BadActionName, (IHasPosition?)child.Attribute("name") ?? child, name, "it has no letters or digits to make a method name from");
                continue;
            }
            Remember($"action:{keyPrefix}/{actions.Count}", (IHasPosition?)child.Attribute("name") ?? child);
            actions.Add(new ActionSpec(name, message));
        }
        return actions.ToEquatableArray();
    }

    private void CheckStates(List<StateSpec> states, Dictionary<string, ModelNode> nodes)
    {
        var byKey = new Dictionary<string, StateSpec>(StringComparer.Ordinal);
        foreach (var s in states)
            byKey[Naming.Key(s.Name)] = s;

        foreach (var s in states)
        {
            // Superstate exists and the chain does not loop.
            var seen = new HashSet<string>(StringComparer.Ordinal) { Naming.Key(s.Name) };
            var current = s;
            while (current.Inherit.Length > 0)
            {
                var parentKey = Naming.Key(current.Inherit);
                var at = (IHasPosition?)nodes[Naming.Key(current.Name)].Attribute("inherit") ?? nodes[Naming.Key(current.Name)];
                if (!byKey.TryGetValue(parentKey, out var parent))
                {
                    if (current == s)
                        Report(MachineDiagnostics.BadInherit, at, s.Name, $"superstate '{current.Inherit}' does not exist");
                    break;
                }
                if (!seen.Add(parentKey))
                {
                    if (current == s || parentKey == Naming.Key(s.Name))
                        Report(MachineDiagnostics.BadInherit, at, s.Name, $"inherit chain loops back through '{parent.Name}'");
                    break;
                }
                current = parent;
            }
            foreach (var e in s.Events)
            {
                if (e.Next.Length > 0 && !byKey.ContainsKey(Naming.Key(e.Next)))
                {
                    var node = nodes[Naming.Key(s.Name)];
                    IHasPosition at = node;
                    foreach (var child in node.Children)
                        if (child.Name == "event" && child.Value("name")?.Trim() == e.Name && child.Attribute("next") is { } next) at = next;
                    Report(MachineDiagnostics.UnknownNextState, at, e.Name, s.Name, e.Next);
                }
            }
        }

        if (states.Count == 0)
            return;
        // Reachability from the first state; superstates are reached through their heirs.
        var inherited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in states)
            if (s.Inherit.Length > 0) inherited.Add(Naming.Key(s.Inherit));
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<StateSpec>();
        queue.Enqueue(states[0]);
        reached.Add(Naming.Key(states[0].Name));
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            foreach (var e in MachineChecker.EffectiveEvents(s, byKey))
            {
                if (e.Next.Length > 0 && byKey.TryGetValue(Naming.Key(e.Next), out var target) && reached.Add(Naming.Key(target.Name)))
                    queue.Enqueue(target);
            }
        }
        foreach (var s in states)
        {
            var key = Naming.Key(s.Name);
            if (!reached.Contains(key) && !inherited.Contains(key))
                Report(MachineDiagnostics.UnreachableState, nodes[key].Attribute("name")!, s.Name, states[0].Name);
        }
    }

    private List<ReplySpec> ParseReplies(ModelNode root)
    {
        var replies = new List<ReplySpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in root.Children)
        {
            if (node.Name != "reply")
                continue;
            var name = node.Value("name")?.Trim() ?? "";
            if (name.Length == 0)
            {
                Report(DiagnosticDescriptors.MissingAttribute, node, "<reply>", "name");
                continue;
            }
            if (!seen.Add(Naming.Key(name)))
            {
                Report(MachineDiagnostics.DuplicateName, node.Attribute("name")!, "reply", name);
                continue;
            }
            replies.Add(new ReplySpec(name, node.Text, ParseMethodFields(node, "reply", name)));
        }
        return replies;
    }

    private List<MethodSpec> ParseMethods(ModelNode root, List<ReplySpec> replies)
    {
        var methods = new List<MethodSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var replyKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in replies)
            replyKeys.Add(Naming.Key(r.Name));
        foreach (var node in root.Children)
        {
            if (node.Name != "method")
                continue;
            var name = node.Value("name")?.Trim() ?? "";
            if (name.Length == 0)
            {
                Report(DiagnosticDescriptors.MissingAttribute, node, "<method>", "name");
                continue;
            }
            if (!seen.Add(Naming.Key(name)))
            {
                Report(MachineDiagnostics.DuplicateName, node.Attribute("name")!, "method", name);
                continue;
            }
            Remember("method:" + Naming.Key(name), node.Attribute("name")!);
            var accepts = new List<string>();
            foreach (var child in node.Children)
            {
                if (child.Name != "accept")
                    continue;
                var reply = (child.Value("reply") ?? child.Text).Trim();
                if (!replyKeys.Contains(Naming.Key(reply)))
                    Report(MachineDiagnostics.BadMethod, (IHasPosition?)child.Attribute("reply") ?? child, name, $"accepts reply '{reply}', which no <reply> declares");
                else
                    accepts.Add(reply);
            }
            methods.Add(new MethodSpec(name, node.Value("return")?.Trim() ?? "", node.Text, ParseMethodFields(node, "method", name), accepts.ToEquatableArray()));
        }
        return methods;
    }

    private EquatableArray<MethodFieldSpec> ParseMethodFields(ModelNode node, string what, string owner)
    {
        var fields = new List<MethodFieldSpec>();
        foreach (var child in node.Children)
        {
            if (child.Name == "accept")
                continue;
            if (child.Name != "field")
            {
                Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
                continue;
            }
            // zproto spells a method field argument="x" or constant="X", a reply field property="x".
            var constant = child.Value("constant")?.Trim() ?? "";
            var name = (child.Value("argument") ?? child.Value("property") ?? child.Value("name"))?.Trim() ?? "";
            if (name.Length == 0 && constant.Length == 0)
            {
                Report(MachineDiagnostics.BadMethod, child, owner, $"a {what} field needs a name (argument=, property= or name=)");
                continue;
            }
            var type = (child.Value("type") ?? "string").Trim().ToLowerInvariant();
            fields.Add(new MethodFieldSpec(name, type, constant, child.Text, NumberSize(child, type, name.Length > 0 ? name : constant)));
        }
        return fields.ToEquatableArray();
    }

    /// <summary>A number field's width in octets: its <c>size</c>, 4 (zproto's default) when it has none; 0 for other types.</summary>
    private int NumberSize(ModelNode field, string type, string name)
    {
        var attribute = field.Attribute("size");
        if (type != "number")
        {
            if (attribute is not null)
                Report(DiagnosticDescriptors.InvalidAttribute, attribute, $"field '{name}'", "size", $"only a number has a size, not a {type}");
            return 0;
        }
        if (attribute is null)
            return 4;
        if (int.TryParse(attribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is 1 or 2 or 4 or 8)
            return size;
        Report(DiagnosticDescriptors.BadNumberSize, attribute, name, attribute.Value);
        return 4;
    }

    private void Remember(string key, IHasPosition at) => _positions.Add(new NamedPosition(key, at.Line, at.Column));

    private void Report(DiagnosticDescriptor d, IHasPosition at, params object[] args) =>
        diagnostics.Add(XmlModelReader.Diag(d, at.File, at.Line, at.Column, args));
}
