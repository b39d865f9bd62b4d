using System.CommandLine;
using Zproto.CodeGen.Rendering;

namespace Zproto.Cli.Commands;

/// <summary>
/// <c>zproto check MODEL...</c>: parses and validates models. stdout carries the diagnostics and
/// nothing else, one per line in compiler form (<c>path(line,col): error ZP2001: message</c>), so
/// editors and CI parse it like compiler output. A clean model prints nothing. Server and client
/// models are also checked against their protocol, as the source generator does (see <see cref="ModelFiles"/>),
/// and the models are bound and rendered in memory, so a problem only generation finds is reported too.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var models = new Argument<string[]>("MODEL")
        {
            Description = "Model files (.xml, .yaml, .yml).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("check", "Validate models; print each diagnostic as 'path(line,col): error ZPnnnn: message'. Exit 1 if any error.")
        {
            models,
        };
        command.SetAction(parse => Cli.Guard(context, "check", () => Run(context, parse.GetValue(models)!)));
        return command;
    }

    private static int Run(CliContext context, string[] paths)
    {
        // Keep going past an unreadable file: it should not hide the diagnostics of the others.
        var failed = false;
        var result = ModelFiles.Generate(paths, @namespace: null, TemplateSet.BuiltIn, e =>
        {
            context.Error.WriteLine($"zproto check: {e.Message}");
            failed = true;
        });
        foreach (var model in result.Models)
        {
            foreach (var diagnostic in model.Diagnostics)
                context.Output.WriteLine(diagnostic.ToString());
            failed |= model.HasErrors;
        }
        return failed ? Cli.Failure : Cli.Success;
    }
}
