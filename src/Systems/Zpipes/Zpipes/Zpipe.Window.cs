using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Zproto.Runtime.Clients;

namespace Zpipes;

// The window: WRITEs or READs sent without waiting for the answers of those before them. The broker
// serves one client's requests in the order they arrive and answers them in that order, and the
// engine matches answers to calls oldest first, so the answers come back to the right calls.
//
// Why the window is safe, and its limits:
// * Only requests without a timeout go in it. A WRITE that times out discards its chunk; a WRITE
//   sent behind it could still be taken, leaving a gap in the stream. Without a timeout the broker
//   holds a WRITE until it fits or the pipe ends (WRITE-FAILED, and every later WRITE fails too).
// * Its bytes stay under zbroker's per-client mailbox limit (WindowBytes, 4 MiB by default, against
//   16 MiB), so the broker never refuses a WRITE of the window for this client's own backlog.
// * Nothing is ever sent again: a request whose answer is lost (broker restart, LOST) fails, the
//   pipe is unusable from then on, and every later call throws the same failure (at most once).
public sealed partial class Zpipe
{
    // Requests in flight, oldest first: WRITEs of a writer or READs of a reader, never both.
    private readonly Queue<Request> _window = new();
    private long _windowBytes;

    /// <summary>Requests in flight (sent, not yet answered) through <see cref="QueueWriteAsync"/> or <see cref="ReadAheadAsync"/>.</summary>
    public int RequestsInFlight => _window.Count;

