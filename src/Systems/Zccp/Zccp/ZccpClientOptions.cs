using System;
using Zproto.Runtime.Clients;

namespace Zccp;

/// <summary>
/// Settings of a <see cref="ZccpClient"/>: the runtime's client settings (context, CURVE keys, logging,
/// call timeout, send queue limit) plus ZCCP's own.
/// </summary>
public sealed class ZccpClientOptions : ClientOptions
{
    /// <summary>Creates the settings; a subscribe or disconnect waits 10 s for the broker's answer by default.</summary>
    public ZccpClientOptions() => CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect (HELLO again, then replay subscriptions) after hearing nothing from the broker this long; keep it 2–3 times the broker's heartbeat (1 s by default).</summary>
    public TimeSpan PresenceTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Deliveries kept for <see cref="ZccpClient.ReadDeliveriesAsync"/>; past this the oldest are dropped and counted.</summary>
    public int DeliveryQueueLimit { get; set; } = 10_000;
}
