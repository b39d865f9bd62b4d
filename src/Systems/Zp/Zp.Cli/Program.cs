using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Zp.Client;
using Zproto.Runtime.Zmq;

namespace Zp.Cli;

/// <summary>
/// <c>zp</c>: runs a command on a zpd host like ssh (stdin streamed, stdout and stderr kept apart
/// and binary-safe, the remote exit status returned), and manages background jobs. Exit 255 when
/// the server cannot be reached, refuses, or its key does not match known_hosts (ssh's convention);
/// 1 when the server answers a request with an error (e.g. no such job).
/// </summary>
public static class Program
{
    private const int TransportFailure = 255;
    private const int RequestFailed = 1;

    private static async Task<int> Main(string[] args)
    {
        CliOptions options;
        try
        {
            options = CliOptions.Parse(args);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"zp: {e.Message}");
            Console.Error.WriteLine(CliOptions.Usage);
            return TransportFailure;
        }
        if (options.Help)
        {
            Console.Out.WriteLine(CliOptions.Usage);
            return 0;
        }
        try
        {
            if (options.Verb == "keygen")
                return Keygen(options.Operands[0]);
            var target = ZpTarget.Parse(options.Operands[0], options.Port);
            await using var connection = await ConnectAsync(target, options).ConfigureAwait(false);
            return options.Verb switch
            {
                "exec" when options.Async => await StartAsync(connection, options).ConfigureAwait(false),
                "exec" => await ExecAsync(connection, options).ConfigureAwait(false),
                "jobs" => await JobsAsync(connection).ConfigureAwait(false),
                "job status" => await StatusAsync(connection, Handle(options)).ConfigureAwait(false),
                "job follow" => await FollowAsync(connection, Handle(options), options.FollowMask).ConfigureAwait(false),
                "job cancel" => await CancelAsync(connection, Handle(options)).ConfigureAwait(false),
                _ => throw new FormatException($"unknown command '{options.Verb}'"),
            };
        }
        catch (ZpRequestException e)
        {
            Console.Error.WriteLine($"zp: {e.Reason} ({e.Code})");
            return RequestFailed;
        }
        catch (Exception e) when (e is ZpTransportException or FormatException or IOException or UnauthorizedAccessException or InvalidDataException or ZmqException or ZmqNotFoundException or TimeoutException)
        {
            Console.Error.WriteLine($"zp: {e.Message}");
            return TransportFailure;
        }
    }

    private static int Keygen(string directory)
    {
        var keys = KeyFiles.Generate(directory);
        Console.Out.WriteLine(keys.PublicKey);
        return 0;
    }

    private static Task<ZpConnection> ConnectAsync(ZpTarget target, CliOptions options) =>
        HostKeys.ConnectAsync(target, new HostKeyPolicy
        {
            KnownHostsFile = options.KnownHostsFile,
            AcceptNew = options.AcceptNew,
            KeyPort = options.KeyPort,
            Confirm = HostKeyPrompt.Interactive ? HostKeyPrompt.Ask : null,
            Notice = notice => Console.Error.WriteLine($"zp: {notice}"),
        }, options.IdentityDirectory, options.ConnectTimeout);

    private static uint Handle(CliOptions options) =>
        uint.TryParse(options.Operands[1], NumberStyles.None, CultureInfo.InvariantCulture, out var handle)
            ? handle : throw new FormatException($"'{options.Operands[1]}' is not a job id");

    private static async Task<int> ExecAsync(ZpConnection connection, CliOptions options)
    {
        var job = await connection.ExecAsync(options.Operands.GetRange(1, options.Operands.Count - 1), stdin: true).ConfigureAwait(false);
        // Stdin is copied in the background; the command's exit ends zp even if stdin never ends (as ssh).
        _ = Task.Run(() => CopyStdinAsync(job));
        return await WriteOutputAsync(job).ConfigureAwait(false);
    }

    private static async Task CopyStdinAsync(ZpJob job)
    {
        try
        {
            await using var stdin = Console.OpenStandardInput();
            var buffer = new byte[ExecKeys.MaxChunk];
            int read;
            while ((read = await stdin.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                // WriteInputAsync returns once the bytes are handed to the client, so the buffer can be reused.
                await job.WriteInputAsync(buffer.AsMemory(0, read).ToArray()).ConfigureAwait(false);
            }
            await job.CompleteInputAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            // The job ended or the connection closed; stdin no longer matters.
        }
    }

    private static async Task<int> WriteOutputAsync(ZpJob job)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using var stderr = Console.OpenStandardError();
        await foreach (var output in job.ReadOutputAsync().ConfigureAwait(false))
        {
            var stream = output.Fd == 2 ? stderr : stdout;
            await stream.WriteAsync(output.Data).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }
        return await job.ExitCode.ConfigureAwait(false);
    }

    private static async Task<int> StartAsync(ZpConnection connection, CliOptions options)
    {
        var handle = await connection.StartAsync(options.Operands.GetRange(1, options.Operands.Count - 1)).ConfigureAwait(false);
        Console.Out.WriteLine(handle.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private static async Task<int> JobsAsync(ZpConnection connection)
    {
        foreach (var handle in await connection.ListJobsAsync().ConfigureAwait(false))
            Console.Out.WriteLine(handle.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private static async Task<int> StatusAsync(ZpConnection connection, uint handle)
    {
        var info = await connection.DescribeAsync(handle).ConfigureAwait(false);
        Console.Out.WriteLine(handle.ToString(CultureInfo.InvariantCulture));
        foreach (var key in new[] { "status", "command_line", "stdout", "stderr", "returncode" })
        {
            if (info.Info.TryGetValue(key, out var value))
                Console.Out.WriteLine($"    {key} = {(key == "command_line" ? Quote(value) : value)}");
        }
        return 0;
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static async Task<int> FollowAsync(ZpConnection connection, uint handle, int mask)
    {
        var job = await connection.FollowAsync(handle, mask).ConfigureAwait(false);
        return await WriteOutputAsync(job).ConfigureAwait(false);
    }

    private static async Task<int> CancelAsync(ZpConnection connection, uint handle)
    {
        var code = await connection.CancelAsync(handle, CancellationToken.None).ConfigureAwait(false);
        Console.Out.WriteLine($"returncode = {code.ToString(CultureInfo.InvariantCulture)}");
        return 0;
    }
}
