using System;

namespace Zproto.Runtime.Zmq;

/// <summary>Socket readiness, as used by <see cref="ZmqPoller"/> and <see cref="ZmqSocket.Events"/>
/// (values from zmq.h; 16-bit to match <c>zmq_pollitem_t</c>).</summary>
[Flags]
public enum ZmqPollEvents : short
{
    /// <summary>No event.</summary>
    None = 0,
    /// <summary>At least one message can be received without blocking.</summary>
    In = 1,
    /// <summary>At least one message can be sent without blocking.</summary>
    Out = 2,
    /// <summary>An error condition on a plain file descriptor (never set for libzmq sockets).</summary>
    Error = 4,
}
