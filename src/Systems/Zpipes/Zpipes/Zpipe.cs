using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Clients;

namespace Zpipes;

/// <summary>Which end of a pipe a <see cref="Zpipe"/> holds.</summary>
public enum ZpipeMode
{
    /// <summary>Opened with INPUT: reads.</summary>
    Read,

    /// <summary>Opened with OUTPUT: writes.</summary>
    Write,
}

/// <summary>
/// One end of a ZPIPES pipe on a broker: open it for reading or writing, then read byte counts or
/// write chunks. Every answer of the broker is a return value or a typed exception; the client
/// PINGs when idle while open and gives up (<see cref="ZpipesBrokerUnreachableException"/>) when the
/// broker falls silent, so no call hangs on a dead broker.
/// </summary>
/// <remarks>
/// <see cref="ReadAsync(int, TimeSpan?, CancellationToken)"/> and <see cref="WriteAsync"/> make one
/// request and wait for its answer; <see cref="ReadAheadAsync"/> and <see cref="QueueWriteAsync"/>
/// keep a window of requests in flight (<see cref="ZpipesClientOptions.Window"/>) for throughput.
/// Calls run one at a time. <see cref="CloseAsync"/> may run alongside a waiting
/// read or write: the broker answers that request with READ-FAILED or WRITE-FAILED
/// (<see cref="ZpipesFailedException"/>) and then closes. A call that is cancelled, or that the
/// broker never answers, leaves the pipe unusable (the broker may still answer later, out of
/// turn); every later call throws the same failure.
/// </remarks>
public sealed partial class Zpipe : IAsyncDisposable, IDisposable
{
    private readonly ZpipesClient _client;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Exception? _fault;
    private int _closed;

    private Zpipe(ZpipesClient client, string endpoint, string name, ZpipeMode mode, ZpipesClientOptions options)
    {
        _client = client;
        Endpoint = endpoint;
        Name = name;
        Mode = mode;
        Options = options;
    }

    /// <summary>The broker's endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>The pipe's name.</summary>
    public string Name { get; }

    /// <summary>Reader or writer.</summary>
    public ZpipeMode Mode { get; }

    /// <summary>The settings the pipe was opened with.</summary>
    public ZpipesClientOptions Options { get; }

    /// <summary>True once a read of one byte or more returned the end of the pipe.</summary>
    public bool EndOfPipe { get; private set; }

