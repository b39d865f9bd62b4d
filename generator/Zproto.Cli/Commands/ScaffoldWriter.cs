using System.Collections.Generic;
using System.Linq;
using System.Text;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Machines;

namespace Zproto.Cli.Commands;

/// <summary>
/// The text <c>zproto scaffold</c> writes: the other half of a generated server or client, with
/// one stub per action whose doc comment names every state and event that runs it, and for a
/// client the method whose arguments the action may read.
/// </summary>
internal static class ScaffoldWriter
{
    public static string Write(MachineSpec machine, MachineView view)
    {
        var callers = Callers(machine);
        var methods = view.Methods.ToDictionary(m => Naming.Key(m.ModelName), m => m);
        var inheritedBy = machine.States
            .Where(s => s.Inherit.Length > 0)
            .GroupBy(s => Naming.Key(s.Inherit))
            .ToDictionary(g => g.Key, g => g.Select(s => s.Name).ToList());

        var sb = new StringBuilder();
        sb.Append("using System;\n\n");
        sb.Append("namespace ").Append(view.Namespace).Append(";\n\n");
        sb.Append("// The actions of ").Append(view.IsServer ? "server" : "client").Append(" '").Append(view.ModelName)
          .Append("'. The generated half (states, events, dispatch) is in the build; this half is yours.\n");
        sb.Append("public sealed partial class ").Append(view.ClassName).Append("\n{\n");
        if (view.IsServer)
        {
            sb.Append("    /// <summary>Per-client data: add the properties your actions keep between events.</summary>\n");
            sb.Append("    public sealed partial class Client\n    {\n    }\n");
        }
        var first = !view.IsServer;
        foreach (var action in view.Actions)
        {
            if (!first)
                sb.Append('\n');
            first = false;
            sb.Append("    /// <summary>Action \"").Append(action.ModelName).Append("\".</summary>\n");
            sb.Append("    /// <remarks>\n    /// Runs in:\n");
            foreach (var (state, @event) in callers[Naming.Key(action.ModelName)])
            {
                sb.Append("    /// - state '").Append(state).Append("', ").Append(@event);
                if (inheritedBy.TryGetValue(Naming.Key(state), out var heirs))
                    sb.Append(" (also in ").Append(string.Join(", ", heirs.Select(h => "'" + h + "'"))).Append(", which inherit it)");
                sb.Append('\n');
                var eventName = @event.StartsWith("event '", System.StringComparison.Ordinal) ? @event.Substring(7, @event.Length - 8) : "";
                if (!view.IsServer && methods.TryGetValue(Naming.Key(eventName), out var method) && method.Arguments.Count > 0)
                    sb.Append("    ///   (the ").Append(method.Name).Append("Async call: read its arguments with ArgumentsAs&lt;").Append(method.ArgumentsRecord).Append("&gt;())\n");
            }
            sb.Append("    /// </remarks>\n");
            sb.Append("    private partial void ").Append(action.MethodName).Append(view.IsServer ? "(Client client)" : "()").Append('\n');
            sb.Append("    {\n");
            sb.Append("        throw new NotImplementedException(\"action '").Append(action.ModelName).Append("'\");\n");
            sb.Append("    }\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>Every (state, event) that runs each action, by action key, in model order.</summary>
    private static Dictionary<string, List<(string State, string Event)>> Callers(MachineSpec machine)
    {
        var callers = new Dictionary<string, List<(string, string)>>();
        void Add(ActionSpec action, string state, string @event)
        {
            var key = Naming.Key(action.Name);
            if (!callers.TryGetValue(key, out var list))
                callers[key] = list = new List<(string, string)>();
            if (!list.Contains((state, @event)))
                list.Add((state, @event));
        }
        foreach (var state in machine.States)
        {
            foreach (var action in state.Before)
                Add(action, state.Name, "before every event");
            foreach (var e in state.Events)
                foreach (var action in e.Actions)
                    Add(action, state.Name, $"event '{e.Name}'");
            foreach (var action in state.After)
                Add(action, state.Name, "after every event");
        }
        return callers;
    }
}
