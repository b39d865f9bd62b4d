using System.Runtime.InteropServices;

namespace Zproto.Runtime.Zmq.Interop;

/// <summary>
/// libzmq's opaque <c>zmq_msg_t</c>: 64 bytes, pointer-aligned (the <c>ulong</c> elements give it
/// 8-byte alignment). Small messages keep their content inside the struct, so it must not move
/// while initialised: it lives either as a local of the method that initialises and closes it, or in
/// <see cref="ZmqMessageBuffer"/>'s native slots.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZmqMsg
{
    private fixed ulong _storage[8];
}
