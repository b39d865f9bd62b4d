using System;
using System.Collections.Generic;
using System.IO;
using Zpipes.Protocol;
using Zproto.Runtime.Zmq;

namespace Zproto.Soak;

/// <summary>A raw ZPIPES peer: a DEALER that sends encoded messages and decodes the replies, so a
/// test can pipeline requests far beyond what a client library would.</summary>
public sealed class PipeDealer : IDisposable
{
    private readonly ZmqSocket _socket;
    private readonly List<byte[]> _frames = new();

    /// <summary>Connects to <paramref name="endpoint"/>; nothing it sends is ever held back on this side.
    /// <paramref name="receiveHighWatermark"/> bounds what libzmq takes in for it while it does not read.</summary>
    public PipeDealer(ZmqContext context, string endpoint, int receiveHighWatermark = 1000)
    {
        _socket = new ZmqSocket(context, ZmqSocketType.Dealer)
        {
            ReceiveTimeout = TimeSpan.FromSeconds(30),
            SendHighWatermark = 0,
            ReceiveHighWatermark = receiveHighWatermark,
        };
        _socket.Connect(endpoint);
    }

    /// <summary>Opens <paramref name="pipe"/> for writing (OUTPUT, then OUTPUT-OK).</summary>
    public void OpenWriter(string pipe)
    {
        Send(new ZpipesMsg.Output { Pipename = pipe });
        Expect<ZpipesMsg.OutputOk>();
    }

    /// <summary>Opens <paramref name="pipe"/> for reading (INPUT, then INPUT-OK).</summary>
    public void OpenReader(string pipe)
    {
        Send(new ZpipesMsg.Input { Pipename = pipe });
        Expect<ZpipesMsg.InputOk>();
    }

    /// <summary>Sends one message.</summary>
    public void Send(ZpipesMsg.Message message) => _socket.SendMultipart(ZpipesMsg.EncodeFrames(message));

    /// <summary>The next reply; throws when none arrives within <paramref name="wait"/> (default 30 s).</summary>
    public ZpipesMsg.Message Receive(TimeSpan? wait = null) =>
        TryReceive(wait ?? TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("no reply from the broker");

    /// <summary>The next reply, or null when none arrives within <paramref name="wait"/>.</summary>
    /// <exception cref="InvalidDataException">The broker sent a frame that does not decode.</exception>
    public ZpipesMsg.Message? TryReceive(TimeSpan wait)
    {
        _socket.ReceiveTimeout = wait;
        if (!_socket.TryReceiveMultipart(_frames))
            return null;
        if (!ZpipesMsg.TryDecode(_frames[0], out var message, out var error))
            throw new InvalidDataException($"the broker sent a malformed reply: {error.Message}");
        return message;
    }

    /// <summary>The next reply as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">The reply is another message.</exception>
    public T Expect<T>(TimeSpan? wait = null) where T : ZpipesMsg.Message
    {
        var message = Receive(wait);
        return message as T ?? throw new InvalidDataException($"expected {typeof(T).Name}, got {message.MessageName}");
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();
}
