using System.Runtime.InteropServices;

namespace Zproto.Runtime.Zmq.Interop;

/// <summary>
/// Owns a libzmq socket and one reference on its context's handle, released after zmq_close so the
/// context cannot be terminated underneath an open socket.
/// </summary>
internal sealed class ZmqSocketHandle : SafeHandle
{
    private readonly ZmqContextHandle _context;

    private ZmqSocketHandle(ZmqContextHandle context)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        _context = context;
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Creates a socket in <paramref name="context"/>. Throws <see cref="System.ObjectDisposedException"/>
    /// if the context handle is already closed, and <see cref="ZmqContextTerminatedException"/> if the
    /// context has been shut down.
    /// </summary>
    internal static ZmqSocketHandle Create(ZmqContextHandle context, ZmqSocketType type)
    {
        var socket = new ZmqSocketHandle(context);
        bool referenced = false;
        context.DangerousAddRef(ref referenced);
        try
        {
            nint raw = LibZmq.zmq_socket(context, (int)type);
            if (raw == 0)
            {
                throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Creating a {type} socket");
            }

            // From here the socket handle owns the context reference and releases it on close.
            socket.SetHandle(raw);
            referenced = false;
            return socket;
        }
        finally
        {
            if (referenced)
            {
                context.DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        // zmq_close only fails for a pointer that is not a socket, which a valid handle never holds;
        // the context reference must go either way or the context could never terminate.
        bool closed = LibZmq.zmq_close(handle) == 0;
        _context.DangerousRelease();
        return closed;
    }
}
