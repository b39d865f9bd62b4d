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
    /// much data); remctld's own limit is 100 MiB. It is also the socket's <c>ZMQ_MAXMSGSIZE</c>
    /// (per frame): libzmq drops a peer announcing a larger frame before buffering it, so a 1 GiB
    /// argument costs nothing (the peer gets no answer; see docs/reliability.md).</summary>
    public long MaxRequestBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Handlers (exec processes, assembly handlers) running at once; requests beyond wait in a
    /// queue. remctld forks one process per request; a persistent backend bounds them. Default 32.</summary>
    public int MaxConcurrentHandlers { get; init; } = 32;

    /// <summary>Requests that may wait for a handler slot; a request beyond this (or beyond
    /// <see cref="MaxQueuedBytes"/>) is answered at once with ERRORCODE 1 (internal failure: the
    /// server is busy), never left unanswered. Default 1000.</summary>
    public int MaxQueuedRequests { get; init; } = 1000;

    /// <summary>Bytes of requests waiting for a handler slot (a request is always admitted to an empty
    /// queue); see <see cref="MaxQueuedRequests"/>. Default 64 MiB.</summary>
    public long MaxQueuedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>At most this many log lines per peer per minute about malformed or refused requests;
    /// the rest are counted and summarised once a minute. Default 10.</summary>
    public int RefusalLogLimit { get; init; } = 10;

    /// <summary>How long <see cref="RemctlServer.DisposeAsync"/> lets running handlers finish (and
    /// their replies go out) before it signals <see cref="RemctlContext.Aborted"/>.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The ZeroMQ context to bind in; null creates one the server owns. Pass a shared one
    /// to serve <c>inproc://</c> endpoints to clients in the same process.</summary>
    public ZmqContext? Context { get; init; }
}
