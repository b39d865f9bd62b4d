using System;
using System.Runtime.InteropServices;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>Connection metadata of received messages (<c>zmq_msg_gets</c>).</summary>
public sealed partial class ZmqSocket
{
    private byte[] _userIdBytes = [];

    /// <summary>
    /// When true, each received message's <c>User-Id</c> property (what the ZAP handler answered for
    /// the connection it came in on; <see cref="ZmqAuthenticator"/> answers the client's CURVE public
    /// key in Z85) is read from its last frame into <see cref="PeerUserId"/>. Off by default: it
    /// costs a lookup per message.
    /// </summary>
    /// <remarks>The last frame, because a ROUTER's routing-id frame is made up by libzmq and, when
    /// zmq_poll prefetched the message, carries no metadata; every frame the peer sent does.</remarks>
    public bool ReadsUserId { get; set; }

    /// <summary>
    /// The <c>User-Id</c> of the last message received while <see cref="ReadsUserId"/> is on, or null
    /// when its connection has none (no ZAP handler, or a handler that answered no user id).
    /// </summary>
    public string? PeerUserId { get; private set; }

    internal unsafe void CaptureUserId(ZmqMsg* message)
    {
        byte* value;
        // u8 literals live in the assembly image, so nothing moves while libzmq reads the name.
        fixed (byte* property = "User-Id\0"u8)
        {
            value = LibZmq.zmq_msg_gets(message, property);
        }

        if (value is null)
        {
            PeerUserId = null;
            return;
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(value);
        // Consecutive messages mostly come from the same peer: reuse the string while the bytes match.
        if (PeerUserId is null || !bytes.SequenceEqual(_userIdBytes))
        {
            _userIdBytes = bytes.ToArray();
            PeerUserId = System.Text.Encoding.UTF8.GetString(bytes);
        }
    }
}
