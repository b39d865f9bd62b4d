using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Remctl.Protocol;
using Zproto.Runtime.Zmq;

namespace Remctl;

/// <summary>
/// remctld's side of the ZeroMQ leg: sends one request per command on a REQ socket and waits for
/// the one reply. A timed-out attempt closes the socket and opens a new one before retrying (lazy
/// pirate), since a REQ socket whose reply was lost can never send again.
/// </summary>
/// <remarks>
/// <para>Commands may be started from any thread and are sent one at a time: an asynchronous one
/// (<see cref="ExecuteAsync(string, IEnumerable{string}, CancellationToken)"/>) by the client's owner
/// thread, in the order started, a synchronous one (<see cref="Execute(string, IEnumerable{string}, CancellationToken)"/>)
/// on the caller's own thread, as remctld's blocking REQ does. The socket is used under a lock, so
/// one thread at a time touches it (and the lock is the memory barrier libzmq needs to let a socket
/// change threads). Use several clients for parallel commands, as remctld's
/// one-process-per-connection model would.</para>
/// <para>The synchronous form is the fast one: the reply wakes the waiting caller directly, where the
/// asynchronous form adds two thread hand-offs (to the owner thread, and its completion to the thread
/// pool), which on a loaded machine can cost more than the round trip itself.</para>
/// </remarks>
public sealed class RemctlClient : IAsyncDisposable, IDisposable
{
    /// <summary>The longest a wait on the socket lasts before cancellation and disposal are checked again.</summary>
    private static readonly TimeSpan s_pollSlice = TimeSpan.FromMilliseconds(50);

    private readonly BlockingCollection<Work> _queue = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ZmqContext _context;
    private readonly bool _ownsContext;
    private readonly Thread _thread;
    private readonly Lock _socketLock = new();
    private Connection? _connection;
    private int _disposed;

    /// <summary>Creates a client for <paramref name="endpoint"/>; nothing connects until the first command.</summary>
    /// <exception cref="ZmqNotFoundException">libzmq is missing.</exception>
    public RemctlClient(string endpoint, RemctlClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        Options = options ?? new RemctlClientOptions();
        if (Options.Retries < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "Retries cannot be negative.");
        if (Options.Timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "Timeout must be positive.");
        Endpoint = endpoint;
        _ownsContext = Options.Context is null;
        _context = Options.Context ?? new ZmqContext();
        _thread = new Thread(Run) { IsBackground = true, Name = "remctl-client" };
        _thread.Start();
    }

    /// <summary>The backend's endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>The settings.</summary>
    public RemctlClientOptions Options { get; }

