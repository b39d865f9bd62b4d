using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Zproto.Cli.Commands;

namespace Zproto.Cli;

/// <summary>
/// The command tree of <c>zproto</c>. <see cref="Run(string[], TextWriter, TextWriter, TextReader?)"/>
/// is the whole program: <c>Main</c> passes the console, tests pass string writers and run it in-process.
/// </summary>
/// <remarks>
/// Exit codes: 0 success; 1 failure (model errors, unreadable or malformed input, a message that
/// cannot be encoded or decoded); 2 usage error (unknown option, missing argument). Every failure
/// is one line on stderr, never a stack trace.
/// </remarks>
public static class Cli
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of a failed run: bad model, bad input, rejected message.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a command line that does not parse.</summary>
    public const int Usage = 2;

    /// <summary>Runs <c>zproto</c> with <paramref name="args"/>, writing to the given writers.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="stdout">Where results go (diagnostics, frames, JSON, grammar).</param>
    /// <param name="stderr">Where errors go, one line each.</param>
    /// <param name="stdin">What <c>--json -</c> and <c>decode -</c> read; empty when null.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr, stdin ?? TextReader.Null);
        try
        {
            var root = CreateRootCommand(context);
            // '@file' is ours (encode --json @file), not a response file.
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parse.Errors.Count > 0)
            {
                var command = parse.CommandResult.Command;
                var name = command is RootCommand ? "zproto" : "zproto " + command.Name;
                var messages = new List<string>();
                foreach (var error in parse.Errors)
                {
                    if (!messages.Contains(error.Message))
                        messages.Add(error.Message);
                }
                stderr.WriteLine($"{name}: {OneLine(string.Join(" ", messages))} (see '{name} --help')");
                return Usage;
            }
            return parse.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            // The commands catch their own failures; this is the last line of defence.
            stderr.WriteLine($"zproto: internal error: {OneLine(e.Message)}");
            return Failure;
        }
    }

    /// <summary>Builds the command tree; every command writes through <paramref name="context"/>.</summary>
    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("zproto: check zproto models, generate their C#, scaffold the actions of a server or client, encode and decode messages as JSON, print ABNF grammars and state diagrams.");
        root.Subcommands.Add(CheckCommand.Create(context));
        root.Subcommands.Add(GenerateCommand.Create(context));
        root.Subcommands.Add(ScaffoldCommand.Create(context));
        root.Subcommands.Add(EncodeCommand.Create(context));
        root.Subcommands.Add(DecodeCommand.Create(context));
        root.Subcommands.Add(BnfCommand.Create(context));
        root.Subcommands.Add(DiagramCommand.Create(context));
        return root;
    }

    /// <summary>Runs a command body, turning any failure into one stderr line and an exit code.</summary>
    internal static int Guard(CliContext context, string command, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CliException e)
        {
            context.Error.WriteLine($"zproto {command}: {OneLine(e.Message)}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"zproto {command}: {OneLine(e.Message)}");
            return Failure;
        }
        catch (Exception e)
        {
            context.Error.WriteLine($"zproto {command}: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            return Failure;
        }
    }

    /// <summary>Folds a message onto one line, so every failure is exactly one line of stderr.</summary>
    internal static string OneLine(string text) =>
        text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ').Trim();
}

/// <summary>The writers and reader a command uses; the console in production, strings in tests.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, TextReader Input);

/// <summary>A failure the user can act on: printed as one line, exit code 1 (or 2 for usage).</summary>
internal sealed class CliException(string message, int exitCode = Cli.Failure) : Exception(message)
{
    /// <summary>The exit code to return.</summary>
    public int ExitCode { get; } = exitCode;
}
