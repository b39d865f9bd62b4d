using System.Runtime.InteropServices;

namespace Zproto.Runtime.Zmq.Interop;

/// <summary>
/// libzmq's <c>zmq_pollitem_t</c>. The fd member is an <c>int</c> on Unix and a pointer-sized
/// <c>SOCKET</c> on Windows, which moves the event fields; <typeparamref name="TFd"/> picks the
/// layout so one poll routine serves both.
/// </summary>
/// <typeparam name="TFd"><see cref="int"/> on Unix, <see cref="nint"/> on Windows.</typeparam>
[StructLayout(LayoutKind.Sequential)]
internal struct ZmqPollItem<TFd>
    where TFd : unmanaged
{
    /// <summary>The socket to poll (raw pointer; the caller keeps its SafeHandle referenced).</summary>
    public nint Socket;

    /// <summary>A plain file descriptor to poll; ignored when <see cref="Socket"/> is set.</summary>
    public TFd Fd;

    /// <summary>The events to wait for.</summary>
    public ZmqPollEvents Events;

    /// <summary>The events that occurred, written by zmq_poll.</summary>
    public ZmqPollEvents ReturnedEvents;
}