    /// <summary>Builds the request remctld would send for <c>remctl host COMMAND ARGS...</c>: the
    /// arguments as given (the first is the subcommand), and the environment REMOTE_USER,
    /// REMOTE_ADDR, REMOTE_HOST (when set), REMCTL_COMMAND, then any extra variables.</summary>
    public RemctlMsg.Request CreateRequest(string command, IReadOnlyList<ReadOnlyMemory<byte>> arguments)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arguments);
        var environment = new List<RemctlMsg.Request.EnvironmentItem>
        {
            new() { Name = RemctlEnvironment.RemoteUser, Value = Options.User },
            new() { Name = RemctlEnvironment.RemoteAddr, Value = Options.Address },
        };
        if (Options.Host is { } host)
            environment.Add(new() { Name = RemctlEnvironment.RemoteHost, Value = host });
        environment.Add(new() { Name = RemctlEnvironment.RemctlCommand, Value = command });
        foreach (var (name, value) in Options.ExtraEnvironment)
            environment.Add(new() { Name = name, Value = value });
        return new RemctlMsg.Request { Arguments = arguments.ToArray(), Environment = environment };
    }

    /// <summary>Runs <paramref name="command"/> with text arguments (UTF-8; the first is the subcommand).</summary>
    public Task<RemctlResult> ExecuteAsync(string command, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var bytes = arguments.Select(argument => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(argument)).ToArray();
        return ExecuteAsync(command, bytes, cancellationToken);
    }

    /// <summary>Runs <paramref name="command"/> with binary arguments (the first is the subcommand).</summary>
    /// <exception cref="RemctlUnreachableException">No reply on any attempt.</exception>
    /// <exception cref="RemctlProtocolException">The reply is malformed.</exception>
    public Task<RemctlResult> ExecuteAsync(string command, IReadOnlyList<ReadOnlyMemory<byte>> arguments, CancellationToken cancellationToken = default) =>
        SendAsync(CreateRequest(command, arguments), cancellationToken);

    /// <summary>Runs <paramref name="command"/> with text arguments (UTF-8; the first is the subcommand) on
    /// the calling thread, which blocks until the reply (at most <see cref="RemctlClientOptions.Timeout"/>
    /// per attempt).</summary>
    /// <exception cref="RemctlUnreachableException">No reply on any attempt.</exception>
    /// <exception cref="RemctlProtocolException">The reply is malformed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public RemctlResult Execute(string command, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var bytes = arguments.Select(argument => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(argument)).ToArray();
        return Execute(command, bytes, cancellationToken);
    }

    /// <summary>Runs <paramref name="command"/> with binary arguments on the calling thread; see
    /// <see cref="Execute(string, IEnumerable{string}, CancellationToken)"/>.</summary>
    public RemctlResult Execute(string command, IReadOnlyList<ReadOnlyMemory<byte>> arguments, CancellationToken cancellationToken = default)
    {
        var frames = RemctlMsg.EncodeFrames(CreateRequest(command, arguments), Options.RequestTags);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Exchange(frames, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's own cancellation: it was disposed during the wait.
            throw new ObjectDisposedException(nameof(RemctlClient));
        }
    }

    /// <summary>Sends a request as given and returns the decoded reply.</summary>
    /// <exception cref="RemctlUnreachableException">No reply on any attempt.</exception>
    /// <exception cref="RemctlProtocolException">The reply is malformed.</exception>
    public Task<RemctlResult> SendAsync(RemctlMsg.Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendFramesAsync(RemctlMsg.EncodeFrames(request, Options.RequestTags), cancellationToken);
    }

    /// <summary>Sends raw request frames (any bytes, for testing backends) and decodes the reply.</summary>
    public Task<RemctlResult> SendFramesAsync(IReadOnlyList<ReadOnlyMemory<byte>> frames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
            throw new ArgumentException("A request has at least one frame.", nameof(frames));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<RemctlResult>(cancellationToken);
        var work = new Work(frames, cancellationToken);
        try
        {
            _queue.Add(work, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(RemctlClient));
        }
        return work.Result.Task;
    }

    /// <summary>Stops the owner thread; commands not yet answered fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _queue.CompleteAdding();
        await _closing.CancelAsync().ConfigureAwait(false);
        await _stopped.Task.ConfigureAwait(false);
        _closing.Dispose();
        _queue.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Run()
    {
        try
        {
            foreach (var work in _queue.GetConsumingEnumerable())
            {
                try
                {
                    _closing.Token.ThrowIfCancellationRequested();
                    work.Token.ThrowIfCancellationRequested();
                    work.Result.TrySetResult(Exchange(work.Frames, work.Token));
                }
                catch (OperationCanceledException) when (_closing.IsCancellationRequested)
                {
                    work.Result.TrySetException(new ObjectDisposedException(nameof(RemctlClient)));
                }
                catch (OperationCanceledException) when (work.Token.IsCancellationRequested)
                {
                    work.Result.TrySetCanceled(work.Token);
                }
                catch (Exception e)
                {
                    work.Result.TrySetException(e);
                }
            }
        }
        finally
        {
            // Waits for a synchronous command still using the socket (it sees the client disposed
            // within one poll slice); any that comes later finds the client disposed under the lock.
            lock (_socketLock)
            {
                _connection?.Dispose();
                _connection = null;
            }
            if (_ownsContext)
                _context.Dispose();
            _stopped.TrySetResult();
        }
    }

    /// <summary>One command, on the calling thread, with the socket to itself: send, wait, retry on a
    /// new socket after a timeout, decode.</summary>
    private RemctlResult Exchange(IReadOnlyList<ReadOnlyMemory<byte>> request, CancellationToken cancellationToken)
    {
        lock (_socketLock)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
            var received = new List<byte[]>();
            for (var attempt = 1; ; attempt++)
            {
                _connection ??= new Connection(_context, Endpoint, Options.Timeout);
                var answered = false;
                try
                {
                    answered = _connection.Exchange(request, received, Options.Timeout, cancel.Token);
                }
                finally
                {
                    if (!answered)
                    {
                        // Lost reply or cancelled wait: this REQ socket still expects a reply and would
                        // refuse the next send, so it is replaced.
                        _connection.Dispose();
                        _connection = null;
                    }
                }
                if (answered)
                {
                    var frames = received.Select(frame => (ReadOnlyMemory<byte>)frame).ToArray();
                    if (!RemctlMsg.TryDecodeReply(frames, out var reply, out var error))
                        throw new RemctlProtocolException(error);
                    return new RemctlResult(reply);
                }
                if (attempt > Options.Retries)
                    throw new RemctlUnreachableException(Endpoint, attempt, Options.Timeout);
            }
        }
    }

    /// <summary>One REQ socket and its poller, owned by the client's thread.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly ZmqSocket _socket;
        private readonly ZmqPoller _poller = new();

        public Connection(ZmqContext context, string endpoint, TimeSpan timeout)
        {
            _socket = new ZmqSocket(context, ZmqSocketType.Req) { SendTimeout = timeout };
            try
            {
                _socket.Connect(endpoint);
                _poller.Add(_socket);
            }
            catch
            {
                _socket.Dispose();
                throw;
            }
        }

        /// <summary>Sends the request and waits for the reply; false when none came within
        /// <paramref name="timeout"/>.</summary>
        public bool Exchange(IReadOnlyList<ReadOnlyMemory<byte>> request, List<byte[]> reply, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            if (!_socket.TrySendMultipart(request))
                return false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                    return false;
                var wait = TimeSpan.FromMilliseconds(Math.Min(left, (long)s_pollSlice.TotalMilliseconds));
                if (_poller.Poll(wait) > 0 && _socket.TryReceiveMultipart(reply, dontWait: true))
                    return true;
            }
        }

        public void Dispose() => _socket.Dispose();
    }

    private sealed record Work(IReadOnlyList<ReadOnlyMemory<byte>> Frames, CancellationToken Token)
    {
        public TaskCompletionSource<RemctlResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
