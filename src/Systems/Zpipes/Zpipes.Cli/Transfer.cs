using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Zpipes.Cli;

/// <summary>The two transfers, independent of the console: stdin → pipe and pipe → stdout.</summary>
public static class Transfer
{
    /// <summary>
    /// Reads <paramref name="input"/> to its end and writes it into the pipe in chunks of
    /// <paramref name="chunkSize"/> bytes (the last may be shorter), then closes the pipe so the
    /// reader sees the end. Chunks are filled completely before they are sent, whatever sizes the
    /// input hands out. Without a timeout the WRITEs go through the pipe's window (several in flight,
    /// all answered before the close); with one, each waits for its answer.
    /// </summary>
    public static async Task<long> WriteAsync(Stream input, Zpipe pipe, int chunkSize, TimeSpan? timeout, Action<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[chunkSize];
        long total = 0;
        while (true)
        {
            var filled = await FillAsync(input, buffer, cancellationToken).ConfigureAwait(false);
            if (filled == 0)
                break;
            if (timeout is null)
                await pipe.QueueWriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
            else
                await pipe.WriteAsync(buffer.AsMemory(0, filled), timeout, cancellationToken).ConfigureAwait(false);
            total += filled;
            progress?.Invoke(total);
            if (filled < buffer.Length)
                break;
        }
        await pipe.CloseAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    /// <summary>
    /// Reads the pipe in chunks of <paramref name="chunkSize"/> until it ends, copying to
    /// <paramref name="output"/>. Without a timeout READs are sent ahead through the pipe's window.
    /// </summary>
    public static async Task<long> ReadAsync(Zpipe pipe, Stream output, int chunkSize, TimeSpan? timeout, Action<long>? progress, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var data = timeout is null
                ? await pipe.ReadAheadAsync(chunkSize, cancellationToken).ConfigureAwait(false)
                : await pipe.ReadAsync(chunkSize, timeout, cancellationToken).ConfigureAwait(false);
            if (data.IsEmpty)
                break;
            try
            {
                await output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new LocalIoException("cannot write to stdout: " + e.Message, e);
            }
            total += data.Length;
            progress?.Invoke(total);
        }
        try
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new LocalIoException("cannot write to stdout: " + e.Message, e);
        }
        await pipe.CloseAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    private static async Task<int> FillAsync(Stream input, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            int n;
            try
            {
                n = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new LocalIoException("cannot read stdin: " + e.Message, e);
            }
            if (n == 0)
                break;
            filled += n;
        }
        return filled;
    }
}

/// <summary>Local input or output failed (not the broker).</summary>
public sealed class LocalIoException(string message, Exception inner) : Exception(message, inner);
