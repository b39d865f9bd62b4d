using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Zp.Client;
using Zp.Client.Codec;
using Zproto.Runtime.Zmq;

namespace Zp.Tests.Infrastructure;

/// <summary>A raw CURVE DEALER on zpd: sends codec messages or raw bytes and checks each reply is one frame.</summary>
internal sealed class RawDealer : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _socket;

    public RawDealer(ZpdProcess zpd)
    {
        var keys = KeyFiles.Load(zpd.IdentityDirectory);
        _socket = new ZmqSocket(_context, ZmqSocketType.Dealer)
        {
            ReceiveTimeout = DefaultWait,
            Linger = TimeSpan.Zero,
            CurveServerKey = zpd.ServerKey,
            CurvePublicKey = keys.PublicKey,
            CurveSecretKey = keys.SecretKey,
        };
        _socket.Connect(zpd.Endpoint);
    }

    /// <summary>The bytes of the last frame received.</summary>
    public byte[] LastFrame { get; private set; } = Array.Empty<byte>();

    public void Send(ZpMsg.Message message) => _socket.SendMultipart(ZpMsg.EncodeFrames(message));

    public void SendRaw(params byte[][] frames) => _socket.SendMultipart(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray());

    /// <summary>The next reply, or null when none arrives within <paramref name="wait"/>.</summary>
    public ZpMsg.Message? Receive(TimeSpan? wait = null)
    {
        _socket.ReceiveTimeout = wait ?? DefaultWait;
        var frames = new List<byte[]>();
        if (!_socket.TryReceiveMultipart(frames))
            return null;
        Assert.Single(frames);
        LastFrame = frames[0];
        if (!ZpMsg.TryDecode(frames[0], out var message, out var error))
            throw new InvalidOperationException($"zpd sent a malformed frame {Convert.ToHexString(frames[0])}: {error}");
        return message;
    }

    public T Expect<T>(TimeSpan? wait = null) where T : ZpMsg.Message
    {
        var message = Receive(wait) ?? throw new TimeoutException($"expected {typeof(T).Name}, got nothing");
        return message as T ?? throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {message.GetType().Name} ({Convert.ToHexString(LastFrame)})");
    }

    /// <summary>Opens a session as the test user.</summary>
    public void Open(string clientId)
    {
        Send(new ZpMsg.SessionOpen { ClientId = clientId, User = ZpdProcess.User });
        Assert.Equal(200, Expect<ZpMsg.Ok>().Code);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _context.Dispose();
    }
}

/// <summary>Hex helpers for byte-exact assertions.</summary>
internal static class Hex
{
    public static byte[] Parse(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));
}
