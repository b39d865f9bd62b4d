using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace Zproto.Wire;

/// <summary>
/// What a generated zproto codec offers to transport code (servers, clients, the CLI) that is
/// generic over the protocol. Implemented by every generated protocol class for frame protocols.
/// </summary>
/// <typeparam name="TMessage">The protocol's message base record.</typeparam>
public interface IFrameProtocol<TMessage> where TMessage : class
{
    /// <summary>Decodes a whole message from its frames (routing id not included).</summary>
    static abstract bool TryDecode(IReadOnlyList<ReadOnlyMemory<byte>> frames, [NotNullWhen(true)] out TMessage? message, out DecodeError error);

    /// <summary>Octets in frame 0 of <paramref name="message"/>; throws <see cref="EncodeException"/> when it cannot be encoded.</summary>
    static abstract int GetEncodedLength(TMessage message);

    /// <summary>Writes frame 0 into <paramref name="destination"/> and returns the octets written.</summary>
    static abstract int Encode(TMessage message, Span<byte> destination);

    /// <summary>Appends the frames after frame 0 (<c>frame</c> and <c>msg</c> fields), if any.</summary>
    static abstract void AddExtraFrames(TMessage message, ICollection<ReadOnlyMemory<byte>> frames);

    /// <summary>The message name for logs (e.g. <c>READ-OK</c>).</summary>
    static abstract string GetName(TMessage message);

    /// <summary>The model's <c>max_size</c> in octets (the largest frame a peer may send; a whole datagram in
    /// datagram framing), or 0 when the model states none. Servers use it as their default <c>ZMQ_MAXMSGSIZE</c>.</summary>
    static virtual int MaxSize => 0;

    /// <summary>
    /// True when decoded messages keep views into frame 0's memory (a model with <c>strings = "utf8"</c>).
    /// A receiver that lends frame 0 only for the duration of <see cref="TryDecode"/> (the runtime reads
    /// it in place in libzmq's message) must then hand the codec a copy the message may own.
    /// </summary>
    static virtual bool ValuesShareFrameZero => false;
}
