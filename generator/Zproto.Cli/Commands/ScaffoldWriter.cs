using System.Collections.Generic;
using System.Linq;
using System.Text;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Machines;

namespace Zproto.Cli.Commands;

/// <summary>
/// The text <c>zproto scaffold</c> writes: the other half of a generated server or client, with
/// one stub per partial method the generated half declares, with the signature it declares: an
/// action (typed request, message or method arguments where the model allows) or the composer of a
/// message a <c>send</c> sends (returning it). Each doc comment names every state and event that runs
/// it, and for a client the API call that raises the event.
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
            // A composer (ComposeX, returning message X) is keyed by its send; an action by its name.
            var composes = action.ReturnType != "void";
            var key = composes ? SendKey(action.ModelName) : Naming.Key(action.ModelName);
            if (composes)
                sb.Append("    /// <summary>Builds the ").Append(action.ModelName).Append(" message that \"send ").Append(action.ModelName).Append("\" sends.</summary>\n");
            else
                sb.Append("    /// <summary>Action \"").Append(action.ModelName).Append("\".</summary>\n");
            sb.Append("    /// <remarks>\n    /// Runs in:\n");
            foreach (var (state, @event) in callers.TryGetValue(key, out var runs) ? runs : new List<(string, string)>())
            {
                sb.Append("    /// - state '").Append(state).Append("', ").Append(@event);
                if (inheritedBy.TryGetValue(Naming.Key(state), out var heirs))
                    sb.Append(" (also in ").Append(string.Join(", ", heirs.Select(h => "'" + h + "'"))).Append(", which inherit it)");
                sb.Append('\n');
                var eventName = @event.StartsWith("event '", System.StringComparison.Ordinal) ? @event.Substring(7, @event.Length - 8) : "";
                if (!view.IsServer && methods.TryGetValue(Naming.Key(eventName), out var method))
                    sb.Append("    ///   (the ").Append(method.Name).Append("Async call)\n");
            }
            sb.Append("    /// </remarks>\n");
            sb.Append("    private partial ").Append(Shorten(action.ReturnType, view)).Append(' ').Append(action.MethodName)
              .Append('(').Append(Shorten(action.Parameters, view)).Append(")\n");
            sb.Append("    {\n");
            var what = composes ? "compose " + action.ModelName : "action '" + action.ModelName + "'";
            sb.Append("        throw new NotImplementedException(\"").Append(what).Append("\");\n");
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
            var key = Naming.Key(action.Name) == "send" ? SendKey(action.Message) : Naming.Key(action.Name);
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

    /// <summary>
    /// The generated declarations name the protocol's types fully qualified (<c>global::Ns.EchoMsg.Hello</c>);
    /// in the machine's own namespace the stubs say <c>EchoMsg.Hello</c>, as the user would.
    /// </summary>
    private static string Shorten(string text, MachineView view)
    {
        var prefix = "global::" + view.Namespace + ".";
        return view.ProtocolClass == prefix + view.ProtocolClass.Substring(view.ProtocolClass.LastIndexOf('.') + 1)
            ? text.Replace(prefix, "")
            : text;
    }

    /// <summary>The key of the composer a <c>send</c> of <paramref name="message"/> calls.</summary>
    private static string SendKey(string message) => "send:" + Naming.Key(message);
}
