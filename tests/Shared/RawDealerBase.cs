using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Tests.Shared;

/// <summary>
/// A raw DEALER for byte-level tests of a server: sends messages encoded by the system's codec or
/// raw frames, and checks each reply is exactly one frame the codec decodes. A system's tests
/// derive from it with their codec and socket options. Shared as source.
/// </summary>
/// <typeparam name="TMessage">The codec's message base type.</typeparam>
internal abstract class RawDealerBase<TMessage> : IDisposable
    where TMessage : class
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    protected RawDealerBase(ZmqSocket socket, string endpoint)
    {
        Socket = socket;
        Socket.ReceiveTimeout = DefaultWait;
        Socket.Connect(endpoint);
    }

    protected ZmqSocket Socket { get; }

    /// <summary>The bytes of the last frame received.</summary>
    public byte[] LastFrame { get; private set; } = Array.Empty<byte>();

    protected abstract ReadOnlyMemory<byte>[] Encode(TMessage message);

    protected abstract bool TryDecode(byte[] frame, out TMessage? message, out string error);

    public void Send(TMessage message) => Socket.SendMultipart(Encode(message));

    public void SendRaw(params byte[][] frames) => Socket.SendMultipart(frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray());

    /// <summary>The next reply, or null when none arrives within <paramref name="wait"/>.</summary>
    public TMessage? Receive(TimeSpan? wait = null)
    {
        Socket.ReceiveTimeout = wait ?? DefaultWait;
        var frames = new List<byte[]>();
        if (!Socket.TryReceiveMultipart(frames))
            return null;
        Assert.Single(frames);
        LastFrame = frames[0];
        if (!TryDecode(frames[0], out var message, out var error))
            throw new InvalidOperationException($"the server sent a malformed frame {Convert.ToHexString(frames[0])}: {error}");
        return message;
    }

    public T Expect<T>(TimeSpan? wait = null) where T : class, TMessage
    {
        var message = Receive(wait) ?? throw new TimeoutException($"expected {typeof(T).Name}, got nothing");
        return message as T ?? throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {message.GetType().Name} ({Convert.ToHexString(LastFrame)})");
    }

    public virtual void Dispose() => Socket.Dispose();
}
