using System;
using System.Collections.Generic;
using System.Reflection;
using Zproto.Cli.Json;
using Zproto.Model.Specs;
using Zproto.Wire;

namespace Zproto.Cli;

/// <summary>
/// The codec of one protocol, reached by reflection over the class <see cref="CodecCompiler"/>
/// compiled from the generated source. Frame and datagram protocols use their
/// <see cref="IFrameProtocol{TMessage}"/> members; text-frame protocols have one
/// <c>EncodeFrames</c>/<c>TryDecode{Message}</c> pair per message.
/// </summary>
internal sealed class ProtocolCodec
{
    private ProtocolCodec(ProtocolSpec spec, Type protocol)
    {
        Spec = spec;
        Protocol = protocol;
    }

    /// <summary>The model.</summary>
    public ProtocolSpec Spec { get; }

    /// <summary>The generated protocol class.</summary>
    public Type Protocol { get; }

    /// <summary>True for text-frame protocols (per-message decoders, long or short tags).</summary>
    public bool IsText => Spec.Framing == Framing.TextFrames;

    /// <summary>Compiles (or takes from the cache) the codec of <paramref name="spec"/>.</summary>
    public static ProtocolCodec For(ProtocolSpec spec) => new(spec, CodecCompiler.Load(spec));

    /// <summary>The message record types in model order.</summary>
    public IReadOnlyList<Type> MessageTypes()
    {
        var result = new List<Type>();
        foreach (var message in Spec.Messages)
        {
            if (MessageJson.MessageTypes(Protocol).TryGetValue(FieldNames.Key(message.Name), out var type))
                result.Add(type);
        }
        return result;
    }

    /// <summary>Encodes <paramref name="message"/>; <paramref name="shortTags"/> picks the tag style of a text-frame protocol.</summary>
    /// <exception cref="CliException">The message cannot be encoded (e.g. a string over 255 octets).</exception>
    public ReadOnlyMemory<byte>[] Encode(object message, bool shortTags)
    {
        if (!IsText)
        {
            var method = Protocol.GetMethod("EncodeFrames", BindingFlags.Public | BindingFlags.Static, [Protocol.GetNestedType("Message")!])
                ?? throw Missing("EncodeFrames(Message)");
            return (ReadOnlyMemory<byte>[])Invoke(method, [message])!;
        }
        var tagStyle = Protocol.GetNestedType("TagStyle") ?? throw Missing("TagStyle");
        var encode = Protocol.GetMethod("EncodeFrames", BindingFlags.Public | BindingFlags.Static, [message.GetType(), tagStyle])
            ?? throw Missing($"EncodeFrames({message.GetType().Name}, TagStyle)");
        return (ReadOnlyMemory<byte>[])Invoke(encode, [message, Enum.Parse(tagStyle, shortTags ? "Short" : "Long")])!;
    }

    /// <summary>
    /// Decodes <paramref name="frames"/>. A text-frame protocol tries each message's decoder in model
    /// order (or only <paramref name="messageType"/>'s); when none accepts the frames, the error is
    /// that of the decoder that got furthest, prefixed with its message name.
    /// </summary>
    public bool TryDecode(IReadOnlyList<ReadOnlyMemory<byte>> frames, Type? messageType, out object? message, out string error)
    {
        if (!IsText)
        {
            var messageBase = Protocol.GetNestedType("Message") ?? throw Missing("Message");
            var method = Protocol.GetMethod("TryDecode", BindingFlags.Public | BindingFlags.Static,
                [typeof(IReadOnlyList<ReadOnlyMemory<byte>>), messageBase.MakeByRefType(), typeof(DecodeError).MakeByRefType()])
                ?? throw Missing("TryDecode(frames, out Message, out DecodeError)");
            var ok = Call(method, frames, out message, out var decodeError);
            error = ok ? "" : decodeError.Message;
            return ok;
        }

        DecodeError? furthest = null;
        var furthestName = "";
        IReadOnlyList<Type> candidates = messageType is null ? MessageTypes() : [messageType];
        foreach (var type in candidates)
        {
            var method = Protocol.GetMethod("TryDecode" + type.Name, BindingFlags.Public | BindingFlags.Static,
                [typeof(IReadOnlyList<ReadOnlyMemory<byte>>), type.MakeByRefType(), typeof(DecodeError).MakeByRefType()])
                ?? throw Missing($"TryDecode{type.Name}");
            if (Call(method, frames, out message, out var decodeError))
            {
                error = "";
                return true;
            }
            if (furthest is not { } best || (decodeError.Frame, decodeError.Offset).CompareTo((best.Frame, best.Offset)) > 0)
            {
                furthest = decodeError;
                furthestName = type.GetCustomAttribute<ZprotoMessageAttribute>()?.Name ?? type.Name;
            }
        }
        message = null;
        error = furthest is { } e ? $"{furthestName}: {e.Message}" : "the protocol has no messages";
        return false;
    }

    private static bool Call(MethodInfo method, IReadOnlyList<ReadOnlyMemory<byte>> frames, out object? message, out DecodeError error)
    {
        var args = new object?[] { frames, null, null };
        var ok = (bool)Invoke(method, args)!;
        message = args[1];
        error = args[2] is DecodeError e ? e : default;
        return ok;
    }

    private static object? Invoke(MethodInfo method, object?[] args)
    {
        try
        {
            return method.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is EncodeException encode)
        {
            throw new CliException(encode.Message);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new CliException(e.InnerException.Message);
        }
    }

    private CliException Missing(string member) =>
        new($"internal error: the generated class {Protocol.Name} has no {member}");
}
