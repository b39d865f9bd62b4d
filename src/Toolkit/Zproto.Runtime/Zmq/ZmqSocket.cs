using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// A libzmq socket: endpoints, frames and options. Messages are sequences of frames; a frame's
/// bytes are copied in on send and out (into a fresh array) on receive, or read in place with a
/// <see cref="ZmqMessageBuffer"/>.
/// </summary>
/// <remarks>
/// <para><b>One owner thread.</b> A socket is not thread-safe. Create it, use it and dispose it on
/// one thread; other threads reach it through a queue (e.g. a <c>Channel&lt;T&gt;</c>) that the owner
/// drains. Handing a socket to another thread is allowed only as a whole, through a full memory
/// barrier (a lock, a channel), after which the first thread never touches it again.</para>
/// <para>The one cross-thread interaction libzmq supports is disposing the socket's
/// <see cref="ZmqContext"/>: blocked and later calls then throw
/// <see cref="ZmqContextTerminatedException"/> on the owner thread, which should dispose the socket.</para>
/// <para>Failures throw <see cref="ZmqException"/> with libzmq's errno. <c>Try*</c> methods return
/// <see langword="false"/> when the operation would block (EAGAIN: <c>dontWait</c>, or the send or
/// receive timeout elapsed); the blocking forms throw <see cref="TimeoutException"/> instead. After
/// <see cref="Dispose"/> every member throws <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed partial class ZmqSocket : IDisposable
{
    private readonly ZmqContext _context;
    private readonly ZmqSocketHandle _handle;
    private readonly ZmqSocketType _socketType;

    /// <summary>Creates a socket of <paramref name="socketType"/> in <paramref name="context"/>. The
    /// calling thread becomes its owner.</summary>
    /// <exception cref="ObjectDisposedException"><paramref name="context"/> is disposed.</exception>
    /// <exception cref="ZmqException">libzmq refused, e.g. the context's <see cref="ZmqContext.MaxSockets"/> is reached.</exception>
    public ZmqSocket(ZmqContext context, ZmqSocketType socketType)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _socketType = socketType;
        _handle = ZmqSocketHandle.Create(context.Handle, socketType);
    }

    /// <summary>The socket's type.</summary>
    public ZmqSocketType SocketType
    {
        get
        {
            ThrowIfDisposed();
            return _socketType;
        }
    }

    /// <summary>The context the socket was created in.</summary>
    internal ZmqContext Context => _context;

    /// <summary>Whether <see cref="Dispose"/> has run; the one member that does not throw afterwards.</summary>
    internal bool IsDisposed => _handle.IsClosed;

    /// <summary>The native socket, for the poller and the monitor.</summary>
    internal ZmqSocketHandle Handle
    {
        get
        {
            ThrowIfDisposed();
            return _handle;
        }
    }

    /// <summary>Accepts connections on <paramref name="endpoint"/>, e.g. <c>tcp://127.0.0.1:*</c>
    /// (any free port; read it back from <see cref="LastEndpoint"/>) or <c>inproc://name</c>.</summary>
    /// <exception cref="ZmqException">The endpoint is malformed, its transport unsupported, or the address in use.</exception>
    public void Bind(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ThrowIfDisposed();
        if (LibZmq.zmq_bind(_handle, endpoint) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Bind to '{endpoint}'");
        }
    }

    /// <summary>Stops accepting on an endpoint bound earlier; pass the resolved
    /// <see cref="LastEndpoint"/> for a wildcard bind.</summary>
    /// <exception cref="ZmqException">The socket is not bound to <paramref name="endpoint"/>.</exception>
    public void Unbind(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ThrowIfDisposed();
        if (LibZmq.zmq_unbind(_handle, endpoint) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Unbind from '{endpoint}'");
        }
    }

    /// <summary>Connects to <paramref name="endpoint"/>. libzmq connects (and reconnects) in the
    /// background, so this returns before the peer is reachable.</summary>
    /// <exception cref="ZmqException">The endpoint is malformed or its transport unsupported.</exception>
    public void Connect(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ThrowIfDisposed();
        if (LibZmq.zmq_connect(_handle, endpoint) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Connect to '{endpoint}'");
        }
    }

    /// <summary>Disconnects from an endpoint connected earlier.</summary>
    /// <exception cref="ZmqException">The socket is not connected to <paramref name="endpoint"/>.</exception>
    public void Disconnect(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ThrowIfDisposed();
        if (LibZmq.zmq_disconnect(_handle, endpoint) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Disconnect from '{endpoint}'");
        }
    }

    /// <summary>Queues one frame of a message.</summary>
    /// <param name="frame">The frame's bytes, copied before the call returns.</param>
    /// <param name="more"><see langword="true"/> if more frames of the same message follow.</param>
    /// <param name="dontWait">Return <see langword="false"/> at once instead of waiting for room.</param>
    /// <returns><see langword="false"/> if the frame could not be queued without blocking, or within
    /// <see cref="SendTimeout"/>; nothing was sent.</returns>
    /// <exception cref="ZmqException">libzmq refused the frame, e.g. EFSM on a REQ socket out of turn,
    /// or EHOSTUNREACH from a ROUTER with <see cref="RouterMandatory"/>.</exception>
    public bool TrySend(ReadOnlySpan<byte> frame, bool more, bool dontWait = false)
    {
        ThrowIfDisposed();
        return SendFrame(frame, FlagsFor(more, dontWait));
    }

    /// <summary>Sends one frame, waiting for room up to <see cref="SendTimeout"/>.</summary>
    /// <param name="frame">The frame's bytes, copied before the call returns.</param>
    /// <param name="more"><see langword="true"/> if more frames of the same message follow.</param>
    /// <exception cref="TimeoutException"><see cref="SendTimeout"/> elapsed.</exception>
    /// <exception cref="ZmqException">libzmq refused the frame.</exception>
    public void Send(ReadOnlySpan<byte> frame, bool more = false)
    {
        if (!TrySend(frame, more))
        {
            throw new TimeoutException("Send timed out (SendTimeout elapsed before the frame could be queued).");
        }
    }

    /// <summary>Queues a whole message. libzmq delivers messages atomically: the peer receives all
    /// frames or none.</summary>
    /// <param name="frames">The frames, at least one; empty frames are allowed.</param>
    /// <param name="dontWait">Return <see langword="false"/> at once instead of waiting for room.</param>
    /// <returns><see langword="false"/> if the message could not be queued without blocking, or
    /// within <see cref="SendTimeout"/>; no frame was sent.</returns>
    /// <exception cref="ArgumentException"><paramref name="frames"/> is empty.</exception>
    /// <exception cref="ZmqException">libzmq refused a frame.</exception>
    public bool TrySendMultipart(IReadOnlyList<ReadOnlyMemory<byte>> frames, bool dontWait = false)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new ArgumentException("A message has at least one frame.", nameof(frames));
        }

        ThrowIfDisposed();
        int last = frames.Count - 1;
        if (!SendFrame(frames[0].Span, FlagsFor(more: last > 0, dontWait)))
        {
            return false;
        }

        for (int i = 1; i <= last; i++)
        {
            // libzmq admits or refuses a message on its first frame (high-water marks count whole
            // messages), so the rest are accepted without blocking; being refused here would leave
            // a partial message queued, which is an error rather than a "try again".
            if (!SendFrame(frames[i].Span, FlagsFor(more: i < last, dontWait: false)))
            {
                throw ZmqException.FromErrno(ZmqErrno.EAGAIN, $"Sending frame {i} of a {frames.Count}-frame message");
            }
        }

        return true;
    }

    /// <summary>Sends a whole message, waiting for room up to <see cref="SendTimeout"/>.</summary>
    /// <param name="frames">The frames, at least one; empty frames are allowed.</param>
    /// <exception cref="ArgumentException"><paramref name="frames"/> is empty.</exception>
    /// <exception cref="TimeoutException"><see cref="SendTimeout"/> elapsed; nothing was sent.</exception>
    /// <exception cref="ZmqException">libzmq refused a frame.</exception>
    public void SendMultipart(IReadOnlyList<ReadOnlyMemory<byte>> frames)
    {
        if (!TrySendMultipart(frames))
        {
            throw new TimeoutException("Send timed out (SendTimeout elapsed before the message could be queued).");
        }
    }

    /// <summary>Receives one frame.</summary>
    /// <param name="frame">The frame's bytes (an empty array for an empty frame), or
    /// <see langword="null"/> when the method returns <see langword="false"/>.</param>
    /// <param name="more"><see langword="true"/> if more frames of the same message follow.</param>
    /// <param name="dontWait">Return <see langword="false"/> at once if no frame is waiting.</param>
    /// <returns><see langword="false"/> if no frame arrived without blocking, or within <see cref="ReceiveTimeout"/>.</returns>
    /// <exception cref="ZmqException">libzmq failed the receive, e.g. EFSM on a REQ socket out of turn.</exception>
    public bool TryReceiveFrame([NotNullWhen(true)] out byte[]? frame, out bool more, bool dontWait = false)
    {
        ThrowIfDisposed();
        return ReceiveFrame(dontWait ? ZmqSendReceiveFlags.DontWait : ZmqSendReceiveFlags.None, out frame, out more);
    }

    /// <summary>Receives one frame, waiting up to <see cref="ReceiveTimeout"/>.</summary>
    /// <param name="more"><see langword="true"/> if more frames of the same message follow.</param>
    /// <returns>The frame's bytes (an empty array for an empty frame).</returns>
    /// <exception cref="TimeoutException"><see cref="ReceiveTimeout"/> elapsed.</exception>
    /// <exception cref="ZmqException">libzmq failed the receive.</exception>
    public byte[] ReceiveFrame(out bool more)
    {
        if (!TryReceiveFrame(out byte[]? frame, out more))
        {
            throw new TimeoutException("Receive timed out (ReceiveTimeout elapsed before a frame arrived).");
        }

        return frame;
    }

    /// <summary>Receives a whole message.</summary>
    /// <param name="frames">Cleared, then filled with the message's frames in order.</param>
    /// <param name="dontWait">Return <see langword="false"/> at once if no message is waiting.</param>
    /// <returns><see langword="false"/> if no message arrived without blocking, or within
    /// <see cref="ReceiveTimeout"/>; <paramref name="frames"/> is then empty.</returns>
    /// <exception cref="ZmqException">libzmq failed the receive.</exception>
    public bool TryReceiveMultipart(List<byte[]> frames, bool dontWait = false)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ThrowIfDisposed();
        frames.Clear();
        if (!ReceiveFrame(dontWait ? ZmqSendReceiveFlags.DontWait : ZmqSendReceiveFlags.None, out byte[]? frame, out bool more))
        {
            return false;
        }

        frames.Add(frame);
        while (more)
        {
            // libzmq hands over a message only once all of its frames have arrived, so the rest of
            // this one is already here and the receive cannot block.
            if (!ReceiveFrame(ZmqSendReceiveFlags.None, out frame, out more))
            {
                throw ZmqException.FromErrno(ZmqErrno.EAGAIN, $"Receiving frame {frames.Count} of a message");
            }

            frames.Add(frame);
        }

        return true;
    }

    /// <summary>Receives a whole message, waiting up to <see cref="ReceiveTimeout"/>.</summary>
    /// <returns>The message's frames in order.</returns>
    /// <exception cref="TimeoutException"><see cref="ReceiveTimeout"/> elapsed.</exception>
    /// <exception cref="ZmqException">libzmq failed the receive.</exception>
    public List<byte[]> ReceiveMultipart()
    {
        var frames = new List<byte[]>();
        if (!TryReceiveMultipart(frames))
        {
            throw new TimeoutException("Receive timed out (ReceiveTimeout elapsed before a message arrived).");
        }

        return frames;
    }

    /// <summary>Closes the socket. What it could not deliver is kept for up to <see cref="Linger"/>
    /// (0 by default: dropped). Idempotent; call it on the owner thread.</summary>
    public void Dispose() => _handle.Dispose();

    private static ZmqSendReceiveFlags FlagsFor(bool more, bool dontWait) =>
        (more ? ZmqSendReceiveFlags.SendMore : ZmqSendReceiveFlags.None)
        | (dontWait ? ZmqSendReceiveFlags.DontWait : ZmqSendReceiveFlags.None);

    private unsafe bool SendFrame(ReadOnlySpan<byte> frame, ZmqSendReceiveFlags flags)
    {
        fixed (byte* bytes = frame)
        {
            while (LibZmq.zmq_send(_handle, bytes, (nuint)frame.Length, flags) < 0)
            {
                int errno = LibZmq.LastErrno();
                if (errno == ZmqErrno.EAGAIN)
                {
                    return false;
                }

                if (errno != ZmqErrno.EINTR)
                {
                    throw ZmqException.FromErrno(errno, "Send");
                }
            }
        }

        return true;
    }

    /// <summary>Receives one frame into a zmq_msg_t, copies it out and closes the message on every
    /// path, so a frame of any size arrives whole and nothing native outlives the call.</summary>
    private unsafe bool ReceiveFrame(ZmqSendReceiveFlags flags, [NotNullWhen(true)] out byte[]? frame, out bool more)
    {
        ZmqMsg message;
        // zmq_msg_init cannot fail: it only clears the struct.
        _ = LibZmq.zmq_msg_init(&message);
        try
        {
            if (!TryReceiveInto(&message, flags))
            {
                frame = null;
                more = false;
                return false;
            }

            // zmq_msg_size is a size_t; a frame past the largest array cannot be copied out whole,
            // and throwing beats truncating it.
            int size = checked((int)LibZmq.zmq_msg_size(&message));
            if (size == 0)
            {
                frame = [];
            }
            else
            {
                frame = GC.AllocateUninitializedArray<byte>(size);
                new ReadOnlySpan<byte>(LibZmq.zmq_msg_data(&message), size).CopyTo(frame);
            }

            more = LibZmq.zmq_msg_more(&message) != 0;
            // The metadata lives in the message, so it is read here, before the close below.
            if (ReadsUserId && !more)
            {
                CaptureUserId(&message);
            }

            return true;
        }
        finally
        {
            // Closing releases the content (or a reference to it); it only fails for a message that
            // was never initialised, which cannot happen here.
            _ = LibZmq.zmq_msg_close(&message);
        }
    }

    /// <summary>zmq_msg_recv into an initialised <paramref name="message"/>, retrying when a signal
    /// interrupts it; false when nothing could be received without blocking (EAGAIN).</summary>
    internal unsafe bool TryReceiveInto(ZmqMsg* message, ZmqSendReceiveFlags flags)
    {
        while (LibZmq.zmq_msg_recv(message, _handle, flags) < 0)
        {
            int errno = LibZmq.LastErrno();
            if (errno == ZmqErrno.EAGAIN)
            {
                return false;
            }

            if (errno != ZmqErrno.EINTR)
            {
                throw ZmqException.FromErrno(errno, "Receive");
            }
        }

        return true;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
