using System;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Clients;

/// <summary>
/// Settings of a generated client, and the common part of a client library's settings: a library's
/// options class (ZccpClientOptions, ZpipesClientOptions) derives from it and adds its protocol's own.
/// </summary>
public class ClientOptions
{
    /// <summary>How long an API call waits for its reply before it throws <see cref="TimeoutException"/>. Default 30 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Log every event and action.</summary>
    public bool Verbose { get; set; }

    /// <summary>Delivered replies (of methods that only wait, such as a notice) no call took yet are kept up to this many; past it the oldest is dropped and logged.</summary>
    public int ReplyQueueLimit { get; set; } = 10_000;

    /// <summary>Messages kept for sending while the socket's own queue (its high-water mark) is full; at this
    /// many, API calls fail with <see cref="ZprotoSendQueueFullException"/> until the server catches up. Default 10,000.</summary>
    public int SendQueueLimit { get; set; } = 10_000;

    /// <summary>CURVE: the server's public key (Z85); null for no security.</summary>
    public string? CurveServerKey { get; set; }

    /// <summary>CURVE: this client's key pair; generated when null and <see cref="CurveServerKey"/> is set.</summary>
    public ZmqCurveKeyPair? CurveKeys { get; set; }

    /// <summary>A context to share (inproc:// endpoints need one); null creates one the client owns.</summary>
    public ZmqContext? Context { get; set; }

    /// <summary>Where the client's engine logs (dropped replies, unhandled events) when no logger is passed to it; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}

/// <summary>The client's state machine has terminated; it takes no more calls.</summary>
public sealed class ZprotoClientTerminatedException(string message) : InvalidOperationException(message);

/// <summary>An API method was called in a state that does not handle it.</summary>
public sealed class ZprotoMethodNotValidException(string message) : InvalidOperationException(message);

/// <summary>An API call was refused because the messages sent before it still wait for the server to read them (back-pressure; retry later).</summary>
public sealed class ZprotoSendQueueFullException(string message) : InvalidOperationException(message);
