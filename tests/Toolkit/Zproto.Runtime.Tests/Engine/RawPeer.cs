using System;
using System.Collections.Generic;
using System.Linq;
using Zproto.Echo;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>A raw DEALER speaking the echo protocol through the generated codec, for byte-level tests.</summary>
internal sealed class RawPeer : IDisposable
{
    private readonly ZmqSocket _socket;

    public RawPeer(ZmqContext context, string endpoint)
    {
        _socket = new ZmqSocket(context, ZmqSocketType.Dealer) { ReceiveTimeout = TimeSpan.FromSeconds(5) };
        _socket.Connect(endpoint);
    }

    public void Send(EchoMsg.Message message) => _socket.SendMultipart(EchoMsg.EncodeFrames(message));

    public void SendRaw(params byte[][] frames) => _socket.SendMultipart(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray());

    /// <summary>The next message, or null when none arrives within <paramref name="wait"/>.</summary>
    public EchoMsg.Message? Receive(TimeSpan? wait = null)
    {
        _socket.ReceiveTimeout = wait ?? TimeSpan.FromSeconds(5);
        var frames = new List<byte[]>();
        if (!_socket.TryReceiveMultipart(frames))
            return null;
        if (!EchoMsg.TryDecode(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray(), out var message, out var error))
            throw new InvalidOperationException("server sent a malformed message: " + error);
        return message;
    }

    public T Expect<T>(TimeSpan? wait = null) where T : EchoMsg.Message
    {
        var message = Receive(wait) ?? throw new TimeoutException($"expected {typeof(T).Name}, got nothing");
        return message as T ?? throw new InvalidOperationException($"expected {typeof(T).Name}, got {message.MessageName}");
    }

    public void Dispose() => _socket.Dispose();
}
