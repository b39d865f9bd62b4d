using System;
using System.Runtime.InteropServices;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// One outgoing frame built in libzmq's own memory (<c>zmq_msg_init_size</c>): the caller encodes
/// into <see cref="Allocate"/>'s span and <see cref="TrySend"/> hands libzmq a reference to it, so
/// the bytes are not copied again as <c>zmq_send</c> copies a managed buffer. The frame can be sent
/// any number of times (each send shares the content by reference count) until it is replaced,
/// <see cref="Release"/>d or disposed. Owner thread only, like the socket it is sent on.
/// </summary>
internal sealed unsafe class ZmqOutgoingFrame : IDisposable
{
    // Native, so it never moves while libzmq points into it; freed by Dispose or the finalizer.
    private ZmqMsg* _message = (ZmqMsg*)NativeMemory.AlignedAlloc((nuint)sizeof(ZmqMsg), 8);
    private int _length = -1;

    ~ZmqOutgoingFrame() => Free();

    /// <summary>The frame's bytes, or empty when none is held.</summary>
    public Span<byte> Span => _length < 0 ? default : new Span<byte>(LibZmq.zmq_msg_data(_message), _length);

    /// <summary>Replaces the frame with a new one of <paramref name="length"/> bytes (content undefined) and returns it to fill.</summary>
    /// <exception cref="OutOfMemoryException">libzmq could not allocate the frame.</exception>
    public Span<byte> Allocate(int length)
    {
        ObjectDisposedException.ThrowIf(_message is null, this);
        Release();
        if (LibZmq.zmq_msg_init_size(_message, (nuint)length) != 0)
            throw new OutOfMemoryException($"libzmq could not allocate a frame of {length} bytes ({ZmqException.FromErrno(LibZmq.LastErrno(), "zmq_msg_init_size").Message})");
        _length = length;
        return Span;
    }

    /// <summary>Queues the frame on <paramref name="socket"/>; false (nothing queued) when it would block.</summary>
    /// <exception cref="ZmqException">libzmq refused the frame, e.g. EHOSTUNREACH.</exception>
    public bool TrySend(ZmqSocket socket, bool more, bool dontWait)
    {
        if (_length < 0)
            throw new InvalidOperationException("no frame to send");
        var handle = socket.Handle;
        var flags = (more ? ZmqSendReceiveFlags.SendMore : ZmqSendReceiveFlags.None) | (dontWait ? ZmqSendReceiveFlags.DontWait : ZmqSendReceiveFlags.None);
        ZmqMsg shared;
        _ = LibZmq.zmq_msg_init(&shared);
        // Cannot fail for an initialised source: it adds a reference to the content.
        _ = LibZmq.zmq_msg_copy(&shared, _message);
        while (LibZmq.zmq_msg_send(&shared, handle, flags) < 0)
        {
            var errno = LibZmq.LastErrno();
            if (errno == ZmqErrno.EINTR)
                continue;
            _ = LibZmq.zmq_msg_close(&shared);
            if (errno == ZmqErrno.EAGAIN)
                return false;
            throw ZmqException.FromErrno(errno, "Send");
        }
        return true;
    }

    /// <summary>Lets go of the frame (libzmq frees it once every send of it has gone out).</summary>
    public void Release()
    {
        if (_length < 0)
            return;
        _ = LibZmq.zmq_msg_close(_message);
        _length = -1;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_message is null)
            return;
        Release();
        NativeMemory.AlignedFree(_message);
        _message = null;
    }
}
