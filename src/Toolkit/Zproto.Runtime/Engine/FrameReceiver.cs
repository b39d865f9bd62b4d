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
/// (and logs at Debug, allocation-free when that is off) what fails to decode. With
/// <paramref name="envelope"/> the empty delimiter a REQ peer puts after its routing id is expected and
/// stripped; with <paramref name="maxMessageBytes"/> above 0 a larger message is kept no further than the
/// limit and fails with <see cref="DecodeErrorKind.TooLarge"/>.
/// </summary>
internal sealed class FrameReceiver<TProtocol, TMessage>(ILogger logger, string name, bool routed, LogRateLimiter? malformedLog = null,
    bool envelope = false, long maxMessageBytes = 0)
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

    /// <summary>Why the last message received was malformed.</summary>
    public DecodeError LastError { get; private set; }

    /// <summary>Whether the last message received carried the empty delimiter (envelope mode only).</summary>
    public bool LastEnveloped { get; private set; }

    /// <summary>Receives the next message. False when none is waiting; otherwise <paramref name="message"/> is null when it was malformed (already counted).</summary>
    public bool TryReceive(ZmqSocket socket, out byte[]? routingId, out TMessage? message)
    {
        routingId = null;
        message = null;
        _frames.Clear();
        long total = 0;
        if (maxMessageBytes > 0 ? !socket.TryReceiveMultipart(_frames, maxMessageBytes, out total, dontWait: true) : !socket.TryReceiveMultipart(_frames, dontWait: true))
            return false;
        var first = 0;
        LastEnveloped = false;
        if (routed)
        {
            routingId = _frames[0];
            first = 1;
            // A REQ peer's envelope: the routing id, then an empty delimiter before the body.
            if (envelope && _frames.Count > 1 && _frames[1].Length == 0)
            {
                LastEnveloped = true;
                first = 2;
            }
            if (_frames.Count < 2)
            {
                Interlocked.Increment(ref _malformed);
                LastError = new DecodeError(DecodeErrorKind.MissingFrame, "frames", 0, 0);
                if (MayLog(routingId))
                    EngineLog.NoCodecFrames(logger, name, new PeerId(routingId));
                return true;
            }
        }
        if (total > maxMessageBytes && maxMessageBytes > 0)
            return Fail(routingId, new DecodeError(DecodeErrorKind.TooLarge, "message", 0, 0));
        if (envelope && !LastEnveloped)
            return Fail(routingId, new DecodeError(DecodeErrorKind.MissingFrame, "envelope delimiter", 1, 0));
        _codecFrames.Clear();
        long size = MessageOverhead;
        for (var i = first; i < _frames.Count; i++)
        {
            _codecFrames.Add(_frames[i]);
            size += _frames[i].Length;
        }
        LastSize = (int)Math.Min(size, int.MaxValue);
        if (!TProtocol.TryDecode(_codecFrames, out var decoded, out var error))
            return Fail(routingId, error);
        message = decoded;
        return true;
    }

    /// <summary>Counts (and may log) a malformed message; true, as a message was received.</summary>
    private bool Fail(byte[]? routingId, DecodeError error)
    {
        Interlocked.Increment(ref _malformed);
        LastError = error;
        if (MayLog(routingId))
            EngineLog.Malformed(logger, name, new PeerId(routingId), error);
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
