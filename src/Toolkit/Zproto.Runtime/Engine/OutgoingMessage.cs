using System;
using System.Collections.Generic;
using Zproto.Runtime.Zmq;
using Zproto.Wire;

namespace Zproto.Runtime.Engine;

/// <summary>
/// Encodes messages for sending with no per-message allocation: frame 0 into a buffer reused (and grown)
/// across sends, the extra frames into a reused list. A large frame 0 (a chunk, say) is encoded straight
/// into libzmq's memory instead, which saves the copy <c>zmq_send</c> makes of a managed buffer. Shared by
/// the server and client engines.
/// </summary>
internal sealed class OutgoingMessage<TProtocol, TMessage> : IDisposable
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
{
    // Below this zmq_send's copy costs less than allocating a native frame per message (libzmq
    // mallocs one either way past 33 bytes, but the managed buffer is reused and stays in cache).
    private const int NativeFrameThreshold = 8 * 1024;

    private readonly List<ReadOnlyMemory<byte>> _extraFrames = new();
    private readonly ZmqOutgoingFrame _native = new();
    private byte[] _buffer = new byte[4096];
    private int _length;
    private bool _isNative;

    /// <summary>Encodes <paramref name="message"/>; throws <see cref="EncodeException"/> when it cannot be encoded.</summary>
    public void Encode(TMessage message)
    {
        _length = TProtocol.GetEncodedLength(message);
        _native.Release();
        _isNative = _length >= NativeFrameThreshold;
        if (_isNative)
        {
            TProtocol.Encode(message, _native.Allocate(_length));
        }
        else
        {
            if (_buffer.Length < _length)
                _buffer = new byte[Math.Max(_length, _buffer.Length * 2)];
            TProtocol.Encode(message, _buffer);
        }
        _extraFrames.Clear();
        TProtocol.AddExtraFrames(message, _extraFrames);
    }

    /// <summary>The encoded frames as a copy that outlives the next <see cref="Encode"/> (frame 0 copied;
    /// the extra frames are the message's own memory, which the message does not change).</summary>
    public ReadOnlyMemory<byte>[] ToFrames()
    {
        var frames = new ReadOnlyMemory<byte>[1 + _extraFrames.Count];
        frames[0] = (_isNative ? _native.Span : _buffer.AsSpan(0, _length)).ToArray();
        for (var i = 0; i < _extraFrames.Count; i++)
            frames[i + 1] = _extraFrames[i];
        return frames;
    }

    /// <summary>Sends the encoded frames without blocking; false when the first frame could not be queued.
    /// May be called again for another peer until the next <see cref="Encode"/> or <see cref="Release"/>.</summary>
    public bool TrySend(ZmqSocket socket)
    {
        var more = _extraFrames.Count > 0;
        if (_isNative ? !_native.TrySend(socket, more, dontWait: true) : !socket.TrySend(_buffer.AsSpan(0, _length), more, dontWait: true))
            return false;
        // Once the first frame is queued, libzmq accepts the rest of the multipart message.
        for (var i = 0; i < _extraFrames.Count; i++)
            socket.TrySend(_extraFrames[i].Span, more: i < _extraFrames.Count - 1, dontWait: true);
        return true;
    }

    /// <summary>Lets go of a large frame 0 once every send of it is queued, so the engine does not hold it
    /// until the next message (libzmq keeps its own reference until the bytes are on the wire).</summary>
    public void Release() => _native.Release();

    /// <summary>Frees the native frame.</summary>
    public void Dispose() => _native.Dispose();
}
