using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Engine;

/// <summary>
/// One owner thread for a set of sockets: it polls them, runs timers, and runs commands other
/// threads post. Sockets are touched only by this thread (libzmq sockets are not thread-safe); other
/// threads reach it through <see cref="Post"/>, which queues the work and wakes the poll with one
/// byte on an inproc PAIR (the sending end is used under a lock, which gives libzmq the memory
/// barrier it needs).
/// </summary>
public abstract class ActorLoop : IAsyncDisposable, IDisposable
{
    private static int s_instances;
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly PriorityQueue<TimerEntry, long> _timers = new();
    private readonly object _signalLock = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _ownsContext;
    private readonly string _signalEndpoint;
    private ZmqSocket? _signalSender;
    private Thread? _thread;
    private ActorLoop? _host;
    private volatile bool _stopping;
    private int _disposed;

    /// <summary>Creates the loop; <paramref name="context"/> null means it creates and owns its own.</summary>
    protected ActorLoop(ZmqContext? context, ILogger logger, string name)
    {
        ZmqLibrary.EnsureAvailable();
        _ownsContext = context is null;
        Context = context ?? new ZmqContext();
        Logger = logger;
        Name = name;
        _signalEndpoint = $"inproc://zproto-actor-{Environment.ProcessId}-{Interlocked.Increment(ref s_instances)}";
    }

    /// <summary>The ZeroMQ context the loop's sockets live in.</summary>
    public ZmqContext Context { get; }

    /// <summary>Name used in logs and for the thread.</summary>
    public string Name { get; }

    /// <summary>The logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>Milliseconds on a monotonic clock.</summary>
    protected static long Now => Environment.TickCount64;

    /// <summary>True on the owner thread.</summary>
    protected bool OnOwnerThread => _host?.OnOwnerThread ?? Thread.CurrentThread == _thread;