    /// <summary>The endpoint of a named broker on this host: <c>ipc://@/zpipes/NAME</c> (abstract IPC), as zbroker binds it.</summary>
    public static string BrokerEndpoint(string brokerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerName);
        return $"ipc://@/zpipes/{brokerName}";
    }

    /// <summary>Opens <paramref name="name"/> on the broker at <paramref name="endpoint"/> for reading.</summary>
    /// <exception cref="ZpipesFailedException">The pipe already has a reader.</exception>
    /// <exception cref="ZpipesBrokerUnreachableException">The broker did not answer.</exception>
    public static Task<Zpipe> OpenReaderAsync(string endpoint, string name, ZpipesClientOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(endpoint, name, ZpipeMode.Read, options, cancellationToken);

    /// <summary>Opens <paramref name="name"/> on the broker at <paramref name="endpoint"/> for writing.</summary>
    /// <exception cref="ZpipesFailedException">The pipe already has a writer.</exception>
    /// <exception cref="ZpipesBrokerUnreachableException">The broker did not answer.</exception>
    public static Task<Zpipe> OpenWriterAsync(string endpoint, string name, ZpipesClientOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(endpoint, name, ZpipeMode.Write, options, cancellationToken);

    /// <summary>
    /// Opens a pipe from a descriptor as the Python wrapper wrote them: <c>"broker|&gt;pipe"</c> for
    /// writing, <c>"broker|pipe"</c> for reading. The broker part is a broker name
    /// (<see cref="BrokerEndpoint"/>) or an endpoint with <c>://</c>.
    /// </summary>
    /// <exception cref="FormatException">The descriptor has no '|', or an empty broker or pipe name.</exception>
    public static Task<Zpipe> OpenAsync(string descriptor, ZpipesClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (endpoint, name, mode) = ParseDescriptor(descriptor);
        return OpenAsync(endpoint, name, mode, options, cancellationToken);
    }

    /// <summary>Splits a <c>"broker|&gt;pipe"</c> descriptor into endpoint, pipe name and mode.</summary>
    /// <exception cref="FormatException">The descriptor is malformed.</exception>
    public static (string Endpoint, string Name, ZpipeMode Mode) ParseDescriptor(string descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var bar = descriptor.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
            throw new FormatException($"'{descriptor}' is not a pipe descriptor: expected 'broker|pipe' or 'broker|>pipe'");
        var broker = descriptor[..bar];
        var pipe = descriptor[(bar + 1)..];
        var mode = ZpipeMode.Read;
        if (pipe.StartsWith('>'))
        {
            mode = ZpipeMode.Write;
            pipe = pipe[1..];
        }
        if (broker.Length == 0 || pipe.Length == 0)
            throw new FormatException($"'{descriptor}' needs a broker and a pipe name");
        var endpoint = broker.Contains("://", StringComparison.Ordinal) ? broker : BrokerEndpoint(broker);
        return (endpoint, pipe, mode);
    }

    private static async Task<Zpipe> OpenAsync(string endpoint, string name, ZpipeMode mode, ZpipesClientOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > 255)
            throw new ArgumentException("a pipe name is at most 255 UTF-8 bytes (a ZPIPES string)", nameof(name));
        options ??= new ZpipesClientOptions();
        if (options.HeartbeatInterval <= TimeSpan.Zero || options.ReceiveTimeout <= options.HeartbeatInterval)
            throw new ArgumentException("HeartbeatInterval must be positive and shorter than ReceiveTimeout", nameof(options));
        // The window never exceeds what the engine may hold back for sending, so no call of it is refused.
        if (options.Window < 1 || options.Window > options.SendQueueLimit || options.WindowBytes < 1)
            throw new ArgumentException("Window must be between 1 and SendQueueLimit, WindowBytes positive", nameof(options));
        var client = new ZpipesClient(
            options,
            options.LoggerFactory?.CreateLogger<ZpipesClient>())
        {
            HeartbeatInterval = options.HeartbeatInterval,
            ReceiveTimeout = options.ReceiveTimeout,
        };
        try
        {
            client.Start();
            // The client's own receive timeout answers first (LOST); the call timeout is a backstop.
            var limit = options.ReceiveTimeout * 2;
            var reply = mode == ZpipeMode.Read
                ? (await client.OpenReaderAsync(endpoint, name, limit, cancellationToken).ConfigureAwait(false)).Value
                : (await client.OpenWriterAsync(endpoint, name, limit, cancellationToken).ConfigureAwait(false)).Value;
            var what = mode == ZpipeMode.Read ? "INPUT" : "OUTPUT";
            switch (reply)
            {
                case ZpipesClient.Success:
                    return new Zpipe(client, endpoint, name, mode, options);
                case ZpipesClient.Failed f:
                    throw new ZpipesFailedException($"the broker refused to open '{name}' for {(mode == ZpipeMode.Read ? "reading" : "writing")} ({what}-FAILED)", f.Reason);
                case ZpipesClient.Lost l:
                    throw new ZpipesBrokerUnreachableException(l.Reason);
                default:
                    throw new ZpipesInvalidException($"the broker answered {what} with INVALID");
            }
        }
        catch (Exception e)
        {
            if (e is OperationCanceledException && !client.Terminated)
            {
                // The broker may have attached us before the cancel: CLOSE releases the name, as the
                // C client sent CLOSE after any failed open. Its answer does not matter.
                try
                {
                    await client.ClosePipeAsync(options.ReceiveTimeout, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception closing) when (closing is TimeoutException or ZprotoClientTerminatedException or ZprotoMethodNotValidException)
                {
                    // Nothing more to release.
                }
            }
            await client.DisposeAsync().ConfigureAwait(false);
            if (e is TimeoutException or ZprotoClientTerminatedException)
                throw new ZpipesBrokerUnreachableException($"the broker at {endpoint} did not answer", e);
            throw;
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="size"/> bytes: the broker answers once that many are queued.
    /// Returns fewer only at the end of the pipe (the writer closed), and an empty result at the
    /// end (or for size 0, which always answers READ-END).
    /// </summary>
    /// <param name="size">Bytes wanted.</param>
    /// <param name="timeout">How long the broker waits for the data; null or <see cref="Timeout.InfiniteTimeSpan"/> waits as long as the pipe is open.</param>
    /// <param name="cancellationToken">Abandons the call (and leaves the pipe unusable).</param>
    /// <exception cref="ZpipesTimeoutException">READ-TIMEOUT.</exception>
    /// <exception cref="ZpipesFailedException">READ-FAILED: the pipe was closed while the read waited.</exception>
    /// <exception cref="ZpipesInvalidException">INVALID: this end is a writer, or the broker expired the session.</exception>
    /// <exception cref="ZpipesBrokerUnreachableException">The broker stopped answering.</exception>
    public async Task<ReadOnlyMemory<byte>> ReadAsync(int size, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var wire = ToWire(timeout);
        var reply = await RequestAsync("read", async (client, limit, ct) => (await client.ReadDataAsync((uint)size, wire, limit, ct).ConfigureAwait(false)).Value, wire, cancellationToken).ConfigureAwait(false);
        switch (reply)
        {
            case ZpipesClient.Data d:
                return d.Chunk;
            case ZpipesClient.End:
                // READ-END for a zero-byte read is the protocol's quirk, not the end of the pipe.
                if (size > 0)
                    EndOfPipe = true;
                return ReadOnlyMemory<byte>.Empty;
            case ZpipesClient.TimedOut:
                throw new ZpipesTimeoutException($"no {size} bytes arrived on '{Name}' within {wire} ms (READ-TIMEOUT)");
            default:
                throw Unexpected("READ", reply);
        }
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes into it (fewer only at the end); returns the count, 0 at the end.</summary>
    public async Task<int> ReadAsync(Memory<byte> buffer, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var data = await ReadAsync(buffer.Length, timeout, cancellationToken).ConfigureAwait(false);
        data.CopyTo(buffer);
        return data.Length;
    }

    /// <summary>Writes <paramref name="data"/> as one chunk. The broker answers as soon as a reader has it queued (or at once when the reader is there).</summary>
    /// <param name="data">The chunk.</param>
    /// <param name="timeout">How long the broker waits for a reader to attach; null or <see cref="Timeout.InfiniteTimeSpan"/> waits indefinitely.</param>
    /// <param name="cancellationToken">Abandons the call (and leaves the pipe unusable).</param>
    /// <exception cref="ZpipesTimeoutException">WRITE-TIMEOUT: no reader in time; the chunk was discarded.</exception>
    /// <exception cref="ZpipesFailedException">WRITE-FAILED: the reader has closed or gone.</exception>
    /// <exception cref="ZpipesInvalidException">INVALID: this end is a reader, or the broker expired the session.</exception>
    /// <exception cref="ZpipesBrokerUnreachableException">The broker stopped answering.</exception>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var wire = ToWire(timeout);
        var reply = await RequestAsync("write", async (client, limit, ct) => (await client.WriteDataAsync(data, wire, limit, ct).ConfigureAwait(false)).Value, wire, cancellationToken).ConfigureAwait(false);
        switch (reply)
        {
            case ZpipesClient.Success:
                return;
            case ZpipesClient.TimedOut:
                throw new ZpipesTimeoutException($"no reader took the write on '{Name}' within {wire} ms (WRITE-TIMEOUT)");
            default:
                throw Unexpected("WRITE", reply);
        }
    }

    /// <summary>Sends PING and waits for PING-OK.</summary>
    /// <exception cref="ZpipesBrokerUnreachableException">The broker did not answer.</exception>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync("ping", async (client, limit, ct) => (await client.PingBrokerAsync(limit, ct).ConfigureAwait(false)).Value, 0, cancellationToken).ConfigureAwait(false);
        if (reply is not ZpipesClient.Pong)
            throw Unexpected("PING", reply);
    }

    /// <summary>
    /// Closes the pipe (CLOSE, then CLOSE-OK). WRITEs still in the window (<see cref="QueueWriteAsync"/>)
    /// are waited for first, so the reader gets every byte, and a failure among them is thrown once
    /// the pipe is closed. A close that runs while another call waits does not wait: that call, or a
    /// read or write the broker still holds, is answered with <see cref="ZpipesFailedException"/>.
    /// Idempotent; a pipe that already failed is just released.
    /// </summary>
    /// <exception cref="ZpipesBrokerUnreachableException">The broker did not answer the CLOSE.</exception>
    /// <exception cref="ZpipesException">A WRITE of the window failed.</exception>
    public Task CloseAsync(CancellationToken cancellationToken = default) => CloseCoreAsync(flush: true, cancellationToken);

    private async Task CloseCoreAsync(bool flush, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        Exception? flushFailure = null;
        try
        {
            // A call in progress holds the window; it meets the close's answers itself.
            if (_gate.Wait(0))
            {
                try
                {
                    if (flush && Mode == ZpipeMode.Write && _fault is null)
                        await DrainWritesAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ZpipesException || IsEngineFailure(e))
                {
                    flushFailure = e is ZpipesException ? e : MapEngineFailure("write", e);
                }
                finally
                {
                    AbandonWindow();
                    _gate.Release();
                }
            }
            // After a cancelled call the broker is alive and still holds the request: CLOSE answers
            // it and frees the name. Only a broker that stopped answering is not asked.
            if (_fault is not ZpipesBrokerUnreachableException && !_client.Terminated)
            {
                var reply = (await _client.ClosePipeAsync(Options.ReceiveTimeout * 2, cancellationToken).ConfigureAwait(false)).Value;
                if (reply is ZpipesClient.Lost l)
                    throw new ZpipesBrokerUnreachableException(l.Reason);
            }
        }
        catch (Exception e) when (e is TimeoutException or ZprotoClientTerminatedException or ZprotoMethodNotValidException)
        {
            throw new ZpipesBrokerUnreachableException($"the broker at {Endpoint} did not answer CLOSE", e);
        }
        finally
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
        if (flushFailure is not null)
            throw flushFailure;
    }

    /// <summary>A <see cref="System.IO.Stream"/> over this pipe: readable for a reader, writable for a writer; disposing it closes the pipe unless <paramref name="leaveOpen"/>.</summary>
    /// <param name="chunkSize">Largest READ or WRITE the stream sends (default 64 KiB).</param>
    /// <param name="leaveOpen">Keep the pipe open when the stream is disposed.</param>
    public ZpipeStream AsStream(int chunkSize = ZpipeStream.DefaultChunkSize, bool leaveOpen = false) => new(this, chunkSize, leaveOpen);

    /// <summary>
    /// Closes the pipe at once, ignoring a broker that does not answer. Unlike <see cref="CloseAsync"/>
    /// it does not wait for WRITEs in the window: the broker answers those it has not taken with
    /// WRITE-FAILED or INVALID and drops their chunks, so flush or close first to keep them.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseCoreAsync(flush: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ZpipesException)
        {
            // Disposal never throws for a broker that has gone; the socket is closed regardless.
        }
        _gate.Dispose();
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The protocol's timeout: ms, 0 for none; a positive timeout is at least 1 ms so it never means "forever".</summary>
    private static uint ToWire(TimeSpan? timeout)
    {
        if (timeout is not { } t || t == Timeout.InfiniteTimeSpan)
            return 0;
        ArgumentOutOfRangeException.ThrowIfLessThan(t, TimeSpan.Zero, nameof(timeout));
        return (uint)Math.Clamp(Math.Ceiling(t.TotalMilliseconds), 1, uint.MaxValue);
    }

    private async Task<ZpipesClient.Reply> RequestAsync(string what, Func<ZpipesClient, TimeSpan, CancellationToken, Task<ZpipesClient.Reply>> call, uint wireTimeout, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (what == "read" && _window.Count > 0)
                throw new InvalidOperationException($"{_window.Count} READs of ReadAheadAsync are in flight on '{Name}': a READ now would overtake the data they were sent for; keep reading with ReadAheadAsync");
            // Queued WRITEs go first and must all be taken before this request counts.
            if (what == "write")
                await DrainWritesAsync(cancellationToken).ConfigureAwait(false);
            // Without a request timeout only the heartbeat bounds the wait (the broker answers PINGs
            // while the request waits); with one, the broker must answer by then plus the receive timeout.
            var limit = wireTimeout == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(wireTimeout) + Options.ReceiveTimeout;
            var reply = await call(_client, limit, cancellationToken).ConfigureAwait(false);
            if (reply is ZpipesClient.Lost lost)
                throw Fault(new ZpipesBrokerUnreachableException(lost.Reason));
            return reply;
        }
        catch (Exception e) when (IsEngineFailure(e))
        {
            var mapped = MapEngineFailure(what, e);
            throw mapped is ZpipesBrokerUnreachableException ? Fault(mapped) : mapped;
        }
        catch (OperationCanceledException e)
        {
            // The broker still holds the request and will answer it later; nothing can match replies after that.
            Fault(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private T Fault<T>(T e) where T : Exception
    {
        _fault ??= e;
        return e;
    }

    private Exception Unexpected(string request, ZpipesClient.Reply reply) => reply switch
    {
        ZpipesClient.Failed f => new ZpipesFailedException($"the broker abandoned the {request} on '{Name}' ({request}-FAILED)", f.Reason),
        ZpipesClient.Invalid => new ZpipesInvalidException($"the broker answered INVALID: {request} is not valid on '{Name}' opened for {(Mode == ZpipeMode.Read ? "reading" : "writing")}, or the broker no longer knows this client"),
        _ => new InvalidOperationException($"unexpected answer {reply.GetType().Name} to {request}"),
    };
}
