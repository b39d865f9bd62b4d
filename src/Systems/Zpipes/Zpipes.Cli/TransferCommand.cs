using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Zpipes.Cli;

/// <summary>What the command line asked for.</summary>
public sealed record TransferRequest
{
    /// <summary>Broker endpoint.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Pipe name.</summary>
    public required string PipeName { get; init; }

    /// <summary>Write stdin into the pipe, or read the pipe to stdout.</summary>
    public required ZpipeMode Mode { get; init; }

    /// <summary>Per-request timeout; null waits while the pipe is open.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Bytes per request.</summary>
    public int ChunkSize { get; init; } = 64 * 1024;

    /// <summary>Requests in flight at once without a timeout (<see cref="ZpipesClientOptions.Window"/>).</summary>
    public int Window { get; init; } = ZpipesClientOptions.DefaultWindow;

    /// <summary>How long the broker may be silent before the transfer fails.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Show the progress display on stderr.</summary>
    public bool ShowProgress { get; init; }

    /// <summary>Trace the client state machine.</summary>
    public bool Verbose { get; init; }
}

/// <summary>Runs a transfer on the console's raw stdin/stdout and maps every failure to an exit code and one stderr line.</summary>
public static class TransferCommand
{
    /// <summary>Runs <paramref name="request"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(TransferRequest request, CancellationToken interrupt)
    {
        using var loggerFactory = request.Verbose
            ? LoggerFactory.Create(b => b.AddProvider(new StderrLoggerProvider()).SetMinimumLevel(LogLevel.Information))
            : null;
        var options = new ZpipesClientOptions
        {
            Verbose = request.Verbose,
            LoggerFactory = loggerFactory,
            ReceiveTimeout = request.ReceiveTimeout,
            Window = request.Window,
            // Several heartbeats fit in the silence the broker is allowed.
            HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Min(1000, request.ReceiveTimeout.TotalMilliseconds / 4)),
        };
        Zpipe? pipe = null;
        try
        {
            pipe = request.Mode == ZpipeMode.Write
                ? await Zpipe.OpenWriterAsync(request.Endpoint, request.PipeName, options, interrupt).ConfigureAwait(false)
                : await Zpipe.OpenReaderAsync(request.Endpoint, request.PipeName, options, interrupt).ConfigureAwait(false);
            // Raw byte streams: no encoding, no newline translation, so any binary passes unchanged.
            await using var stdin = Console.OpenStandardInput();
            await using var stdout = Console.OpenStandardOutput();
            var open = pipe;
            Task<long> Run(Action<long>? progress) => request.Mode == ZpipeMode.Write
                ? Transfer.WriteAsync(stdin, open, request.ChunkSize, request.Timeout, progress, interrupt)
                : Transfer.ReadAsync(open, stdout, request.ChunkSize, request.Timeout, progress, interrupt);
            if (request.ShowProgress)
                await ProgressDisplay.RunAsync(request, StdinLength(request), Run).ConfigureAwait(false);
            else
                await Run(null).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            Console.Error.WriteLine($"zpipes: interrupted; pipe '{request.PipeName}' closed");
            return ExitCodes.Interrupted;
        }
        catch (ZpipesTimeoutException e)
        {
            return Fail(e.Message, ExitCodes.TimeoutOrUnreachable);
        }
        catch (ZpipesBrokerUnreachableException e)
        {
            return Fail(e.Message, ExitCodes.TimeoutOrUnreachable);
        }
        catch (ZpipesException e)
        {
            return Fail(e.Message, ExitCodes.BrokerRefused);
        }
        catch (LocalIoException e)
        {
            return Fail(e.Message, ExitCodes.LocalIo);
        }
        catch (Exception e) when (e is Zproto.Runtime.Zmq.ZmqException or ArgumentException)
        {
            // A malformed endpoint or pipe name: the request itself is wrong.
            return Fail(e.Message, ExitCodes.Usage);
        }
        finally
        {
            if (pipe is not null)
                await pipe.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"zpipes: {message}");
        return code;
    }

    /// <summary>The size of stdin when it is a regular file (so the display can show a percentage), else null.</summary>
    private static long? StdinLength(TransferRequest request)
    {
        if (request.Mode != ZpipeMode.Write || !OperatingSystem.IsLinux())
            return null;
        try
        {
            var target = File.ResolveLinkTarget("/proc/self/fd/0", returnFinalTarget: true);
            return target is FileInfo { Exists: true } file ? file.Length : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
