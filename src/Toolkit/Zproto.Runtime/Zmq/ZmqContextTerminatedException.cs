using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// The socket's <see cref="ZmqContext"/> was disposed (libzmq's ETERM). Not a fault: it is how a
/// blocked or later call on the owner thread learns that the runtime is shutting down. Catch it,
/// dispose the socket and leave the loop; the context finishes terminating once its last socket
/// is disposed.
/// </summary>
public sealed class ZmqContextTerminatedException : ZmqException
{
    /// <summary>Creates the exception with a complete message.</summary>
    public ZmqContextTerminatedException(string message)
        : base(ZmqErrno.ETERM, message)
    {
    }
}
