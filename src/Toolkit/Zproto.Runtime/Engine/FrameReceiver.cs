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
internal sealed class FrameReceiver<TProtocol, TMessage>(ILogger logger, string name, bool routed, LogRateLimiter? malformedLog = null)
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
{
    private readonly List<byte[]> _frames = new();
    private readonly List<ReadOnlyMemory<byte>> _codecFrames = new();
    private long _malformed;

    /// <summary>What a queued message costs beyond its frames: the decoded record, the frame arrays'
    /// headers and the mailbox slots. Counting it makes byte limits bound tiny messages too.</summary>
    private const int MessageOverhead = 128;

    /// <summary>The cost in bytes of the last message received: its codec frames plus a fixed overhead.</summary>
    public int LastSize { get; private set; }

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
                if (MayLog(routingId))
                    EngineLog.NoCodecFrames(logger, name, new PeerId(routingId));
                return true;
            }
        }
        _codecFrames.Clear();
        long size = MessageOverhead;
        for (var i = first; i < _frames.Count; i++)
        {
            _codecFrames.Add(_frames[i]);
            size += _frames[i].Length;
        }
        LastSize = (int)Math.Min(size, int.MaxValue);
        if (!TProtocol.TryDecode(_codecFrames, out var decoded, out var error))
        {
            Interlocked.Increment(ref _malformed);
            if (MayLog(routingId))
                EngineLog.Malformed(logger, name, new PeerId(routingId), error);
            return true;
        }
        message = decoded;
        return true;
    }

    /// <summary>
    /// Whether a Debug line about a malformed message from <paramref name="peer"/> may be written:
    /// nothing is looked up when Debug is off, and a peer gets a bounded number of lines a minute.
    /// </summary>
    private bool MayLog(byte[]? peer)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
            return false;
        if (malformedLog is null)
            return true;
        var allowed = malformedLog.ShouldLog(peer, out var suppressed);
        if (suppressed > 0)
            EngineLog.MalformedSuppressed(logger, name, suppressed);
        return allowed;
    }
}
