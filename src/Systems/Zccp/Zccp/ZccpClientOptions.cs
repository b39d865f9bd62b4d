using System;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Zmq;

namespace Zccp;

/// <summary>Settings of a <see cref="ZccpClient"/>.</summary>
public sealed class ZccpClientOptions
{
    /// <summary>Reconnect (HELLO again, then replay subscriptions) after hearing nothing from the broker this long; keep it 2–3 times the broker's heartbeat (1 s by default).</summary>
    public TimeSpan PresenceTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a subscribe or disconnect may wait for the broker's answer.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries kept for <see cref="ZccpClient.ReadDeliveriesAsync"/>; past this the oldest are dropped and counted.</summary>
    public int DeliveryQueueLimit { get; set; } = 10_000;

    /// <summary>CURVE: the broker's public key (Z85); null for no security.</summary>
    public string? CurveServerKey { get; set; }

    /// <summary>CURVE: this client's key pair; null generates one.</summary>
    public ZmqCurveKeyPair? CurveKeys { get; set; }

    /// <summary>Where the client's state machine logs (dropped messages, unhandled events); null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>A context to share (inproc:// endpoints need the broker's); null creates one.</summary>
    public ZmqContext? Context { get; set; }
}
