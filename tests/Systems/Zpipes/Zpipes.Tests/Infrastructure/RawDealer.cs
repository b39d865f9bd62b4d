using System;
using Xunit;
using Zpipes.Protocol;
using Zproto.Runtime.Zmq;
using Zproto.Tests.Shared;

namespace Zpipes.Tests.Infrastructure;

/// <summary>
/// A raw DEALER on the broker, as the 2014 selftests used: it sends frames built by the public
/// codec (Zpipes.Protocol) or raw bytes, and checks each reply is exactly one frame.
/// </summary>
internal sealed class RawDealer : RawDealerBase<ZpipesMsg.Message>
{
    public RawDealer(ZmqContext context, string endpoint)
        : base(new ZmqSocket(context, ZmqSocketType.Dealer), endpoint)
    {
    }

    protected override ReadOnlyMemory<byte>[] Encode(ZpipesMsg.Message message) => ZpipesMsg.EncodeFrames(message);

    protected override bool TryDecode(byte[] frame, out ZpipesMsg.Message? message, out string error)
    {
        var decoded = ZpipesMsg.TryDecode(frame, out message, out var why);
        error = why.ToString();
        return decoded;
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

}
