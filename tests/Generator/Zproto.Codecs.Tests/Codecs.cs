using System;
using System.Collections.Generic;
using System.Reflection;
using Zproto.Wire;

namespace Zproto.Codecs.Tests;

/// <summary>Calls a generated frame protocol's static codec through its IFrameProtocol contract.</summary>
internal static class Codecs
{
    public static ReadOnlyMemory<byte>[] EncodeFrames(Type protocol, object message) =>
        (ReadOnlyMemory<byte>[])protocol.GetMethod("EncodeFrames", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [message])!;

    public static bool TryDecode(Type protocol, IReadOnlyList<ReadOnlyMemory<byte>> frames, out object? message, out DecodeError error)
    {
        var method = protocol.GetMethod("TryDecode", BindingFlags.Public | BindingFlags.Static, [typeof(IReadOnlyList<ReadOnlyMemory<byte>>), protocol.GetNestedType("Message")!.MakeByRefType(), typeof(DecodeError).MakeByRefType()])!;
        var args = new object?[] { frames, null, null };
        var ok = (bool)method.Invoke(null, args)!;
        message = args[1];
        error = (DecodeError)args[2]!;
        return ok;
    }
}