    /// <summary>Starts the owner thread and waits until its sockets are ready (or it failed to start).</summary>
    protected void StartLoop()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_thread is not null || _host is not null)
            throw new InvalidOperationException($"{Name} is already started");
        _thread = new Thread(Run) { IsBackground = true, Name = Name };
        _thread.Start();
        _started.Task.GetAwaiter().GetResult();
    }

    /// <summary>Queues <paramref name="command"/> to run on the owner thread (always queued, even from the owner thread, so it never re-enters the caller).</summary>
    public void Post(Action command)
    {
        ArgumentNullException.ThrowIfNull(command);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0 || _stopping, this);
        if (_host is { } host)
        {
            host.Post(command);
            return;
        }
        _commands.Enqueue(command);
        Signal();
    }

    /// <summary>Runs <paramref name="command"/> on the owner thread and returns its result.</summary>
    public Task<T> Invoke<T>(Func<T> command)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try { tcs.SetResult(command()); }
            catch (Exception e) { tcs.SetException(e); }
        });
        return tcs.Task;
    }

    private void Signal()
    {
        lock (_signalLock)
        {
            // Null before the loop started (the command runs once it does) or after it stopped.
            _signalSender?.TrySend(ReadOnlySpan<byte>.Empty, more: false, dontWait: true);
        }
    }

    /// <summary>Schedules <paramref name="callback"/> on the owner thread at <paramref name="due"/> (see <see cref="Now"/>).</summary>
    protected void ScheduleAt(long due, Action callback)
    {
        if (_host is { } host)
            host.ScheduleAt(due, callback);
        else
            _timers.Enqueue(new TimerEntry(callback), due);
    }

    /// <summary>
    /// Runs this loop on <paramref name="host"/>'s owner thread instead of a thread of its own: its timers
    /// and posted commands go to the host, and <see cref="OnStart"/> and <see cref="OnReadable"/> are never
    /// called, so the loop has no sockets; whoever hosts it feeds it input (see docs/architecture.md,
    /// "Datagram transports"). Call on the host's owner thread, instead of <see cref="StartLoop"/>.
    /// Disposing the loop runs <see cref="OnStop"/> on the host's thread.
    /// </summary>
    protected void RunOn(ActorLoop host)
    {
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_thread is not null || _host is not null)
            throw new InvalidOperationException($"{Name} is already started");
        if (!host.OnOwnerThread)
            throw new InvalidOperationException($"{Name} must be attached to {host.Name} on its owner thread");
        _host = host;
    }

    /// <summary>Creates the loop's sockets; called on the owner thread before polling starts.</summary>
    protected abstract void OnStart(ZmqPoller poller);

    /// <summary>Handles readiness of the socket at <paramref name="index"/> in the poller.</summary>
    protected abstract void OnReadable(int index);

    /// <summary>Handles a socket the loop polls for <see cref="ZmqPollEvents.Out"/> (see
    /// <see cref="ZmqPoller.SetEvents"/>) becoming able to send; called before <see cref="OnReadable"/>
    /// for the same socket, so waiting output goes out before new input adds to it.</summary>
    protected virtual void OnWritable(int index) { }

    /// <summary>Closes the loop's sockets; called on the owner thread as it ends.</summary>
    protected abstract void OnStop();

    private void Run()
    {
        ZmqSocket? signalReceiver = null;
        try
        {
            signalReceiver = new ZmqSocket(Context, ZmqSocketType.Pair);
            signalReceiver.Bind(_signalEndpoint);
            var sender = new ZmqSocket(Context, ZmqSocketType.Pair);
            sender.Connect(_signalEndpoint);
            lock (_signalLock)
                _signalSender = sender;
            var poller = new ZmqPoller();
            poller.Add(signalReceiver);
            OnStart(poller);
            _started.TrySetResult();
            Loop(poller, signalReceiver);
        }
        catch (ZmqContextTerminatedException)
        {
            // The context was shut down under us: a normal way to end.
        }
        catch (Exception e)
        {
            if (!_started.TrySetException(e))
                Logger.LogError(e, "{Name}: owner thread failed", Name);
        }
        finally
        {
            try
            {
                OnStop();
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Name}: error while stopping", Name);
            }
            lock (_signalLock)
            {
                _signalSender?.Dispose();
                _signalSender = null;
            }
            signalReceiver?.Dispose();
            _stopped.TrySetResult();
        }
    }

    private void Loop(ZmqPoller poller, ZmqSocket signalReceiver)
    {
        var frames = new List<byte[]>();
        while (!_stopping)
        {
            RunCommands();
            var wait = RunTimers();
            if (_stopping)
                break;
            if (poller.Poll(TimeSpan.FromMilliseconds(wait)) == 0)
                continue;
            if ((poller.GetReadyEvents(0) & ZmqPollEvents.In) != 0)
            {
                while (signalReceiver.TryReceiveMultipart(frames, dontWait: true))
                    frames.Clear();
            }
            for (var i = 1; i < poller.Count; i++)
            {
                var ready = poller.GetReadyEvents(i);
                if ((ready & ZmqPollEvents.Out) != 0)
                    OnWritable(i);
                if ((ready & ZmqPollEvents.In) != 0)
                    OnReadable(i);
            }
        }
        RunCommands();
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            try
            {
                command();
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Name}: command failed", Name);
            }
        }
    }

    /// <summary>Runs due timers; returns milliseconds until the next one (at most 1000).</summary>
    private int RunTimers()
    {
        while (_timers.TryPeek(out var entry, out var due))
        {
            var now = Now;
            if (due > now)
                return (int)Math.Min(1000, due - now);
            _timers.Dequeue();
            try
            {
                entry.Callback();
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Name}: timer callback failed", Name);
            }
        }
        return 1000;
    }

    /// <summary>Stops the owner thread, closes its sockets and, when owned, the context. Returns within a bound even with peers connected (sockets have zero linger).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping = true;
        if (_host is { } host)
        {
            await StopHostedAsync(host).ConfigureAwait(false);
            return;
        }
        Signal();
        if (OnOwnerThread)
            return; // Disposed from an action or command: the loop ends when this one returns.
        if (_thread is not null)
        {
            var finished = await Task.WhenAny(_stopped.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            if (finished != _stopped.Task)
            {
                Logger.LogWarning("{Name}: owner thread did not stop within 5 s; shutting the context down", Name);
                Context.Dispose();
                await _stopped.Task.ConfigureAwait(false);
            }
        }
        if (_ownsContext)
            Context.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops a loop run by <see cref="RunOn"/>: its <see cref="OnStop"/> runs on the host's thread, now or once posted there.</summary>
    private async ValueTask StopHostedAsync(ActorLoop host)
    {
        void Stop()
        {
            try
            {
                OnStop();
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Name}: error while stopping", Name);
            }
        }
        if (host.OnOwnerThread)
        {
            Stop();
        }
        else
        {
            try
            {
                await host.Invoke(() => { Stop(); return true; }).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The host has stopped: nothing of this loop can run any more, so there is nothing to stop.
            }
        }
        if (_ownsContext)
            Context.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed record TimerEntry(Action Callback);
}
