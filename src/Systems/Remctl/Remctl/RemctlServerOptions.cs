using System;
using Remctl.Protocol;
using Zproto.Runtime.Zmq;

namespace Remctl;

/// <summary>Settings of a <see cref="RemctlServer"/>.</summary>
public sealed record RemctlServerOptions
{
    /// <summary>How reply tags are spelled: long (<c>OUTPUT</c>, <c>RETURNCODE</c>, the default) or
    /// short (<c>O</c>, <c>R</c>). Requests are accepted in either form, or mixed.</summary>
    public RemctlMsg.TagStyle ReplyTags { get; init; } = RemctlMsg.TagStyle.Long;

    /// <summary>Requests with more arguments get ERRORCODE 7 (too many arguments). remctld refuses
    /// more than 4096 before calling a backend; the server mirrors that by default.</summary>
    public int MaxArguments { get; init; } = 4096;

    /// <summary>Requests whose arguments and environment add up to more octets get ERRORCODE 8 (too
    /// much data); remctld's own limit is 100 MiB.</summary>
    public long MaxRequestBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>How long <see cref="RemctlServer.DisposeAsync"/> lets running handlers finish (and
    /// their replies go out) before it signals <see cref="RemctlContext.Aborted"/>.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The ZeroMQ context to bind in; null creates one the server owns. Pass a shared one
    /// to serve <c>inproc://</c> endpoints to clients in the same process.</summary>
    public ZmqContext? Context { get; init; }
}
