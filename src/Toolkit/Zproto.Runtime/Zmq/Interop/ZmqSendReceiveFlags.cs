using System;

namespace Zproto.Runtime.Zmq.Interop;

/// <summary>Flags for zmq_send and zmq_msg_recv (values from zmq.h).</summary>
[Flags]
internal enum ZmqSendReceiveFlags
{
    None = 0,
    DontWait = 1,
    SendMore = 2,
}
