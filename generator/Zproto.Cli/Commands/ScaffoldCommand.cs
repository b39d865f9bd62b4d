using System;
using System.CommandLine;
using System.IO;
using Zproto.CodeGen.Binding;
using Zproto.CodeGen.Rendering;

namespace Zproto.Cli.Commands;

/// <summary>
/// <c>zproto scaffold MODEL [-n NS] [-o FILE]</c>: writes the user's half of a server or client, a
/// partial class with one stub per action and per message composer, with the typed signatures the
/// generated half declares (see <see cref="ScaffoldWriter"/>), so a new machine compiles at once
/// instead of failing with one CS8795 per partial method in files that are not on disk.
/// The machine's protocol model is found as <c>generate</c> finds it: among the files given, else
/// beside the machine model.
/// </summary>
internal static class ScaffoldCommand
{
    public static Command Create(CliContext context)
    {
        var models = new Argument<string[]>("MODEL")
        {
            Description = "The server or client model (.xml, .yaml), optionally followed by its protocol model.",
            Arity = ArgumentArity.OneOrMore,
        };
        var ns = new Option<string?>("--namespace", "-n")
        {
            HelpName = "NS",
            Description = $"Namespace of the machine: the project's RootNamespace or the model's Namespace metadata (default {GenerateCommand.DefaultNamespace}, as generate).",
        };
        var output = new Option<string?>("--output", "-o")
        {
            HelpName = "FILE",
            Description = "Write to FILE (never over an existing one) instead of stdout.",
        };
        var command = new Command("scaffold", "Write the actions of a server or client as a partial class of method stubs, to fill in.")
        {
            models, ns, output,
        };
        command.SetAction(parse => Cli.Guard(context, "scaffold", () =>
            Run(context, parse.GetValue(models)!, parse.GetValue(ns), parse.GetValue(output))));
        return command;
    }

    private static int Run(CliContext context, string[] paths, string? @namespace, string? output)
    {
        if (@namespace is not null && !GenerateCommand.IsValidNamespace(@namespace))
            throw new CliException($"'{@namespace}' is not a valid C# namespace", Cli.Usage);
        // The same pipeline as generate, so the machine binds to the protocol generate would pick.
        var model = ModelFiles.Generate(paths, @namespace, TemplateSet.BuiltIn, e => throw e).Models[0];
        foreach (var d in model.Diagnostics)
            context.Error.WriteLine(d.ToString());
        if (model.HasErrors)
            throw new CliException($"model '{model.Path}' has errors");
        if (model.Parsed.Machine is not { } machine)
            throw new CliException($"'{model.Path}' is a protocol, not a server or client model: its codec has no actions to write");
        if (model.Protocol is not { } protocol)
            throw new CliException($"protocol '{machine.ProtocolClass}' of '{model.Path}' not found: give its model after the machine's, or put it beside it");

        // The stubs name the protocol's types as the generated half does. A protocol found beside the
        // machine is in the same project, so -n (the project's namespace) is its namespace too.
        var view = MachineBinder.Bind(machine, protocol.Spec, @namespace ?? protocol.Namespace, model.Parsed.Namespace);
        var text = ScaffoldWriter.Write(machine, view);
        if (output is null)
        {
            context.Output.Write(text);
            return Cli.Success;
        }
        if (File.Exists(output))
            throw new CliException($"'{output}' exists; scaffold never overwrites the actions you wrote");
        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        File.WriteAllText(output, text);
        context.Output.WriteLine(output);
        return Cli.Success;
    }
}
