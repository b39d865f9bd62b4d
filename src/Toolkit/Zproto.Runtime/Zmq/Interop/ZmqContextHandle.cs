using System.Runtime.InteropServices;

namespace Zproto.Runtime.Zmq.Interop;

/// <summary>
/// Owns a libzmq context. Each open socket holds a reference on it (DangerousAddRef), so
/// zmq_ctx_term, which blocks until every socket is closed, only runs once the last one is.
/// </summary>
internal sealed class ZmqContextHandle : SafeHandle
{
    private ZmqContextHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates a context. The handle object exists before the native call so that no
    /// failure between the two can orphan the context.</summary>
    internal static ZmqContextHandle Create()
    {
        var context = new ZmqContextHandle();
        nint raw = LibZmq.zmq_ctx_new();
        if (raw == 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), "Creating a context");
        }

        context.SetHandle(raw);
        return context;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        // zmq_ctx_term may be interrupted by a signal before it has finished; it is safe to repeat.
        while (LibZmq.zmq_ctx_term(handle) != 0)
        {
            if (LibZmq.LastErrno() != ZmqErrno.EINTR)
            {
                return false;
            }
        }

        return true;
    }
}
