using System;
using System.IO;
using System.Text;
using Remctl.Protocol;
using Zproto.Runtime.Zmq;

namespace Remctl.Client;

/// <summary>
/// <c>remctl-zmq</c>: sends one command to a backend as remctld would and behaves like the stock
/// remctl client with the reply: stream 1 to stdout, stream 2 to stderr, any other stream to
/// stderr after a warning, exit with the return code's low 8 bits, or print the error's standard
/// text and exit 255.
/// </summary>
internal static class ClientCommand
{
    public const int Usage = 2;
    public const int Failed = 255;

    private const string Name = "remctl-zmq";

    public static int Run(string[] args, Stream stdout, Stream stderr)
    {
        var arguments = ClientArguments.Parse(args, out var error);
        if (arguments is null)
        {
            if (error is null)
            {
                WriteLine(stdout, ClientArguments.Usage);
                return 0;
            }
            WriteLine(stderr, $"{Name}: {error}");
            WriteLine(stderr, ClientArguments.Usage);
            return Usage;
        }

        var options = new RemctlClientOptions
        {
            Timeout = TimeSpan.FromMilliseconds(arguments.TimeoutMs),
            Retries = arguments.Retries,
            RequestTags = arguments.ShortTags ? RemctlMsg.TagStyle.Short : RemctlMsg.TagStyle.Long,
            User = arguments.User,
            Address = arguments.Address,
            Host = arguments.Host,
            ExtraEnvironment = arguments.Environment,
        };
        RemctlResult result;
        try
        {
            using var client = new RemctlClient(arguments.Endpoint, options);
            result = client.Execute(arguments.Command, arguments.Arguments);
        }
        catch (RemctlUnreachableException e)
        {
            WriteLine(stderr, $"{Name}: {e.Message}");
            return Failed;
        }
        catch (RemctlProtocolException e)
        {
            // remctld turns a malformed backend reply into ERROR_INTERNAL; so does this client.
            WriteLine(stderr, RemctlErrors.Message(RemctlError.Internal));
            if (arguments.Verbose)
                WriteLine(stderr, $"{Name}: {e.Message}");
            return Failed;
        }
        catch (Exception e) when (e is ZmqException or ZmqNotFoundException)
        {
            WriteLine(stderr, $"{Name}: cannot reach {arguments.Endpoint}: {e.Message}");
            return Failed;
        }

        foreach (var item in result.Output)
        {
            switch (item.Stream)
            {
                case 1:
                    stdout.Write(item.Data.Span);
                    break;
                case 2:
                    stderr.Write(item.Data.Span);
                    break;
                default:
                    stdout.Flush();
                    WriteLine(stderr, $"{Name}: unknown output stream {item.Stream}");
                    stderr.Write(item.Data.Span);
                    break;
            }
        }
        stdout.Flush();
        if (result.ErrorCode is { } code)
            WriteLine(stderr, RemctlErrors.Message(code));
        stderr.Flush();
        return result.ExitStatus;
    }

    private static void WriteLine(Stream stream, string text)
    {
        stream.Write(Encoding.UTF8.GetBytes(text + "\n"));
        stream.Flush();
    }
}
