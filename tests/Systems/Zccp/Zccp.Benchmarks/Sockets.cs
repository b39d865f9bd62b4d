using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Zccp.Protocol;
using Zccpd;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zccp.Benchmarks;

/// <summary>Raw ZCCP dialogues on DEALER sockets, so a benchmark measures the broker, not a client library.</summary>
internal static class Sockets
{
    /// <summary>Starts a broker on a free tcp port; server heartbeats off unless <paramref name="policy"/> says otherwise.</summary>
    public static ZccpServer StartBroker(ZmqContext context, BrokerPolicy? policy = null, ILogger<ZccpServer>? logger = null)
    {
        var server = new ZccpServer(new ServerOptions { Endpoints = { "tcp://127.0.0.1:*" }, Context = context }, logger, policy ?? new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero });
        server.Start();
        return server;
    }

    public static ZmqSocket Greeted(ZmqContext context, string endpoint, string identifier)
    {
        var socket = new ZmqSocket(context, ZmqSocketType.Dealer) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        socket.Connect(endpoint);
        socket.SendMultipart(ZccpMsg.EncodeFrames(new ZccpMsg.Hello { Identifier = identifier }));
        Expect<ZccpMsg.HelloOk>(socket);
        return socket;
    }

    public static void Subscribe(ZmqSocket socket, string expression, bool wait = true)
    {
        socket.SendMultipart(ZccpMsg.EncodeFrames(new ZccpMsg.Subscribe { Expression = expression }));
        if (wait)
            Expect<ZccpMsg.SubscribeOk>(socket);
    }

    public static T Expect<T>(ZmqSocket socket) where T : ZccpMsg.Message
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipart(frames))
            throw new TimeoutException($"expected {typeof(T).Name}");
        var memory = new ReadOnlyMemory<byte>[frames.Count];
        for (var i = 0; i < frames.Count; i++)
            memory[i] = frames[i];
        if (!ZccpMsg.TryDecode(memory, out var message, out var error))
            throw new InvalidOperationException(error.Message);
        return message as T ?? throw new InvalidOperationException($"expected {typeof(T).Name}, got {message.MessageName}");
    }

    /// <summary>Receives and discards <paramref name="count"/> messages (deliveries), without decoding.</summary>
    public static void Drain(ZmqSocket socket, int count, List<byte[]> scratch)
    {
        for (var i = 0; i < count; i++)
        {
            scratch.Clear();
            if (!socket.TryReceiveMultipart(scratch))
                throw new TimeoutException($"received {i} of {count}");
        }
    }
}
