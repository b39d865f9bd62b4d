using System;
using System.Runtime.InteropServices;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// A multipart message received in place: every frame stays in libzmq's own memory (its
/// <c>zmq_msg_t</c>, read through <c>zmq_msg_data</c>) and is read through spans, with no managed copy
/// and no allocation per message, until <see cref="Release"/> or the next <see cref="TryReceive"/>.
/// </summary>
/// <remarks>
/// <para><b>Lifetime.</b> A span from the indexer and a memory from <see cref="Lend"/> point into libzmq's
/// memory and are valid only until the frames are released (by <see cref="Release"/>, the next receive or
/// <see cref="Dispose"/>). Whatever must outlive that is copied first (<see cref="ToArray"/>). A lent
/// memory used after the release throws (its length is gone) unless the slot already holds a new frame,
/// so keeping one is a bug, never a read of freed memory.</para>
/// <para>One owner thread, like the socket it reads. Disposing releases the native memory; a buffer that is
/// never disposed releases it in its finalizer.</para>
/// </remarks>
public sealed unsafe class ZmqMessageBuffer : IDisposable
{
    private const int InitialCapacity = 4;
    // A message with many frames grows the slot array; past this it shrinks back on release, so one
    // huge multipart message does not pin native memory for the life of the receiver.
    private const int RetainedCapacity = 64;

    private ZmqMsg* _slots;
    private Frame[] _frames;
    private int _capacity;
    private int _count;

    /// <summary>Creates an empty buffer.</summary>
    public ZmqMessageBuffer()
    {
        ZmqLibrary.EnsureAvailable();
        _frames = new Frame[InitialCapacity];
        _slots = Allocate(InitialCapacity);
        _capacity = InitialCapacity;
    }

    /// <summary>Releases the frames if <see cref="Dispose"/> was never called.</summary>
    ~ZmqMessageBuffer() => Free();

    /// <summary>Frames held (the whole message unless <see cref="IsTruncated"/>).</summary>
    public int Count => _count;

    /// <summary>Octets of the whole message last received, held or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>True when the last message was larger than the receive's limit: the frames that crossed
    /// it were taken from libzmq and released unread, and only the ones before are held.</summary>
    public bool IsTruncated { get; private set; }

