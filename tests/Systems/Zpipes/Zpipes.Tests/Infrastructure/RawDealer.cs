using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Zpipes.Protocol;
using Zproto.Runtime.Zmq;

namespace Zpipes.Tests.Infrastructure;

/// <summary>
/// A raw DEALER on the broker, as the 2014 selftests used: it sends frames built by the public
/// codec (Zpipes.Protocol) or raw bytes, and checks each reply is exactly one frame.
/// </summary>
internal sealed class RawDealer : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);
    private readonly ZmqSocket _socket;

    public RawDealer(ZmqContext context, string endpoint)
    {
        _socket = new ZmqSocket(context, ZmqSocketType.Dealer) { ReceiveTimeout = DefaultWait };
        _socket.Connect(endpoint);
    }

    /// <summary>The bytes of the last frame received.</summary>
    public byte[] LastFrame { get; private set; } = Array.Empty<byte>();

    public void Send(ZpipesMsg.Message message) => _socket.SendMultipart(ZpipesMsg.EncodeFrames(message));

    public void SendRaw(params byte[][] frames) => _socket.SendMultipart(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray());

    /// <summary>The next reply, or null when none arrives within <paramref name="wait"/>.</summary>
    public ZpipesMsg.Message? Receive(TimeSpan? wait = null)
    {
        _socket.ReceiveTimeout = wait ?? DefaultWait;
        var frames = new List<byte[]>();
        if (!_socket.TryReceiveMultipart(frames))
            return null;
        Assert.Single(frames);
        LastFrame = frames[0];
        if (!ZpipesMsg.TryDecode(frames[0], out var message, out var error))
            throw new InvalidOperationException($"the broker sent a malformed frame {Convert.ToHexString(frames[0])}: {error}");
        return message;
    }

    public T Expect<T>(TimeSpan? wait = null) where T : ZpipesMsg.Message
    {
        var message = Receive(wait) ?? throw new TimeoutException($"expected {typeof(T).Name}, got nothing");
        return message as T ?? throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {message.MessageName} ({Convert.ToHexString(LastFrame)})");
    }

    /// <summary>Expects <typeparamref name="T"/>, skipping PING-OKs of earlier PINGs that may still be on their way.</summary>
    public T ExpectAfterPings<T>(TimeSpan? wait = null) where T : ZpipesMsg.Message
    {
        while (true)
        {
            var message = Receive(wait) ?? throw new TimeoutException($"expected {typeof(T).Name}, got nothing");
            if (message is T typed)
                return typed;
            if (message is not ZpipesMsg.PingOk)
                throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {message.MessageName} ({Convert.ToHexString(LastFrame)})");
        }
    }

    /// <summary>Expects a reply whose frame is exactly <paramref name="hex"/> (spaces ignored).</summary>
    public void ExpectBytes(string hex, TimeSpan? wait = null)
    {
        var message = Receive(wait) ?? throw new TimeoutException($"expected {hex}, got nothing");
        Assert.Equal(Bytes.Hex(hex), LastFrame);
        _ = message;
    }

    /// <summary>Asserts nothing arrives for <paramref name="wait"/>.</summary>
    public void ExpectSilence(TimeSpan wait)
    {
        var message = Receive(wait);
        Assert.True(message is null, $"expected no reply, got {message?.MessageName}");
    }

    // ---- the dialogues the selftests repeat -----------------------------------------------------

    public void OpenWriter(string pipe)
    {
        Send(new ZpipesMsg.Output { Pipename = pipe });
        Expect<ZpipesMsg.OutputOk>();
    }

    public void OpenReader(string pipe)
    {
        Send(new ZpipesMsg.Input { Pipename = pipe });
        Expect<ZpipesMsg.InputOk>();
    }

    public void Write(byte[] chunk, uint timeout = 0) => Send(new ZpipesMsg.Write { Chunk = chunk, Timeout = timeout });

    public void Read(uint size, uint timeout = 0) => Send(new ZpipesMsg.Read { Size = size, Timeout = timeout });

    public void WriteOk(byte[] chunk, uint timeout = 0)
    {
        Write(chunk, timeout);
        Expect<ZpipesMsg.WriteOk>();
    }

    public byte[] ReadOk(uint size, uint timeout = 0)
    {
        Read(size, timeout);
        return Expect<ZpipesMsg.ReadOk>().Chunk.ToArray();
    }

    public void Close()
    {
        Send(new ZpipesMsg.Close());
        Expect<ZpipesMsg.CloseOk>();
    }

    public void Ping()
    {
        Send(new ZpipesMsg.Ping());
        Expect<ZpipesMsg.PingOk>();
    }

    public void Dispose() => _socket.Dispose();
}
