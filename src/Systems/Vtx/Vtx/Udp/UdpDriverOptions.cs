using System;
using System.Net;

namespace Zproto.Vtx.Udp;

/// <summary>Settings of the <c>udp</c> driver; the defaults are the 2011 <c>vtx_udp.h</c> values.</summary>
public sealed class UdpDriverOptions
{
    /// <summary>
    /// Where a <c>udp://*:port</c> connect sends its OHAIs. The original took the LAN broadcast
    /// address of the last interface; here it is explicit and defaults to the loopback broadcast
    /// address, so nothing leaves the machine unless the application says so.
    /// </summary>
    public IPAddress BroadcastAddress { get; init; } = IPAddress.Parse("127.255.255.255");

    /// <summary>A peering silent this long is dead (<c>VTX_UDP_TIMEOUT</c>, 10 s). HUGZ go out after a third of it without sending.</summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromMilliseconds(10_000);

    /// <summary>The monitor tick: OHAI retries, expiry and heartbeat checks (<c>VTX_UDP_OHAI_IVL</c>, 100 ms).</summary>
    public TimeSpan OhaiInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a REQ resends its pending request (<c>VTX_UDP_RESEND_IVL</c>, 200 ms).</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Most application messages a vocket holds while it waits for enough live peerings; more are dropped.</summary>
    public int OutboxLimit { get; init; } = 1000;

    /// <summary>Test hook: the fraction (0 to 1) of received datagrams to drop, to simulate loss.</summary>
    public double DropRate { get; init; }

    /// <summary>Seed of the loss simulation's random numbers, for repeatable tests; null picks one.</summary>
    public int? DropSeed { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BroadcastAddress);
        if (BroadcastAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new ArgumentException("The broadcast address must be IPv4", nameof(BroadcastAddress));
        if (PeerTimeout <= TimeSpan.Zero || OhaiInterval <= TimeSpan.Zero || ResendInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(PeerTimeout), "Timer intervals must be positive");
        if (OutboxLimit < 1)
            throw new ArgumentOutOfRangeException(nameof(OutboxLimit), OutboxLimit, "At least one message");
        if (DropRate is < 0 or > 1 || double.IsNaN(DropRate))
            throw new ArgumentOutOfRangeException(nameof(DropRate), DropRate, "A fraction from 0 to 1");
    }
}
