using System;
using System.Threading;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// A libzmq context: the I/O threads and the <c>inproc://</c> namespace its sockets share.
/// </summary>
/// <remarks>
/// <para>Unlike sockets, a context is thread-safe: any thread may create sockets in it or dispose it.</para>
/// <para>Contexts are created non-blocky (<c>ZMQ_BLOCKY</c> = 0), so new sockets start with
/// <see cref="ZmqSocket.Linger"/> = 0: closing a socket drops what it could not deliver, and
/// nothing ever waits on a peer that went away. Set <see cref="ZmqSocket.Linger"/> on a socket
/// whose last messages must survive its close.</para>
/// <para><see cref="Dispose"/> never waits for sockets. It shuts the context down, so every blocked
/// or later call on its sockets throws <see cref="ZmqContextTerminatedException"/> on the owner
/// thread, and terminates it once the last socket is disposed (immediately if none is open).</para>
/// </remarks>
public sealed class ZmqContext : IDisposable
{
    private readonly ZmqContextHandle _handle;
    private int _disposed;

    /// <summary>Creates a context.</summary>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than 4.3.</exception>
    public ZmqContext()
    {
        LibZmq.EnsureAvailable();
        _handle = ZmqContextHandle.Create();
        try
        {
            SetOption(ZmqContextOption.Blocky, 0);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>The number of libzmq I/O threads (<c>ZMQ_IO_THREADS</c>, default 1). Setting it only
    /// affects sockets created afterwards.</summary>
    public int IoThreads
    {
        get => GetOption(ZmqContextOption.IoThreads);
        set => SetOption(ZmqContextOption.IoThreads, value);
    }

    /// <summary>The most sockets the context may hold open at once (<c>ZMQ_MAX_SOCKETS</c>, default 1023).</summary>
    public int MaxSockets
    {
        get => GetOption(ZmqContextOption.MaxSockets);
        set => SetOption(ZmqContextOption.MaxSockets, value);
    }

    /// <summary>The native context, referenced by every socket created in it.</summary>
    internal ZmqContextHandle Handle
    {
        get
        {
            ThrowIfDisposed();
            return _handle;
        }
    }

    /// <summary>
    /// Shuts the context down and terminates it once its last socket is closed. Returns without
    /// waiting for open sockets; safe to call from any thread, and more than once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Shutdown first: blocked calls on this context's sockets return ETERM now, so owner threads
        // can close their sockets instead of zmq_ctx_term waiting for them forever. It only fails for
        // a pointer that is not a context, which the handle never holds.
        _ = LibZmq.zmq_ctx_shutdown(_handle);

        // Drops this object's reference; each open socket holds one more, so zmq_ctx_term runs when
        // the last of them is disposed, here if there are none.
        _handle.Dispose();
    }

    private int GetOption(ZmqContextOption option)
    {
        ThrowIfDisposed();
        int value = LibZmq.zmq_ctx_get(_handle, option);
        if (value < 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Reading context option {option}");
        }

        return value;
    }

    private void SetOption(ZmqContextOption option, int value)
    {
        ThrowIfDisposed();
        if (LibZmq.zmq_ctx_set(_handle, option, value) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Setting context option {option} to {value}");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
