using System;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// A libzmq call failed. Carries libzmq's errno and, in the message, the operation and
/// <c>zmq_strerror</c>'s text, e.g. <c>Bind to 'foo://x' failed: Protocol not supported (errno 93)</c>.
/// </summary>
public class ZmqException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    /// <param name="errno">libzmq's errno for the failure.</param>
    /// <param name="message">The complete message.</param>
    public ZmqException(int errno, string message)
        : base(message)
    {
        Errno = errno;
    }

    /// <summary>libzmq's errno for the failure: a system errno (platform-specific values) or one of
    /// libzmq's own codes above 156384712 (ETERM, EFSM, ...).</summary>
    public int Errno { get; }

    /// <summary>The exception for <paramref name="errno"/>: <see cref="ZmqContextTerminatedException"/>
    /// for ETERM, otherwise <see cref="ZmqException"/>.</summary>
    internal static ZmqException FromErrno(int errno, string operation)
    {
        string message = $"{operation} failed: {LibZmq.StrError(errno)} (errno {errno})";
        return errno == ZmqErrno.ETERM
            ? new ZmqContextTerminatedException(message)
            : new ZmqException(errno, message);
    }
}