    /// <summary>
    /// Writes <paramref name="chunk"/> without waiting for its WRITE-OK: returns once the WRITE is on
    /// its way and at most <see cref="ZpipesClientOptions.Window"/> WRITEs (and
    /// <see cref="ZpipesClientOptions.WindowBytes"/> bytes) are unanswered, waiting for the oldest
    /// answers when the window is full. The chunk is copied, so the caller may reuse its buffer at once.
    /// A failure of a WRITE in the window surfaces here, in <see cref="FlushAsync"/> or in
    /// <see cref="CloseAsync"/>; the pipe is unusable after it. The WRITEs carry no timeout: each waits
    /// as long as the pipe is open (use <see cref="WriteAsync"/> for a write with a timeout).
    /// </summary>
    /// <exception cref="ZpipesFailedException">WRITE-FAILED: the reader has closed or gone.</exception>
    /// <exception cref="ZpipesInvalidException">INVALID: this end is a reader, or the broker no longer knows this client (it restarted or expired it).</exception>
    /// <exception cref="ZpipesTimeoutException">WRITE-TIMEOUT: the broker refused the WRITE because its memory bounds were reached.</exception>
    /// <exception cref="ZpipesBrokerUnreachableException">The broker stopped answering.</exception>
    public async Task QueueWriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (_window.Count > 0 && (_window.Count >= Options.Window || _windowBytes + chunk.Length > Options.WindowBytes))
                CheckWrite(await TakeOldestAsync(cancellationToken).ConfigureAwait(false));
            // The engine encodes the WRITE on its own thread, after this returns: it gets its own copy.
            var lease = ArrayPool<byte>.Shared.Rent(chunk.Length);
            chunk.CopyTo(lease);
            var reply = SendWriteAsync(lease.AsMemory(0, chunk.Length));
            _window.Enqueue(new Request(reply, chunk.Length, lease));
            _windowBytes += chunk.Length;
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            throw Fault(MapEngineFailure("write", e));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits until every WRITE queued by <see cref="QueueWriteAsync"/> is answered; throws the first failure.</summary>
    /// <exception cref="ZpipesException">A WRITE in the window failed (see <see cref="QueueWriteAsync"/>).</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DrainWritesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            throw Fault(MapEngineFailure("write", e));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Returns the next chunk of the pipe, keeping up to <see cref="ZpipesClientOptions.Window"/> READs
    /// of <paramref name="size"/> bytes in flight (and at most <see cref="ZpipesClientOptions.WindowBytes"/>
    /// asked for). A chunk is as long as the READ that fetched it asked (the size of this call or of an
    /// earlier one), shorter only at the end of the pipe; empty at the end. The READs carry no timeout
    /// (use <see cref="ReadAsync(int, TimeSpan?, CancellationToken)"/> for a read with one), and while
    /// READs are in flight <see cref="ReadAsync(int, TimeSpan?, CancellationToken)"/> may not run: its
    /// READ would overtake the data they were sent for.
    /// </summary>
    /// <exception cref="ZpipesFailedException">READ-FAILED: the pipe was closed while a read waited.</exception>
    /// <exception cref="ZpipesInvalidException">INVALID: this end is a writer, or the broker no longer knows this client.</exception>
    /// <exception cref="ZpipesTimeoutException">READ-TIMEOUT: the broker refused the READ because its memory bounds were reached.</exception>
    /// <exception cref="ZpipesBrokerUnreachableException">The broker stopped answering.</exception>
    public async Task<ReadOnlyMemory<byte>> ReadAheadAsync(int size, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Once the end came back, the broker answers every READ still in flight with READ-END too.
            while (!EndOfPipe && _window.Count < Options.Window && (_window.Count == 0 || _windowBytes + size <= Options.WindowBytes))
            {
                _window.Enqueue(new Request(SendReadAsync(size), size, null));
                _windowBytes += size;
            }
            while (_window.Count > 0)
            {
                var reply = await TakeOldestAsync(cancellationToken).ConfigureAwait(false);
                switch (reply)
                {
                    case ZpipesClient.Data d when !EndOfPipe:
                        return d.Chunk;
                    case ZpipesClient.Data or ZpipesClient.End:
                        EndOfPipe = true;
                        continue;
                    case ZpipesClient.TimedOut:
                        throw Fault(new ZpipesTimeoutException($"the broker refused a READ on '{Name}' (READ-TIMEOUT): its memory bounds were reached"));
                    default:
                        throw Fault(Unexpected("READ", reply));
                }
            }
            return ReadOnlyMemory<byte>.Empty;
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            throw Fault(MapEngineFailure("read", e));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFaulted();
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    private void ThrowIfFaulted()
    {
        switch (_fault)
        {
            case null:
                return;
            case ZpipesBrokerUnreachableException:
                throw new ZpipesBrokerUnreachableException($"the pipe '{Name}' is unusable: {_fault.Message}", _fault);
            case ZpipesException:
                throw new InvalidOperationException($"the pipe '{Name}' is unusable: an earlier request failed ({_fault.Message})", _fault);
            default:
                throw new InvalidOperationException($"the pipe '{Name}' is unusable: an earlier request was cancelled while the broker held it", _fault);
        }
    }

    /// <summary>The oldest request's answer; a LOST answer faults the pipe. Cancelling the wait faults it too: the answer can no longer be told apart.</summary>
    private async Task<ZpipesClient.Reply> TakeOldestAsync(CancellationToken cancellationToken)
    {
        var oldest = _window.Peek();
        ZpipesClient.Reply reply;
        try
        {
            reply = await oldest.Reply.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            Fault(e);
            throw;
        }
        _window.Dequeue();
        _windowBytes -= oldest.Bytes;
        // Answered, so the engine has encoded the WRITE long ago: the copy can be reused.
        if (oldest.Lease is { } lease)
            ArrayPool<byte>.Shared.Return(lease);
        if (reply is ZpipesClient.Lost lost)
            throw Fault(new ZpipesBrokerUnreachableException(lost.Reason));
        return reply;
    }

    private void CheckWrite(ZpipesClient.Reply reply)
    {
        switch (reply)
        {
            case ZpipesClient.Success:
                return;
            case ZpipesClient.TimedOut:
                throw Fault(new ZpipesTimeoutException($"the broker refused a WRITE on '{Name}' (WRITE-TIMEOUT): its memory bounds were reached; {_window.Count} later chunks were already sent"));
            default:
                throw Fault(Unexpected("WRITE", reply));
        }
    }

    /// <summary>Waits for every WRITE in flight, in order (the caller holds the gate).</summary>
    private async Task DrainWritesAsync(CancellationToken cancellationToken)
    {
        while (_window.Count > 0)
            CheckWrite(await TakeOldestAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Forgets the requests in flight (the pipe is closing or failed): their answers, if any come, are observed and dropped.</summary>
    private void AbandonWindow()
    {
        while (_window.TryDequeue(out var request))
            _ = request.Reply.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _windowBytes = 0;
    }

    // Both post their request before the first await, so requests leave in the order of the calls.
    private async Task<ZpipesClient.Reply> SendWriteAsync(ReadOnlyMemory<byte> chunk) =>
        (await _client.WriteDataAsync(chunk, 0, Timeout.InfiniteTimeSpan, CancellationToken.None).ConfigureAwait(false)).Value;

    private async Task<ZpipesClient.Reply> SendReadAsync(int size) =>
        (await _client.ReadDataAsync((uint)size, 0, Timeout.InfiniteTimeSpan, CancellationToken.None).ConfigureAwait(false)).Value;

    private static bool IsEngineFailure(Exception e) => e is TimeoutException or ZprotoClientTerminatedException or ZprotoMethodNotValidException or ObjectDisposedException;

    private Exception MapEngineFailure(string what, Exception e) => e switch
    {
        ZprotoMethodNotValidException or ObjectDisposedException => new ObjectDisposedException($"the pipe '{Name}' is closed", e),
        _ => new ZpipesBrokerUnreachableException($"the broker at {Endpoint} did not answer the {what}", e),
    };

    private readonly record struct Request(Task<ZpipesClient.Reply> Reply, int Bytes, byte[]? Lease);
}
