using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// Waits until one of a set of sockets can receive or send (<c>zmq_poll</c>). Besides ZeroMQ sockets it
/// takes plain file descriptors (an OS socket's handle, say a UDP socket's), which zmq_poll polls as
/// poll(2) does, so one thread can wait on both kinds at once.
/// </summary>
/// <remarks>
/// A poller follows its sockets' one-owner-thread rule: build it and call <see cref="Poll"/> on the
/// thread that owns every socket in it. The sockets stay owned by the caller; the poller never
/// disposes them, and polling a disposed one throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class ZmqPoller
{
    /// <summary>Up to this many items live on the stack during a poll; more go to the heap.</summary>
    private const int StackItemLimit = 32;

    private readonly List<ZmqSocket?> _sockets = [];
    private readonly List<ZmqSocketHandle?> _handles = [];
    private readonly List<nint> _descriptors = [];
    private readonly List<ZmqPollEvents> _interests = [];
    private ZmqPollEvents[] _ready = [];

    /// <summary>The number of sockets added.</summary>
    public int Count => _sockets.Count;

    /// <summary>Adds a socket to wait on.</summary>
    /// <param name="socket">The socket; owned by the thread that polls.</param>
    /// <param name="events">What to wait for: <see cref="ZmqPollEvents.In"/>, <see cref="ZmqPollEvents.Out"/> or both.</param>
    /// <returns>The socket's index, for <see cref="GetReadyEvents(int)"/>.</returns>
    public int Add(ZmqSocket socket, ZmqPollEvents events = ZmqPollEvents.In)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _handles.Add(socket.Handle); // throws now, not at the next poll, if the socket is disposed
        _sockets.Add(socket);
        _descriptors.Add(-1);
        _interests.Add(events);
        _ready = new ZmqPollEvents[_sockets.Count];
        return _sockets.Count - 1;
    }

    /// <summary>Adds a plain file descriptor to wait on (on Windows a <c>SOCKET</c>), such as
    /// <c>System.Net.Sockets.Socket.Handle</c>. The poller does not own it: before closing the descriptor,
    /// take it out with <see cref="SetDescriptor"/> and -1, or a later poll may see a reused number.</summary>
    /// <returns>The descriptor's index, for <see cref="GetReadyEvents(int)"/>.</returns>
    public int AddDescriptor(nint descriptor, ZmqPollEvents events = ZmqPollEvents.In)
    {
        _handles.Add(null);
        _sockets.Add(null);
        _descriptors.Add(descriptor);
        _interests.Add(events);
        _ready = new ZmqPollEvents[_sockets.Count];
        return _sockets.Count - 1;
    }

    /// <summary>Replaces the descriptor at <paramref name="index"/> (added by <see cref="AddDescriptor"/>);
    /// -1 leaves the slot empty (poll(2) skips negative descriptors) for reuse, since indices never move.</summary>
    public void SetDescriptor(int index, nint descriptor)
    {
        if (_sockets[index] is not null)
            throw new ArgumentException("The index holds a ZeroMQ socket, not a descriptor.", nameof(index));
        _descriptors[index] = descriptor;
    }

    /// <summary>Changes what the socket at <paramref name="index"/> is polled for. <see cref="ZmqPollEvents.None"/>
    /// stops watching it without removing it, which is how a loop stops reading a socket for a while
    /// (libzmq's receive high-water mark then holds its peers back) and later resumes.</summary>
    public void SetEvents(int index, ZmqPollEvents events) => _interests[index] = events;

    /// <summary>What the last <see cref="Poll"/> found ready on the socket at <paramref name="index"/>.</summary>
    public ZmqPollEvents GetReadyEvents(int index) => _ready[index];

    /// <summary>What the last <see cref="Poll"/> found ready on <paramref name="socket"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="socket"/> was never added.</exception>
    public ZmqPollEvents GetReadyEvents(ZmqSocket socket)
    {
        int index = _sockets.IndexOf(socket);
        if (index < 0)
        {
            throw new ArgumentException("The socket is not in this poller.", nameof(socket));
        }

        return _ready[index];
    }

    /// <summary>Waits until at least one socket is ready or <paramref name="timeout"/> elapses.</summary>
    /// <param name="timeout">How long to wait: <see cref="TimeSpan.Zero"/> checks and returns,
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns>The number of sockets with events ready (0 on timeout); read them with <see cref="GetReadyEvents(int)"/>.</returns>
    /// <exception cref="ZmqContextTerminatedException">A socket's context was disposed.</exception>
    /// <exception cref="ObjectDisposedException">A socket was disposed.</exception>
    public int Poll(TimeSpan timeout)
    {
        int milliseconds = ZmqMilliseconds.From(timeout, nameof(timeout));
        long deadline = milliseconds < 0 ? -1 : Environment.TickCount64 + milliseconds;
        Array.Clear(_ready);
        while (true)
        {
            // The fd member of zmq_pollitem_t is an int on Unix and a pointer-sized SOCKET on Windows.
            int ready = OperatingSystem.IsWindows() ? PollOnce<nint>(milliseconds) : PollOnce<int>(milliseconds);
            if (ready >= 0)
            {
                return ready;
            }

            int errno = LibZmq.LastErrno();
            if (errno != ZmqErrno.EINTR)
            {
                throw ZmqException.FromErrno(errno, "Poll");
            }

            // A signal cut the wait short: wait out what is left of the original timeout.
            if (deadline >= 0)
            {
                milliseconds = (int)Math.Max(0, deadline - Environment.TickCount64);
            }
        }
    }

    /// <returns>zmq_poll's result: the ready count, or -1 with the errno saved for <see cref="LibZmq.LastErrno"/>.</returns>
    private unsafe int PollOnce<TFd>(int timeoutMilliseconds)
        where TFd : unmanaged
    {
        int count = _sockets.Count;
        Span<ZmqPollItem<TFd>> items = count <= StackItemLimit
            ? stackalloc ZmqPollItem<TFd>[count]
            : new ZmqPollItem<TFd>[count];
        int referenced = 0;
        try
        {
            // zmq_poll takes raw socket pointers; a reference on each handle keeps a dispose on
            // another thread from freeing one mid-poll.
            for (; referenced < count; referenced++)
            {
                items[referenced].Events = _interests[referenced];
                if (_handles[referenced] is not { } handle)
                {
                    nint descriptor = _descriptors[referenced];
                    items[referenced].Socket = 0;
                    items[referenced].Fd = typeof(TFd) == typeof(int)
                        ? Unsafe.BitCast<int, TFd>((int)descriptor)
                        : Unsafe.BitCast<nint, TFd>(descriptor);
                    continue;
                }
                bool added = false;
                handle.DangerousAddRef(ref added);
                items[referenced].Socket = handle.DangerousGetHandle();
            }

            int ready;
            fixed (ZmqPollItem<TFd>* first = items)
            {
                ready = LibZmq.zmq_poll(first, count, new CLong(timeoutMilliseconds));
            }

            for (int i = 0; i < count && ready > 0; i++)
            {
                _ready[i] = items[i].ReturnedEvents;
            }

            return ready;
        }
        finally
        {
            for (int i = 0; i < referenced; i++)
            {
                _handles[i]?.DangerousRelease();
            }
        }
    }
}
