using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Zmq;
using Zproto.Wire;

namespace Zproto.Runtime.Engine;

/// <summary>
/// The receive → decode step both engines share: reads one multipart message without blocking,
/// splits off the routing id on a ROUTER, decodes the rest with the protocol's codec, and counts
/// (and logs at Debug, allocation-free when that is off) what fails to decode.
/// </summary>
internal sealed class FrameReceiver<TProtocol, TMessage>(ILogger logger, string name, bool routed)
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
{
    private readonly List<byte[]> _frames = new();
    private readonly List<ReadOnlyMemory<byte>> _codecFrames = new();
    private long _malformed;

    /// <summary>Frames that failed to decode and were dropped.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Receives the next message. False when none is waiting; otherwise <paramref name="message"/> is null when it was malformed (already counted).</summary>
    public bool TryReceive(ZmqSocket socket, out byte[]? routingId, out TMessage? message)
    {
        routingId = null;
        message = null;
        _frames.Clear();
        if (!socket.TryReceiveMultipart(_frames, dontWait: true))
            return false;
        var first = 0;
        if (routed)
        {
            routingId = _frames[0];
            first = 1;
            if (_frames.Count < 2)
            {
                Interlocked.Increment(ref _malformed);
                EngineLog.NoCodecFrames(logger, name, new PeerId(routingId));
                return true;
            }
        }
        _codecFrames.Clear();
        for (var i = first; i < _frames.Count; i++)
            _codecFrames.Add(_frames[i]);
        if (!TProtocol.TryDecode(_codecFrames, out var decoded, out var error))
        {
            Interlocked.Increment(ref _malformed);
            EngineLog.Malformed(logger, name, new PeerId(routingId), error);
            return true;
        }
        message = decoded;
        return true;
    }
}
