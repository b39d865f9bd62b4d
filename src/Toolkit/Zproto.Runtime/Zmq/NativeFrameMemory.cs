using System;
using System.Buffers;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// Lets a frame held in libzmq's memory travel as a <see cref="Memory{T}"/>. One instance per
/// <see cref="ZmqMessageBuffer"/> slot, re-pointed at each frame the slot receives and at nothing once
/// it is released, so a memory kept past its frame's release throws on use instead of reading freed memory.
/// </summary>
internal sealed unsafe class NativeFrameMemory : MemoryManager<byte>
{
    private byte* _data;
    private int _length;

    /// <summary>Points the manager at <paramref name="length"/> octets at <paramref name="data"/> (0, 0: at nothing).</summary>
    public void Point(nint data, int length)
    {
        _data = (byte*)data;
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_data, _length);

    // The memory is native and never moves: pinning is just handing out the address.
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_data + elementIndex);
    }

    public override void Unpin()
    {
    }

    // Nothing to free: the bytes belong to the zmq_msg_t, which the buffer closes.
    protected override void Dispose(bool disposing)
    {
    }
}
