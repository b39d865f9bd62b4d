using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Remctl;

/// <summary>
/// Runs a program per command, as remctld does natively: argv is the program, then the arguments
/// after the subcommand; its environment carries the request's variables (REMOTE_USER, ...);
/// stdout becomes stream 1, stderr stream 2, and the exit status the RETURNCODE.
/// </summary>
/// <remarks>
/// A command line carries text, so arguments are decoded as UTF-8 (invalid bytes become U+FFFD) and
/// one containing NUL is refused with ERRORCODE 4. Pass binary data through
/// <see cref="RemctlExecOptions.StdinArgument"/>, which delivers its bytes untouched.
/// </remarks>
public sealed class RemctlExecHandler : IRemctlHandler
{
    private const int ReadBufferSize = 64 * 1024;

    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public RemctlExecHandler(RemctlExecOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Program);
        if (options.Timeout <= TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), "Timeout must be positive or infinite.");
        if (options.StdinArgument is < 1 and not RemctlExecOptions.LastArgument)
            throw new ArgumentOutOfRangeException(nameof(options), "StdinArgument is 1-based, or LastArgument.");
        Options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The settings.</summary>
    public RemctlExecOptions Options { get; }

    /// <inheritdoc />
    public async ValueTask<int> HandleAsync(RemctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var startInfo = CreateStartInfo(context, out var stdin);
        using var process = new Process { StartInfo = startInfo };
        process.Start();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.Aborted);
        deadline.CancelAfter(Options.Timeout);

        var stdout = PumpAsync(process.StandardOutput.BaseStream, context, 1);
        var stderr = PumpAsync(process.StandardError.BaseStream, context, 2);
        var input = FeedAsync(process.StandardInput.BaseStream, stdin);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            // A child that forked and left a grandchild holding the pipes open would keep these
            // reads going; the same deadline bounds them.
            await Task.WhenAll(stdout, stderr, input).WaitAsync(deadline.Token).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Kill(process);
            // The pipes close with the killed tree; wait briefly so the output so far is complete.
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            var why = context.Aborted.IsCancellationRequested ? "the server is stopping" : $"it ran past {Options.Timeout}";
            _logger.LogWarning("Killed {Program} (pid {Pid}): {Why}", Options.Program, process.Id, why);
            throw new RemctlException(RemctlError.Internal, $"{Options.Program} killed: {why}");
        }
        finally
        {
            // Whatever ended the command early (a failed pipe read, say), the program must not
            // outlive it.
            if (!process.HasExited)
                Kill(process);
        }
    }

    private ProcessStartInfo CreateStartInfo(RemctlContext context, out ReadOnlyMemory<byte> stdin)
    {
        var startInfo = new ProcessStartInfo(Options.Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Options.WorkingDirectory is { } directory)
            startInfo.WorkingDirectory = directory;
        foreach (var fixedArgument in Options.FixedArguments)
            startInfo.ArgumentList.Add(fixedArgument);

        var arguments = context.Arguments;
        var stdinIndex = Options.StdinArgument switch
        {
            null => -1,
            RemctlExecOptions.LastArgument => arguments.Count > 1 ? arguments.Count - 1 : -1,
            var n => n.Value,
        };
        stdin = stdinIndex > 0 && stdinIndex < arguments.Count ? arguments[stdinIndex] : ReadOnlyMemory<byte>.Empty;
        for (var i = Options.IncludeSubcommand ? 0 : 1; i < arguments.Count; i++)
        {
            if (i == stdinIndex)
                continue;
            var bytes = arguments[i].Span;
            if (bytes.Contains((byte)0))
                throw new RemctlException(RemctlError.BadCommand, $"argument {i} contains NUL and is not the stdin argument");
            startInfo.ArgumentList.Add(Encoding.UTF8.GetString(bytes));
        }

        if (!Options.InheritEnvironment)
            startInfo.Environment.Clear();
        foreach (var item in context.Environment.Items)
        {
            // A name with '=' or NUL cannot be expressed in a process environment.
            if (item.Name.Length == 0 || item.Name.Contains('=', StringComparison.Ordinal) || item.Name.Contains('\0', StringComparison.Ordinal) || item.Value.Contains('\0', StringComparison.Ordinal))
            {
                _logger.LogWarning("Environment variable {Name} not passed to {Program}: not representable", item.Name, Options.Program);
                continue;
            }
            startInfo.Environment[item.Name] = item.Value;
        }
        return startInfo;
    }

    private static async Task PumpAsync(Stream stream, RemctlContext context, long number)
    {
        var buffer = new byte[ReadBufferSize];
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            context.Append(number, buffer.AsSpan(0, read));
    }

    private static async Task FeedAsync(Stream stream, ReadOnlyMemory<byte> data)
    {
        try
        {
            if (!data.IsEmpty)
                await stream.WriteAsync(data).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The program exited or closed stdin without reading it all: its choice, not a failure.
        }
        finally
        {
            try
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Same as above: a broken pipe while flushing on close.
            }
        }
    }

    private void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited between the deadline and the kill.
            _logger.LogDebug(e, "Kill of {Program} found it already gone", Options.Program);
        }
    }
}
