using System;
using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Zccp.Shell;

/// <summary>
/// <c>zccp-sh [--endpoint E] [--identifier ID] PATTERN</c> subscribes and prints
/// <c>Content=FIRST-FRAME sender=ID address=ADDRESS</c> per delivery (the 2014 zccp_sh format, one
/// flushed line each) until SIGINT or SIGTERM; <c>zccp-sh ADDRESS BODY</c> publishes one
/// notification; <c>zccp-sh --direct ID BODY</c> sends a request and prints the reply's first frame.
/// </summary>
/// <remarks>
/// The endpoint defaults to <c>$ZCCP_ENDPOINT</c>, else <c>ipc://@/zccp</c>. Exit codes: 0 done (or
/// stopped by a signal); 1 the broker is not reachable, or a request failed or timed out; 2 usage error.
/// </remarks>
public static class Program
{
    /// <summary>The endpoint when neither --endpoint nor ZCCP_ENDPOINT is given, as the 2014 zccp_sh.</summary>
    public const string DefaultEndpoint = "ipc://@/zccp";

    private static async Task<int> Main(string[] args)
    {
        var endpoint = new Option<string?>("--endpoint", "-e") { Description = $"Broker endpoint (default $ZCCP_ENDPOINT, else {DefaultEndpoint})." };
        var identifier = new Option<string?>("--identifier", "-i") { Description = "Identifier sent in HELLO (default zccp-sh-PID)." };
        var direct = new Option<string?>("--direct", "-d") { Description = "Send BODY as a request to the client with this identifier and print its reply." };
        var timeout = new Option<int>("--timeout", "-t") { Description = "Connect timeout, and request timeout with --direct, in ms.", DefaultValueFactory = _ => 1000 };
        var words = new Argument<string[]>("args") { Description = "PATTERN to subscribe, ADDRESS BODY to publish, or BODY with --direct.", Arity = new ArgumentArity(1, 2) };
        var root = new RootCommand("zccp-sh: the ZCCP shell client.") { endpoint, identifier, direct, timeout, words };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
            return Usage(string.Join("; ", parse.Errors));
        if (Array.Exists(args, a => a is "--help" or "-h" or "-?" or "--version"))
            return parse.Invoke();
        var target = parse.GetValue(direct);
        var positional = parse.GetValue(words)!;
        if (target is not null && positional.Length != 1)
            return Usage("--direct takes exactly one BODY");
        var ms = parse.GetValue(timeout);
        if (ms <= 0)
            return Usage("--timeout must be a positive number of milliseconds");
        var broker = parse.GetValue(endpoint) ?? EnvironmentEndpoint() ?? DefaultEndpoint;
        var id = parse.GetValue(identifier) ?? $"zccp-sh-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        ZccpClient client;
        try
        {
            client = await ZccpClient.ConnectAsync(broker, id, TimeSpan.FromMilliseconds(ms)).ConfigureAwait(false);
        }
        catch (ZccpNotReachableException)
        {
            Console.Error.WriteLine($"zccp-sh: server not reachable at {broker}");
            return 1;
        }
        catch (ZccpIdentifierRefusedException e)
        {
            Console.Error.WriteLine($"zccp-sh: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or Zproto.Runtime.Zmq.ZmqException)
        {
            Console.Error.WriteLine($"zccp-sh: {e.Message}");
            return 1;
        }
        await using (client.ConfigureAwait(false))
        {
            if (target is not null)
                return await RequestAsync(client, target, positional[0], TimeSpan.FromMilliseconds(ms)).ConfigureAwait(false);
            if (positional.Length == 2)
            {
                // Disposing says GOODBYE and waits for GOODBYE-OK, so the PUBLISH before it was taken.
                await client.PublishAsync(positional[0], positional[1]).ConfigureAwait(false);
                return 0;
            }
            return await ListenAsync(client, positional[0]).ConfigureAwait(false);
        }
    }

    private static async Task<int> RequestAsync(ZccpClient client, string target, string body, TimeSpan timeout)
    {
        try
        {
            var reply = await client.RequestAsync(target, body, timeout).ConfigureAwait(false);
            Console.Out.WriteLine(reply.Text);
            return 0;
        }
        catch (Exception e) when (e is ZccpException or TimeoutException)
        {
            Console.Error.WriteLine($"zccp-sh: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> ListenAsync(ZccpClient client, string pattern)
    {
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await client.SubscribeAsync(pattern, stop.Token).ConfigureAwait(false);
        }
        catch (ZccpException e)
        {
            Console.Error.WriteLine($"zccp-sh: {e.Message}");
            return 1;
        }
        Console.Error.WriteLine($"zccp-sh: subscribed to {pattern}");
        try
        {
            await foreach (var delivery in client.ReadDeliveriesAsync(stop.Token).ConfigureAwait(false))
            {
                Console.Out.WriteLine($"Content={delivery.Text} sender={delivery.Sender} address={delivery.Address}");
                Console.Out.Flush();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // SIGINT or SIGTERM: a normal end.
        }
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static string? EnvironmentEndpoint() => Environment.GetEnvironmentVariable("ZCCP_ENDPOINT") is { Length: > 0 } value ? value : null;

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"zccp-sh: {message}");
        Console.Error.WriteLine("usage: zccp-sh [--endpoint E] [--identifier ID] PATTERN | ADDRESS BODY | --direct ID BODY");
        return 2;
    }
}
