using System;
using System.Collections.Generic;
using System.Text;
using Zproto.Model;
using Zproto.Model.Machines;

namespace Zproto.CodeGen.Diagrams;

/// <summary>
/// Draws a state machine: states, events, next states and superstates. A superstate is drawn as a
/// composite state around the states that inherit it (so "external inherits defaults" nests), and
/// its events leave from the composite, as they apply to every state inside. An event with no
/// next state is a self-transition.
/// </summary>
public static class StateDiagram
{
    /// <summary>Mermaid <c>stateDiagram-v2</c> text.</summary>
    public static string Mermaid(MachineSpec machine)
    {
        var sb = new StringBuilder();
        sb.Append("stateDiagram-v2\n");
        if (machine.Title.Length > 0)
            sb.Append("    %% ").Append(machine.Title).Append('\n');
        var children = Children(machine);
        foreach (var s in machine.States)
        {
            if (s.Inherit.Length == 0 || !Exists(machine, s.Inherit))
                WriteMermaidTree(sb, s, children, "    ");
        }
        if (machine.States.Count > 0)
            sb.Append("    [*] --> ").Append(Id(machine.States[0].Name)).Append('\n');
        foreach (var s in machine.States)
        {
            foreach (var e in s.Events)
            {
                var target = e.Next.Length > 0 && Exists(machine, e.Next) ? e.Next : s.Name;
                sb.Append("    ").Append(Id(s.Name)).Append(" --> ").Append(Id(target)).Append(" : ").Append(Label(e)).Append('\n');
            }
        }
        return sb.ToString();
    }

    // Each state is declared where it belongs: a superstate as a composite around its heirs.
    private static void WriteMermaidTree(StringBuilder sb, StateSpec state, Dictionary<string, List<StateSpec>> children, string indent)
    {
        if (!children.TryGetValue(Naming.Key(state.Name), out var heirs))
        {
            sb.Append(indent).Append("state \"").Append(Escape(state.Name)).Append("\" as ").Append(Id(state.Name)).Append('\n');
            return;
        }
        sb.Append(indent).Append("state ").Append(Id(state.Name)).Append(" {\n");
        foreach (var heir in heirs)
            WriteMermaidTree(sb, heir, children, indent + "    ");
        sb.Append(indent).Append("}\n");
    }

    /// <summary>Graphviz DOT text.</summary>
    public static string Dot(MachineSpec machine)
    {
        var sb = new StringBuilder();
        sb.Append("digraph ").Append(Id(machine.Name)).Append(" {\n");
        sb.Append("    rankdir=LR;\n    node [shape=box, style=rounded];\n    compound=true;\n");
        if (machine.Title.Length > 0)
            sb.Append("    label=\"").Append(Escape(machine.Title)).Append("\";\n    labelloc=t;\n");
        var children = Children(machine);
        foreach (var s in machine.States)
        {
            if (s.Inherit.Length == 0 || !Exists(machine, s.Inherit))
                WriteDotTree(sb, s, children, "    ");
        }
        sb.Append("    __start [shape=point];\n");
        if (machine.States.Count > 0)
            sb.Append("    __start -> ").Append(Id(machine.States[0].Name)).Append(";\n");
        foreach (var s in machine.States)
        {
            foreach (var e in s.Events)
            {
                var target = e.Next.Length > 0 && Exists(machine, e.Next) ? e.Next : s.Name;
                sb.Append("    ").Append(Id(s.Name)).Append(" -> ").Append(Id(target)).Append(" [label=\"").Append(Escape(Label(e))).Append("\"];\n");
            }
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static void WriteDotTree(StringBuilder sb, StateSpec state, Dictionary<string, List<StateSpec>> children, string indent)
    {
        if (!children.TryGetValue(Naming.Key(state.Name), out var heirs))
        {
            sb.Append(indent).Append(Id(state.Name)).Append(" [label=\"").Append(Escape(state.Name)).Append("\"];\n");
            return;
        }
        // A superstate is both a cluster (its heirs) and a node (its own events leave from it).
        sb.Append(indent).Append("subgraph cluster_").Append(Id(state.Name)).Append(" {\n");
        sb.Append(indent).Append("    label=\"").Append(Escape(state.Name)).Append("\";\n    ").Append(indent).Append("style=dashed;\n");
        sb.Append(indent).Append("    ").Append(Id(state.Name)).Append(" [label=\"").Append(Escape(state.Name)).Append(" (superstate)\", style=\"rounded,dashed\"];\n");
        foreach (var heir in heirs)
            WriteDotTree(sb, heir, children, indent + "    ");
        sb.Append(indent).Append("}\n");
    }

    private static Dictionary<string, List<StateSpec>> Children(MachineSpec machine)
    {
        var result = new Dictionary<string, List<StateSpec>>(StringComparer.Ordinal);
        foreach (var s in machine.States)
        {
            if (s.Inherit.Length == 0 || !Exists(machine, s.Inherit))
                continue;
            var key = Naming.Key(s.Inherit);
            if (!result.TryGetValue(key, out var list))
                result[key] = list = new List<StateSpec>();
            list.Add(s);
        }
        return result;
    }

    private static bool Exists(MachineSpec machine, string name)
    {
        foreach (var s in machine.States)
            if (Naming.Key(s.Name) == Naming.Key(name)) return true;
        return false;
    }

    private static string Label(EventSpec e)
    {
        var sends = new List<string>();
        foreach (var a in e.Actions)
        {
            if (Naming.Key(a.Name) == "send")
                sends.Add("send " + a.Message);
            else if (Naming.Key(a.Name) == "terminate")
                sends.Add("terminate");
        }
        return sends.Count == 0 ? e.Name : e.Name + " / " + string.Join(", ", sends);
    }

    private static string Id(string name)
    {
        var pascal = Naming.Pascal(name);
        return pascal.Length == 0 ? "state" : pascal;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "'");
}
