using System;
using Microsoft.Extensions.Logging;
using Zproto.Wire;

namespace Zproto.Runtime.Engine;

/// <summary>
/// The engines' log lines, source-generated: each checks its level before it formats anything, and
/// arguments are structs or existing strings, so a line that is off costs no allocation.
/// </summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Name}: dropped a malformed message from {Peer}: {Error}")]
    public static partial void Malformed(ILogger logger, string name, PeerId peer, DecodeError error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Name}: dropped a message from {Peer} with no codec frames after the routing id")]
    public static partial void NoCodecFrames(ILogger logger, string name, PeerId peer);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Name}: {Client}: {Message} is not handled in state {State}; dropped")]
    public static partial void MessageNotHandled(ILogger logger, string name, string client, string message, string state);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Name}: {Client}: event {Event} is not handled in state {State}; dropped")]
    public static partial void EventNotHandled(ILogger logger, string name, string client, string @event, string state);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Name}: {Client}: action failed in state {State} on {Event}; the machine terminates")]
    public static partial void ActionFailed(ILogger logger, Exception exception, string name, string client, string state, string @event);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Name}: {Client}: {Count} refused messages waiting; session ended")]
    public static partial void ShedLimitReached(ILogger logger, string name, string client, int count);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "{Name}: {Client}: peer is gone; {Message} dropped")]
    public static partial void PeerGone(ILogger logger, string name, string client, string message);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{Name}: {Client}: {State}: {Event}")]
    public static partial void TraceEvent(ILogger logger, string name, string client, string state, string @event);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{Name}: {Client}:     + {Action}")]
    public static partial void TraceAction(ILogger logger, string name, string client, string action);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{Name}: {Client}:     > {Message}")]
    public static partial void TraceSend(ILogger logger, string name, string client, string message);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{Name}: {Client}: {Suppressed} more warnings suppressed in the last second")]
    public static partial void WarningsSuppressed(ILogger logger, string name, string client, int suppressed);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "{Name}: reply {Reply} arrived after its call {Method} ended (timed out or cancelled); dropped")]
    public static partial void LateReply(ILogger logger, string name, string reply, string method);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "{Name}: no call waits for reply {Reply}; dropped")]
    public static partial void UnclaimedReply(ILogger logger, string name, string reply);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "{Name}: {Client}: mailbox full; reading paused until it drains")]
    public static partial void ReadingPaused(ILogger logger, string name, string client);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "{Name}: {Count} more malformed messages in the last minute were not logged")]
    public static partial void MalformedSuppressed(ILogger logger, string name, long count);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "{Name}: {Client}: the peer does not read its replies ({Bytes} bytes waiting past its send queue); session ended")]
    public static partial void SlowPeerSessionEnded(ILogger logger, string name, string client, long bytes);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "{Name}: {Count} more sessions of peers that do not read were ended in the last minute")]
    public static partial void SlowPeersSuppressed(ILogger logger, string name, long count);
}
