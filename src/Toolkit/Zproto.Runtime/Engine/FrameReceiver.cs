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
/// <remarks>
/// Frames are read in place in libzmq's memory (<see cref="ZmqMessageBuffer"/>), so a message costs no
/// managed array per frame. The header frame (frame 0 of the codec) is lent to the codec for the decode
/// only (copied instead when <see cref="IFrameProtocol{TMessage}.ValuesShareFrameZero"/>): the codec copies what it keeps (strings, chunks). The frames after it become <c>frame</c> and
/// <c>msg</c> values the message keeps, so each is copied once into an array of its own. The routing id
/// stays in libzmq's memory until the next receive (see docs/architecture.md, "Frame lifetime").
/// </remarks>
internal sealed class FrameReceiver<TProtocol, TMessage>(ILogger logger, string name, bool routed, LogRateLimiter? malformedLog = null,
    bool envelope = false, long maxMessageBytes = 0) : IDisposable
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
{
    private readonly ZmqMessageBuffer _frames = new();
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

    /// <summary>
    /// Receives the next message. False when none is waiting; otherwise <paramref name="message"/> is null
    /// when it was malformed (already counted). <paramref name="routingId"/> (empty when not routed, or when a
    /// routed message had no frames past it) lies in libzmq's memory and is valid until the next receive:
    /// copy it to keep it.
    /// </summary>
    public bool TryReceive(ZmqSocket socket, out ReadOnlySpan<byte> routingId, out TMessage? message)
    {
        routingId = default;
        message = null;
        if (!_frames.TryReceive(socket, dontWait: true, maxMessageBytes))
            return false;
        var first = 0;
        LastEnveloped = false;
        if (routed)
        {
            // A limit smaller than the routing id keeps no frame at all.
            routingId = _frames.Count > 0 ? _frames[0] : default;
            first = 1;
            // A REQ peer's envelope: the routing id, then an empty delimiter before the body.
            if (envelope && _frames.Count > 1 && _frames[1].Length == 0)
            {
                LastEnveloped = true;
                first = 2;
            }
            if (_frames.Count < 2 && !_frames.IsTruncated)
            {
                Interlocked.Increment(ref _malformed);
                LastError = new DecodeError(DecodeErrorKind.MissingFrame, "frames", 0, 0);
                if (MayLog(routingId))
                    EngineLog.NoCodecFrames(logger, name, new PeerId(routingId.ToArray()));
                return true;
            }
        }
        if (_frames.IsTruncated)
            return Fail(routingId, new DecodeError(DecodeErrorKind.TooLarge, "message", 0, 0));
        if (envelope && !LastEnveloped)
            return Fail(routingId, new DecodeError(DecodeErrorKind.MissingFrame, "envelope delimiter", 1, 0));
        // An envelope with nothing after it: the codec would say the same of an empty frame list.
        if (first >= _frames.Count)
            return Fail(routingId, new DecodeError(DecodeErrorKind.MissingFrame, "header", 0, 0));
        _codecFrames.Clear();
        // Frame 0 is lent for the decode only, unless the protocol's messages keep views into it.
        _codecFrames.Add(TProtocol.ValuesShareFrameZero ? _frames.ToArray(first) : _frames.Lend(first));
        for (var i = first + 1; i < _frames.Count; i++)
            _codecFrames.Add(_frames.ToArray(i));
        // The codec frames are the whole message less the routing id (and the empty delimiter).
        LastSize = (int)Math.Min(MessageOverhead + _frames.TotalBytes - routingId.Length, int.MaxValue);
        var decoded = TProtocol.TryDecode(_codecFrames, out message, out var error);
        // Frame copies a malformed message would have kept are let go now, not at the next receive.
        if (_codecFrames.Count > 1)
            _codecFrames.Clear();
        return decoded || Fail(routingId, error);
    }

    /// <summary>Releases the frames held and the native buffer.</summary>
    public void Dispose() => _frames.Dispose();

    /// <summary>Counts (and may log) a malformed message; true, as a message was received.</summary>
    private bool Fail(ReadOnlySpan<byte> routingId, DecodeError error)
    {
        Interlocked.Increment(ref _malformed);
        LastError = error;
        if (MayLog(routingId))
            EngineLog.Malformed(logger, name, new PeerId(routed ? routingId.ToArray() : null), error);
        return true;
    }

    /// <summary>
    /// Whether a Debug line about a malformed message from <paramref name="peer"/> may be written:
    /// nothing is looked up when Debug is off, and a peer gets a bounded number of lines a minute.
    /// </summary>
    private bool MayLog(ReadOnlySpan<byte> peer)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
            return false;
        if (malformedLog is null)
            return true;
        var allowed = malformedLog.ShouldLog(routed ? peer.ToArray() : null, out var suppressed);
        if (suppressed > 0)
            EngineLog.MalformedSuppressed(logger, name, suppressed);
        return allowed;
    }
}
