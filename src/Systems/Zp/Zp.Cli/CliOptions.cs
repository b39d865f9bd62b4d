using System;
using System.Collections.Generic;
using System.Globalization;
using Zp.Client;

namespace Zp.Cli;

/// <summary>
/// zp's command line, parsed by hand because the remote command's own options (<c>sh -c</c>,
/// <c>ls -l</c>) must pass through untouched: zp's options come first, then the target or a
/// subcommand, and everything after the target's command word belongs to the remote command.
/// </summary>
internal sealed class CliOptions
{
    public string Verb { get; private set; } = "exec";
    public List<string> Operands { get; } = new();
    public int? Port { get; private set; }
    public string IdentityDirectory { get; private set; } = ClientIdentity.DefaultDirectory;
    public string KnownHostsFile { get; private set; } = ClientIdentity.DefaultKnownHosts;
    public bool Async { get; private set; }
    public bool AcceptNew { get; private set; }
    public int? KeyPort { get; private set; }
    public int FollowMask { get; private set; } = 3;
    public TimeSpan ConnectTimeout { get; private set; } = TimeSpan.FromSeconds(5);
    public bool Verbose { get; private set; }
    public bool Help { get; private set; }

    public const string Usage = """
        usage: zp [OPTIONS] USER@HOST[:PORT] COMMAND [ARGS...]      run COMMAND (stdin, stdout, stderr, exit code)
               zp [OPTIONS] --async USER@HOST COMMAND [ARGS...]     start a background job; print its id
               zp [OPTIONS] jobs USER@HOST                          list your jobs, one id per line
               zp [OPTIONS] job status USER@HOST ID                 show a job
               zp [OPTIONS] job follow [--stdout|--stderr|--all] USER@HOST ID
               zp [OPTIONS] job cancel USER@HOST ID
               zp keygen DIR                                        make a key pair; print the public key
        targets: USER@HOST (port 6522), USER@HOST:PORT, USER@tcp://HOST:PORT
        options: -p PORT  --identity DIR  --known-hosts FILE  --accept-new  --key-port PORT  --connect-timeout MS  -v|--verbose  -h|--help
        an unknown host: --accept-new trusts and records the key it shows; on a terminal zp asks; otherwise it refuses
        exit: the remote command's status; 255 when the server is unreachable, refuses, or the key mismatches
        """;

    /// <exception cref="FormatException">A usage error, with its message.</exception>
    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        var i = 0;
        // zp's own options, up to the target or subcommand.
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
                break;
            switch (arg)
            {
                case "-p":
                case "--port":
                    options.Port = int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                        ? port : throw new FormatException("-p needs a port (1-65535)");
                    break;
                case "--identity":
                case "-i":
                    options.IdentityDirectory = Value(args, ref i);
                    break;
                case "--known-hosts":
                    options.KnownHostsFile = Value(args, ref i);
                    break;
                case "--connect-timeout":
                    options.ConnectTimeout = int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
                        ? TimeSpan.FromMilliseconds(ms) : throw new FormatException("--connect-timeout needs milliseconds");
                    break;
                case "--accept-new":
                    options.AcceptNew = true;
                    break;
                case "--key-port":
                    options.KeyPort = int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var keyPort) && keyPort is > 0 and < 65536
                        ? keyPort : throw new FormatException("--key-port needs a port (1-65535)");
                    break;
                case "--async":
                    options.Async = true;
                    break;
                case "-v":
                case "--verbose":
                    options.Verbose = true;
                    break;
                case "-h":
                case "--help":
                    options.Help = true;
                    return options;
                default:
                    throw new FormatException($"unknown option '{arg}'");
            }
        }
        if (i >= args.Count)
            throw new FormatException("missing USER@HOST");
        switch (args[i])
        {
            case "keygen":
            case "jobs":
                options.Verb = args[i++];
                break;
            case "job":
                if (++i >= args.Count || args[i] is not ("status" or "follow" or "cancel"))
                    throw new FormatException("'zp job' needs status, follow or cancel");
                options.Verb = "job " + args[i++];
                for (; i < args.Count && args[i].StartsWith("--", StringComparison.Ordinal); i++)
                {
                    options.FollowMask = options.Verb == "job follow" ? args[i] switch
                    {
                        "--stdout" => 1,
                        "--stderr" => 2,
                        "--all" => 3,
                        _ => throw new FormatException($"unknown follow option '{args[i]}' (--stdout, --stderr or --all)"),
                    } : throw new FormatException($"unknown option '{args[i]}'");
                }
                break;
        }
        for (; i < args.Count; i++)
            options.Operands.Add(args[i]);
        var expected = options.Verb switch
        {
            "keygen" => (1, 1),
            "jobs" => (1, 1),
            "exec" => (2, int.MaxValue),
            _ => (2, 2),
        };
        if (options.Operands.Count < expected.Item1 || options.Operands.Count > expected.Item2)
            throw new FormatException(options.Verb == "exec" ? "missing COMMAND after USER@HOST" : $"wrong number of arguments for '{options.Verb}'");
        if (options.Async && options.Verb != "exec")
            throw new FormatException("--async applies only to running a command");
        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new FormatException($"{args[i - 1]} needs a value");
}