    /// <summary>Frame <paramref name="index"/>'s bytes in libzmq's memory, valid until the frames are released.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ref var frame = ref FrameAt(index);
            return new ReadOnlySpan<byte>((void*)frame.Data, frame.Size);
        }
    }

    /// <summary>
    /// Frame <paramref name="index"/> as memory, for APIs that take <see cref="ReadOnlyMemory{T}"/>
    /// (e.g. a codec's frame list). It is lent, not given: valid until the frames are released, so
    /// the callee must copy whatever it keeps.
    /// </summary>
    public ReadOnlyMemory<byte> Lend(int index)
    {
        ref var frame = ref FrameAt(index);
        if (frame.Size == 0)
            return ReadOnlyMemory<byte>.Empty;
        var memory = frame.Memory ??= new NativeFrameMemory();
        memory.Point(frame.Data, frame.Size);
        return memory.Memory;
    }

    /// <summary>A copy of frame <paramref name="index"/> that the caller owns.</summary>
    public byte[] ToArray(int index) => this[index].ToArray();

    /// <summary>
    /// Releases the frames held, then receives the next whole message into this buffer.
    /// </summary>
    /// <param name="socket">The socket to read, on its owner thread.</param>
    /// <param name="dontWait">Return <see langword="false"/> at once if no message is waiting.</param>
    /// <param name="maxBytes">Above 0: hold at most this many octets of frames; the frame that crosses it
    /// and every later one are taken from libzmq and released unread (see <see cref="IsTruncated"/>), so a
    /// huge multipart message costs nothing here. A frame larger than an array can hold is never held.</param>
    /// <returns><see langword="false"/> if no message arrived without blocking, or within
    /// <see cref="ZmqSocket.ReceiveTimeout"/>; the buffer is then empty.</returns>
    /// <exception cref="ZmqException">libzmq failed the receive.</exception>
    public bool TryReceive(ZmqSocket socket, bool dontWait = false, long maxBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ObjectDisposedException.ThrowIf(_slots is null, this);
        Release();
        TotalBytes = 0;
        IsTruncated = false;
        // Throws on a disposed socket, once, before the first frame.
        _ = socket.Handle;
        var flags = dontWait ? ZmqSendReceiveFlags.DontWait : ZmqSendReceiveFlags.None;
        var more = true;
        for (var index = 0; more; index++)
        {
            if (_count == _capacity)
                Grow();
            var slot = _slots + _count;
            // zmq_msg_init cannot fail: it only clears the struct.
            _ = LibZmq.zmq_msg_init(slot);
            if (!socket.TryReceiveInto(slot, flags))
            {
                _ = LibZmq.zmq_msg_close(slot);
                if (index == 0)
                    return false;
                // libzmq hands over a message only once all of its frames have arrived.
                Release();
                throw ZmqException.FromErrno(ZmqErrno.EAGAIN, $"Receiving frame {index} of a message");
            }
            var size = (long)LibZmq.zmq_msg_size(slot);
            more = LibZmq.zmq_msg_more(slot) != 0;
            // The metadata lives in the message: read it before the last frame can be closed below.
            if (!more && socket.ReadsUserId)
                socket.CaptureUserId(slot);
            TotalBytes += size;
            // Once one frame is not held, none after it is: the frames held are always a prefix.
            IsTruncated |= size > Array.MaxLength || (maxBytes > 0 && TotalBytes > maxBytes);
            if (IsTruncated)
            {
                _ = LibZmq.zmq_msg_close(slot);
            }
            else
            {
                _frames[_count].Data = (nint)LibZmq.zmq_msg_data(slot);
                _frames[_count].Size = (int)size;
                _count++;
            }
            flags = ZmqSendReceiveFlags.None;
        }
        return true;
    }

    /// <summary>Releases the frames held (their memory goes back to libzmq); spans and lent memories of them become invalid.</summary>
    public void Release()
    {
        for (var i = 0; i < _count; i++)
        {
            _ = LibZmq.zmq_msg_close(_slots + i);
            _frames[i].Memory?.Point(0, 0);
        }
        _count = 0;
        if (_capacity > RetainedCapacity)
        {
            NativeMemory.AlignedFree(_slots);
            _slots = Allocate(InitialCapacity);
            _capacity = InitialCapacity;
            Array.Resize(ref _frames, InitialCapacity);
        }
    }

    /// <summary>Releases the frames and the native slots. Idempotent.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_slots is null)
            return;
        for (var i = 0; i < _count; i++)
            _ = LibZmq.zmq_msg_close(_slots + i);
        _count = 0;
        NativeMemory.AlignedFree(_slots);
        _slots = null;
        _capacity = 0;
    }

    private ref Frame FrameAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        return ref _frames[index];
    }

    /// <summary>Doubles the slots. zmq_msg_t must not be moved while open (a small frame's bytes live
    /// inside it), so the open ones are handed over with zmq_msg_move, and their data pointers re-read.</summary>
    private void Grow()
    {
        var capacity = _capacity * 2;
        var slots = Allocate(capacity);
        for (var i = 0; i < _count; i++)
        {
            _ = LibZmq.zmq_msg_init(slots + i);
            _ = LibZmq.zmq_msg_move(slots + i, _slots + i);
            _ = LibZmq.zmq_msg_close(_slots + i);
            _frames[i].Data = (nint)LibZmq.zmq_msg_data(slots + i);
            _frames[i].Memory?.Point(_frames[i].Data, _frames[i].Size);
        }
        NativeMemory.AlignedFree(_slots);
        _slots = slots;
        _capacity = capacity;
        Array.Resize(ref _frames, capacity);
    }

    private static ZmqMsg* Allocate(int count) => (ZmqMsg*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(ZmqMsg)), 8);

    private struct Frame
    {
        public nint Data;
        public int Size;
        // Made on the first Lend of this slot and reused, so lending allocates once per slot, not per frame.
        public NativeFrameMemory? Memory;
    }
}
