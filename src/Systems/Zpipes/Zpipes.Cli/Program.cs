using System;
using System.CommandLine;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Zpipes.Cli;

/// <summary>
/// <c>zpipes [--endpoint E | --broker NAME] [--timeout MS] [--chunk-size N] [--window N] write|read NAME</c>:
/// copies stdin into a pipe, or a pipe to stdout, byte for byte. Exit codes: see <see cref="ExitCodes"/>.
/// </summary>
public static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var endpoint = new Option<string?>("--endpoint", "-e") { Description = "Broker endpoint, e.g. tcp://127.0.0.1:5560.", Recursive = true };
        var broker = new Option<string?>("--broker", "-b") { Description = "Broker name on this host (ipc://@/zpipes/NAME); default 'local' when no --endpoint.", Recursive = true };
        var timeout = new Option<long>("--timeout", "-t") { Description = "Per-request timeout in ms: how long a write waits for a reader, a read for data. 0 (default) waits while the pipe is open.", Recursive = true };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Bytes per READ/WRITE (default 65536).", DefaultValueFactory = _ => 64 * 1024, Recursive = true };
        var window = new Option<int>("--window", "-w") { Description = $"READs or WRITEs in flight at once when there is no --timeout (default {ZpipesClientOptions.DefaultWindow}; 1: one at a time).", DefaultValueFactory = _ => ZpipesClientOptions.DefaultWindow, Recursive = true };
        var receiveTimeout = new Option<long>("--receive-timeout") { Description = "Give up when the broker is silent this many ms (default 5000); it is PINGed every second meanwhile.", DefaultValueFactory = _ => 5000, Recursive = true };
        var noProgress = new Option<bool>("--no-progress") { Description = "Never show the progress display (it shows only when stderr is a terminal).", Recursive = true };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Trace the client state machine on stderr.", Recursive = true };

        var writeName = new Argument<string>("NAME") { Description = "Pipe to write stdin into." };
        var write = new Command("write", "Write stdin into the pipe, then close it.") { writeName };
        var readName = new Argument<string>("NAME") { Description = "Pipe to read to stdout." };
        var read = new Command("read", "Read the pipe to stdout until the writer closes it.") { readName };
        var root = new RootCommand("zpipes: write to or read from a ZPIPES pipe through a zbroker.")
        {
            endpoint, broker, timeout, chunkSize, window, receiveTimeout, noProgress, verbose, write, read,
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"zpipes: {error.Message}");
            Console.Error.WriteLine("zpipes: see 'zpipes --help'");
            return ExitCodes.Usage;
        }
        var command = parse.CommandResult.Command;
        if (command != write && command != read)
        {
            if (Array.Exists(args, a => a is "--help" or "-h" or "-?" or "--version"))
                return parse.Invoke();
            Console.Error.WriteLine("zpipes: say 'write NAME' or 'read NAME' (see 'zpipes --help')");
            return ExitCodes.Usage;
        }
        if (Array.Exists(args, a => a is "--help" or "-h" or "-?"))
            return parse.Invoke();

        var given = parse.GetValue(endpoint);
        var name = parse.GetValue(broker);
        if (given is not null && name is not null)
            return Usage("give --endpoint or --broker, not both");
        var ms = parse.GetValue(timeout);
        if (ms < 0 || ms > uint.MaxValue)
            return Usage("--timeout must be between 0 and 4294967295 ms");
        var chunk = parse.GetValue(chunkSize);
        if (chunk < 1)
            return Usage("--chunk-size must be at least 1");
        var inFlight = parse.GetValue(window);
        if (inFlight < 1 || inFlight > 10_000)
            return Usage("--window must be between 1 and 10000");
        var silence = parse.GetValue(receiveTimeout);
        if (silence < 10 || silence > int.MaxValue)
            return Usage("--receive-timeout must be at least 10 ms");
        var request = new TransferRequest
        {
            Endpoint = given ?? Zpipe.BrokerEndpoint(name ?? "local"),
            PipeName = command == write ? parse.GetValue(writeName)! : parse.GetValue(readName)!,
            Mode = command == write ? ZpipeMode.Write : ZpipeMode.Read,
            Timeout = ms == 0 ? null : TimeSpan.FromMilliseconds(ms),
            ChunkSize = chunk,
            Window = inFlight,
            ReceiveTimeout = TimeSpan.FromMilliseconds(silence),
            ShowProgress = !parse.GetValue(noProgress) && !Console.IsErrorRedirected,
            Verbose = parse.GetValue(verbose),
        };

        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        return await TransferCommand.RunAsync(request, interrupt.Token).ConfigureAwait(false);

        void Interrupt(PosixSignalContext context)
        {
            // Close the pipe politely and exit 130 rather than die with a request left at the broker.
            context.Cancel = true;
            interrupt.Cancel();
        }
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"zpipes: {message} (see 'zpipes --help')");
        return ExitCodes.Usage;
    }
}
