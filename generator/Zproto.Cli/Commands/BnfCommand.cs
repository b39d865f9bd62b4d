using System.CommandLine;
using Zproto.CodeGen.Grammar;

namespace Zproto.Cli.Commands;

/// <summary><c>zproto bnf MODEL</c>: prints the protocol's ABNF grammar (RFC 5234) on stdout.</summary>
internal static class BnfCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "The protocol model (.xml, .yaml)." };
        var command = new Command("bnf", "Print the protocol's grammar in ABNF (RFC 5234), in the style of zproto's zproto_bnf.")
        {
            model,
        };
        command.SetAction(parse => Cli.Guard(context, "bnf", () =>
        {
            var spec = ModelFiles.LoadProtocol(parse.GetValue(model)!, context);
            context.Output.Write(AbnfWriter.Write(spec));
            return Cli.Success;
        }));
        return command;
    }
}
