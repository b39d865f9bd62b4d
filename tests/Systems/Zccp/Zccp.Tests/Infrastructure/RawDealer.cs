using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Zccp.Protocol;
using Zproto.Runtime.Zmq;

namespace Zccp.Tests.Infrastructure;

/// <summary>A raw DEALER on the broker, as the 2014 selftests used: raw bytes or frames from the public codec out, exact frames in.</summary>
internal sealed class RawDealer : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    /// <summary>How long "nothing more arrives" is watched for (the selftests' 200 ms receive timeout).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private readonly ZmqSocket _socket;

    /// <summary>Connects; with <paramref name="keys"/> and <paramref name="serverKey"/> as a CURVE client.</summary>
    public RawDealer(ZmqContext context, string endpoint, ZmqCurveKeyPair? keys = null, string? serverKey = null, byte[]? routingId = null)
    {
        _socket = new ZmqSocket(context, ZmqSocketType.Dealer) { ReceiveTimeout = DefaultWait };
        if (routingId is not null)
            _socket.RoutingId = routingId;
        if (keys is not null)
        {
            _socket.CurveServerKey = serverKey ?? throw new ArgumentNullException(nameof(serverKey));
            _socket.CurvePublicKey = keys.PublicKey;
            _socket.CurveSecretKey = keys.SecretKey;
        }
        _socket.Connect(endpoint);
    }

    /// <summary>The frames of the last message received.</summary>
    public List<byte[]> LastFrames { get; private set; } = new();

    public void Send(ZccpMsg.Message message) => _socket.SendMultipart(ZccpMsg.EncodeFrames(message));

    public void SendRaw(params byte[][] frames) => _socket.SendMultipart(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray());

    /// <summary>The next message, or null when none arrives within <paramref name="wait"/>; PINGs are skipped unless <paramref name="keepPings"/>.</summary>
    public ZccpMsg.Message? Receive(TimeSpan? wait = null, bool keepPings = false)
    {
        _socket.ReceiveTimeout = wait ?? DefaultWait;
        while (true)
        {
            var frames = new List<byte[]>();
            if (!_socket.TryReceiveMultipart(frames))
                return null;
            LastFrames = frames;
            if (!ZccpMsg.TryDecode(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray(), out var message, out var error))
                throw new InvalidOperationException($"the broker sent a malformed message {Convert.ToHexString(frames[0])}: {error}");
            if (message is ZccpMsg.Ping && !keepPings)
                continue;
            return message;
        }
    }

    public T Expect<T>(TimeSpan? wait = null) where T : ZccpMsg.Message
    {
        var message = Receive(wait, keepPings: typeof(T) == typeof(ZccpMsg.Ping)) ?? throw new TimeoutException($"expected {typeof(T).Name}, got nothing");
        return message as T ?? throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {message.MessageName} ({Convert.ToHexString(LastFrames[0])})");
    }

    /// <summary>Expects a message whose frames are exactly <paramref name="hexFrames"/>.</summary>
    public void ExpectBytes(params string[] hexFrames)
    {
        _ = Receive(keepPings: hexFrames[0].Replace(" ", "") == "AAAA0A") ?? throw new TimeoutException($"expected {hexFrames[0]}, got nothing");
        Assert.Equal(hexFrames.Select(Bytes.Hex).ToArray(), LastFrames.ToArray());
    }

    /// <summary>Asserts nothing but PINGs arrives for <paramref name="wait"/>.</summary>
    public void ExpectSilence(TimeSpan? wait = null)
    {
        var message = Receive(wait ?? Quiet);
        Assert.True(message is null, $"expected nothing, got {message?.MessageName}");
    }

    public void Hello(string identifier)
    {
        Send(new ZccpMsg.Hello { Identifier = identifier });
        Expect<ZccpMsg.HelloOk>();
    }

    public void Subscribe(string expression)
    {
        Send(new ZccpMsg.Subscribe { Expression = expression });
        Expect<ZccpMsg.SubscribeOk>();
    }

    public void Publish(string address, params string[] content) =>
        Send(new ZccpMsg.Publish { Address = address, Content = content.Select(c => (ReadOnlyMemory<byte>)Bytes.Ascii(c)).ToArray() });

    public void Dispose() => _socket.Dispose();
}
