using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Zproto.Wire;

namespace Remctl.Protocol;

// The generated text-frames codec has a decoder per direction and no common message type; the
// engine (ZprotoServer, ZprotoClient) speaks IFrameProtocol over one message type. This part adds
// both: Request and Reply share Message, and the first frame picks the decoder, because ARGUMENT (A)
// starts every request and never a reply. Within a message, parsing stays direction-aware and
// positional (E is ENVIRONMENT in a request, ERRORCODE in a reply).
public sealed partial class RemctlMsg : IFrameProtocol<RemctlMsg.Message>
{
    /// <summary>The messages of the protocol, for the state machines' events.</summary>
    public enum MessageId
    {
        /// <summary>A command, remctld to backend.</summary>
        Request,

        /// <summary>Its output and status, backend to remctld.</summary>
        Reply,
    }

    /// <summary>A request or a reply.</summary>
    public abstract record Message
    {
        /// <summary>Which message this is.</summary>
        public abstract MessageId MessageId { get; }

        /// <summary>How the message's tags are spelled when it is sent. Not part of its value: a
        /// decoded message reads Long whatever it was sent with.</summary>
        public TagStyle Tags { get; init; } = TagStyle.Long;
    }

    public sealed partial record Request : Message
    {
        /// <inheritdoc />
        public override MessageId MessageId => MessageId.Request;
    }

    public sealed partial record Reply : Message
    {
        /// <inheritdoc />
        public override MessageId MessageId => MessageId.Reply;
    }

    static bool IFrameProtocol<Message>.TryDecode(IReadOnlyList<ReadOnlyMemory<byte>> frames, [NotNullWhen(true)] out Message? message, out DecodeError error)
    {
        message = null;
        if (frames.Count > 0 && IsArgumentTag(frames[0].Span))
        {
            if (!TryDecodeRequest(frames, out var request, out error))
                return false;
            message = request;
            return true;
        }
        if (!TryDecodeReply(frames, out var reply, out error))
            return false;
        message = reply;
        return true;
    }

    static int IFrameProtocol<Message>.GetEncodedLength(Message message) => FirstTag(message).Length;

    static int IFrameProtocol<Message>.Encode(Message message, Span<byte> destination)
    {
        var tag = FirstTag(message);
        tag.CopyTo(destination);
        return tag.Length;
    }

    static void IFrameProtocol<Message>.AddExtraFrames(Message message, ICollection<ReadOnlyMemory<byte>> frames)
    {
        // The engine sends frame 0 (the first tag) itself; the rest follow it.
        var all = new List<ReadOnlyMemory<byte>>();
        AddAllFrames(message, all);
        for (var i = 1; i < all.Count; i++)
            frames.Add(all[i]);
    }

    static string IFrameProtocol<Message>.GetName(Message message) => message switch
    {
        Request => "REQUEST",
        _ => "REPLY",
    };

    private static bool IsArgumentTag(ReadOnlySpan<byte> tag) => tag.SequenceEqual("ARGUMENT"u8) || tag.SequenceEqual("A"u8);

    private static void AddAllFrames(Message message, ICollection<ReadOnlyMemory<byte>> frames)
    {
        switch (message)
        {
            case Request request:
                AddFrames(request, frames, request.Tags);
                break;
            case Reply reply:
                AddFrames(reply, frames, reply.Tags);
                break;
            default:
                throw new EncodeException("message", $"{message.GetType().Name} is not a remctl message");
        }
    }

    private static ReadOnlySpan<byte> FirstTag(Message message)
    {
        var useShort = message.Tags == TagStyle.Short;
        return message switch
        {
            Request => useShort ? "A"u8 : "ARGUMENT"u8,
            Reply { Output.Count: > 0 } => useShort ? "O"u8 : "OUTPUT"u8,
            Reply { Status: Reply.ErrorCode } => useShort ? "E"u8 : "ERRORCODE"u8,
            Reply => useShort ? "R"u8 : "RETURNCODE"u8,
            _ => throw new EncodeException("message", $"{message.GetType().Name} is not a remctl message"),
        };
    }
}
