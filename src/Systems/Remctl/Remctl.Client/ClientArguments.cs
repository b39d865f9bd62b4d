using System;
using System.Collections.Generic;
using System.Globalization;

namespace Remctl.Client;

/// <summary>
/// The parsed command line. Options come first and end at the first non-option word (the command)
/// or at <c>--</c>, like the stock remctl client (getopt with '+'): everything after the command is
/// passed on untouched, even words that start with '-'.
/// </summary>
internal sealed record ClientArguments
{
    public const string Usage =
        "usage: remctl-zmq --endpoint ENDPOINT [--user PRINCIPAL] [--timeout MS] [--retries N] [--short-tags]\n" +
        "                  [--addr ADDRESS] [--host NAME] [--env NAME=VALUE]... [--verbose] COMMAND [ARGS...]\n" +
        "Sends COMMAND (as REMCTL_COMMAND) and ARGS (the first is the subcommand) to a remctl ZeroMQ backend,\n" +
        "as remctld would, writes stream 1 to stdout and the others to stderr, and exits with the return code.\n" +
        "  -e, --endpoint   the backend, e.g. tcp://127.0.0.1:5555\n" +
        "  -u, --user       REMOTE_USER (default: the current user name)\n" +
        "  -t, --timeout    milliseconds to wait for each attempt's reply (default 60000)\n" +
        "  -r, --retries    attempts after a timeout, each on a new socket (default 0)\n" +
        "  -s, --short-tags send A and E instead of ARGUMENT and ENVIRONMENT\n" +
        "      --addr       REMOTE_ADDR (default 127.0.0.1)\n" +
        "      --host       REMOTE_HOST (default: not sent, as when reverse DNS fails)\n" +
        "      --env        an extra environment variable, e.g. REMOTE_EXPIRES=1767225600\n" +
        "  -v, --verbose    explain a malformed reply on stderr\n" +
        "Exit status: the return code & 0xFF; 255 after a remctl error, a malformed reply or no reply;\n" +
        "2 for a usage error.";

    public required string Endpoint { get; init; }
    public required string Command { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public string User { get; init; } = System.Environment.UserName;
    public string Address { get; init; } = "127.0.0.1";
    public string? Host { get; init; }
    public int TimeoutMs { get; init; } = 60_000;
    public int Retries { get; init; }
    public bool ShortTags { get; init; }
    public bool Verbose { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set on a usage
    /// error, or with both null when help was asked for.</summary>
    public static ClientArguments? Parse(string[] args, out string? error)
    {
        error = null;
        string? endpoint = null, user = null, address = null, host = null;
        int timeout = 60_000, retries = 0;
        bool shortTags = false, verbose = false;
        var environment = new List<KeyValuePair<string, string>>();
        var i = 0;
        for (; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
                break;

            var name = arg;
            string? inline = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }

            switch (name)
            {
                case "-h" or "--help":
                    return null;
                case "-s" or "--short-tags":
                    shortTags = true;
                    continue;
                case "-v" or "--verbose":
                    verbose = true;
                    continue;
            }

            if (inline is null)
            {
                if (i + 1 >= args.Length)
                {
                    error = $"option {name} needs a value";
                    return null;
                }
                inline = args[++i];
            }
            switch (name)
            {
                case "-e" or "--endpoint":
                    endpoint = inline;
                    break;
                case "-u" or "--user":
                    user = inline;
                    break;
                case "--addr":
                    address = inline;
                    break;
                case "--host":
                    host = inline;
                    break;
                case "-t" or "--timeout":
                    if (!int.TryParse(inline, NumberStyles.None, CultureInfo.InvariantCulture, out timeout) || timeout <= 0)
                    {
                        error = $"--timeout: '{inline}' is not a positive number of milliseconds";
                        return null;
                    }
                    break;
                case "-r" or "--retries":
                    if (!int.TryParse(inline, NumberStyles.None, CultureInfo.InvariantCulture, out retries))
                    {
                        error = $"--retries: '{inline}' is not a number of retries";
                        return null;
                    }
                    break;
                case "--env":
                    var split = inline.IndexOf('=', StringComparison.Ordinal);
                    if (split <= 0)
                    {
                        error = $"--env: '{inline}' is not NAME=VALUE";
                        return null;
                    }
                    environment.Add(new(inline[..split], inline[(split + 1)..]));
                    break;
                default:
                    error = $"unknown option {name}";
                    return null;
            }
        }

        if (endpoint is null)
        {
            error = "--endpoint is required";
            return null;
        }
        if (i >= args.Length)
        {
            error = "no command given";
            return null;
        }
        return new ClientArguments
        {
            Endpoint = endpoint,
            Command = args[i],
            Arguments = args[(i + 1)..],
            User = user ?? System.Environment.UserName,
            Address = address ?? "127.0.0.1",
            Host = host,
            TimeoutMs = timeout,
            Retries = retries,
            ShortTags = shortTags,
            Verbose = verbose,
            Environment = environment,
        };
    }
}
