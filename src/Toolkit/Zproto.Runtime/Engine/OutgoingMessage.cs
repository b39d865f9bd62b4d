using System;
using System.Collections.Generic;
using Zproto.Runtime.Zmq;
using Zproto.Wire;

namespace Zproto.Runtime.Engine;

/// <summary>
/// Encodes messages for sending with no per-message allocation: frame 0 into a buffer reused (and grown)
/// across sends, the extra frames into a reused list. Shared by the server and client engines.
/// </summary>
internal sealed class OutgoingMessage<TProtocol, TMessage>
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
{
    private readonly List<ReadOnlyMemory<byte>> _extraFrames = new();
    private byte[] _buffer = new byte[4096];
    private int _length;

    /// <summary>Encodes <paramref name="message"/>; throws <see cref="EncodeException"/> when it cannot be encoded.</summary>
    public void Encode(TMessage message)
    {
        _length = TProtocol.GetEncodedLength(message);
        if (_buffer.Length < _length)
            _buffer = new byte[Math.Max(_length, _buffer.Length * 2)];
        TProtocol.Encode(message, _buffer);
        _extraFrames.Clear();
        TProtocol.AddExtraFrames(message, _extraFrames);
    }

    /// <summary>The encoded frames as a copy that outlives the next <see cref="Encode"/> (frame 0 copied;
    /// the extra frames are the message's own memory, which the message does not change).</summary>
    public ReadOnlyMemory<byte>[] ToFrames()
    {
        var frames = new ReadOnlyMemory<byte>[1 + _extraFrames.Count];
        frames[0] = _buffer.AsSpan(0, _length).ToArray();
        for (var i = 0; i < _extraFrames.Count; i++)
            frames[i + 1] = _extraFrames[i];
        return frames;
    }

    /// <summary>Sends the encoded frames without blocking; false when the first frame could not be queued.</summary>
    public bool TrySend(ZmqSocket socket)
    {
        if (!socket.TrySend(_buffer.AsSpan(0, _length), more: _extraFrames.Count > 0, dontWait: true))
            return false;
        // Once the first frame is queued, libzmq accepts the rest of the multipart message.
        for (var i = 0; i < _extraFrames.Count; i++)
            socket.TrySend(_extraFrames[i].Span, more: i < _extraFrames.Count - 1, dontWait: true);
        return true;
    }
}
