using System.CommandLine;
using Zproto.CodeGen.Diagrams;

namespace Zproto.Cli.Commands;

/// <summary><c>zproto diagram MODEL [--format mermaid|dot]</c>: draws a server or client state machine.</summary>
internal static class DiagramCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A server or client state-machine model (.xml, .yaml)." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "mermaid (a stateDiagram-v2 block) or dot (Graphviz).",
            DefaultValueFactory = _ => "mermaid",
        };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var command = new Command("diagram", "Draw a state machine: states, events, next states and superstates.")
        {
            model,
            format,
        };
        command.SetAction(parse => Cli.Guard(context, "diagram", () =>
        {
            var path = parse.GetValue(model)!;
            var loaded = ModelFiles.Load(path);
            foreach (var d in loaded.Diagnostics)
                context.Error.WriteLine(d.ToString());
            if (loaded.HasErrors)
                throw new CliException($"model '{path}' has errors");
            var machine = loaded.Machine ?? throw new CliException($"'{path}' is a protocol model; diagrams are drawn for server and client models");
            context.Output.Write(parse.GetValue(format) == "dot" ? StateDiagram.Dot(machine) : StateDiagram.Mermaid(machine));
            return Cli.Success;
        }));
        return command;
    }
}
