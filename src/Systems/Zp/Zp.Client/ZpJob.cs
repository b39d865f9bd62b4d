using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Zp.Client;

/// <summary>One output chunk of a job: fd 1 (stdout) or 2 (stderr) and the bytes, unmodified.</summary>
public readonly record struct ZpOutput(int Fd, ReadOnlyMemory<byte> Data);

/// <summary>
/// A job this connection receives output from (a synchronous exec or a follow). Read the output
/// with <see cref="ReadOutputAsync"/>, which grants the server more credit as chunks are consumed,
/// so the server never sends more than the consumer has room for; <see cref="ExitCode"/> completes
/// after the last chunk.
/// </summary>
public sealed class ZpJob
{
    private readonly ZpConnection _connection;
    private readonly Channel<ZpOutput> _output = Channel.CreateUnbounded<ZpOutput>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _stdinCredit = new(0);
    private readonly ulong _window;
    private long _stdinAvailable;

    internal ZpJob(ZpConnection connection, uint handle, ulong window)
    {
        _connection = connection;
        Handle = handle;
        _window = window;
    }

    /// <summary>The server's job handle.</summary>
    public uint Handle { get; }

    /// <summary>The job's exit status (0–255; 128+N for signal N), once all output has been read.</summary>
    public Task<int> ExitCode => _exit.Task;

    /// <summary>Output in arrival order (per fd, the job's order); grants credit as it is consumed.</summary>
    public async IAsyncEnumerable<ZpOutput> ReadOutputAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ulong consumed = 0;
        while (await _output.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_output.Reader.TryRead(out var item))
            {
                yield return item;
                consumed += (ulong)item.Data.Length;
                // Refill in halves of the window: few credit messages, and the server never idles.
                if (consumed >= _window / 2)
                {
                    await _connection.GrantAsync(Handle, consumed).ConfigureAwait(false);
                    consumed = 0;
                }
            }
        }
    }

    /// <summary>Sends stdin bytes, waiting for the server's credit; chunks are at most <see cref="ExecKeys.MaxChunk"/> bytes.</summary>
    public async Task WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (data.Length > 0)
        {
            while (Interlocked.Read(ref _stdinAvailable) <= 0)
            {
                // A job that ended reads no more input (like a closed pipe): drop the rest.
                if (_exit.Task.IsCompleted)
                    return;
                await _stdinCredit.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            var size = (int)Math.Min(Math.Min(data.Length, ExecKeys.MaxChunk), Interlocked.Read(ref _stdinAvailable));
            Interlocked.Add(ref _stdinAvailable, -size);
            await _connection.Client.InputAsync(Handle, data[..size], cancellationToken: cancellationToken).ConfigureAwait(false);
            data = data[size..];
        }
    }

    /// <summary>Closes the job's stdin (a zero-length fd-0 chunk).</summary>
    public Task CompleteInputAsync(CancellationToken cancellationToken = default) =>
        _connection.Client.InputAsync(Handle, ReadOnlyMemory<byte>.Empty, cancellationToken: cancellationToken);

    internal void AddStdinCredit(ulong credit)
    {
        Interlocked.Add(ref _stdinAvailable, (long)Math.Min(credit, long.MaxValue / 2));
        _stdinCredit.Release();
    }

    internal void Deliver(uint fd, ReadOnlyMemory<byte> data) => _output.Writer.TryWrite(new ZpOutput((int)fd, data));

    internal void Finish(int code)
    {
        _output.Writer.TryComplete();
        _exit.TrySetResult(code);
        _stdinCredit.Release();
    }

    internal void Fail(Exception error)
    {
        _output.Writer.TryComplete(error);
        _exit.TrySetException(error);
        _stdinCredit.Release();
    }
}

/// <summary>A job's details as <c>zp job status</c> prints them.</summary>
/// <param name="Handle">The job handle.</param>
/// <param name="Returncode">RUNNING (1024), QUEUED (1025) or the exit status.</param>
/// <param name="Info">status, command_line, stdout, stderr (and returncode once finished).</param>
public sealed record ZpJobInfo(uint Handle, int Returncode, IReadOnlyDictionary<string, string> Info);
