using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace Zproto.Vtx.Tls;

/// <summary>
/// Settings of the <c>tls</c> driver: the certificates, whom to trust, and the limits that bound its
/// memory. One driver serves every socket of its manager, so one options object holds both the
/// bind side's and the connect side's settings.
/// </summary>
public sealed class TlsDriverOptions
{
    /// <summary>The certificate, with its private key, that a bound socket presents. Required to bind.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>The certificate, with its private key, a connecting socket presents when the server asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// Certificate authorities that a peer's certificate must chain to (the system store is then not
    /// used). Empty, with no <see cref="PinnedCertificates"/>: the system's trust store decides.
    /// </summary>
    public X509Certificate2Collection TrustedAuthorities { get; init; } = [];

    /// <summary>
    /// SHA-256 fingerprints (hex, colons and case ignored) of peer certificates accepted as they are,
    /// whoever issued them and whatever name they carry. A pin match accepts the peer before any
    /// authority check.
    /// </summary>
    public IReadOnlyCollection<string> PinnedCertificates { get; init; } = [];

    /// <summary>
    /// The name a server's certificate must carry; null means the host of the <c>tls://host:port</c>
    /// being connected to. Not checked for a pinned certificate.
    /// </summary>
    public string? TargetHost { get; init; }

    /// <summary>Whether a bound socket refuses clients without a certificate its trust settings accept.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>Largest frame accepted from a peer or sent for the application (1 MiB); a peer sending a larger one is disconnected.</summary>
    public int MaxFrameSize { get; init; } = 1 << 20;

    /// <summary>Largest message, all frames together (4 MiB).</summary>
    public int MaxMessageSize { get; init; } = 4 << 20;

    /// <summary>Most frames in one message (1,024).</summary>
    public int MaxFramesPerMessage { get; init; } = 1024;

    /// <summary>Messages queued for one connection's writer (1,000); round-robin skips a full connection, PUB drops for it.</summary>
    public int SendQueueLimit { get; init; } = 1000;

    /// <summary>Most application messages a socket holds while no connection can take them (1,000); more are dropped.</summary>
    public int OutboxLimit { get; init; } = 1000;

    /// <summary>Messages one connection may have read but not yet handed to the application (256); its reader waits beyond that.</summary>
    public int ReceiveQueueLimit { get; init; } = 256;

    /// <summary>Most connections per socket (512, the udp driver's peering limit); more are refused.</summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>Time a new connection has for its TCP connect, TLS handshake and greeting (5 s).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before a connect side retries (100 ms); it doubles after each failure.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between connect retries (5 s).</summary>
    public TimeSpan ReconnectIntervalMax { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TrustedAuthorities);
        ArgumentNullException.ThrowIfNull(PinnedCertificates);
        if (ServerCertificate is { HasPrivateKey: false })
            throw new ArgumentException("The server certificate needs its private key", nameof(ServerCertificate));
        if (ClientCertificate is { HasPrivateKey: false })
            throw new ArgumentException("The client certificate needs its private key", nameof(ClientCertificate));
        Positive(MaxFrameSize, nameof(MaxFrameSize));
        Positive(MaxMessageSize, nameof(MaxMessageSize));
        Positive(MaxFramesPerMessage, nameof(MaxFramesPerMessage));
        Positive(SendQueueLimit, nameof(SendQueueLimit));
        Positive(OutboxLimit, nameof(OutboxLimit));
        Positive(ReceiveQueueLimit, nameof(ReceiveQueueLimit));
        Positive(MaxConnections, nameof(MaxConnections));
        if (HandshakeTimeout <= TimeSpan.Zero || ReconnectInterval <= TimeSpan.Zero || ReconnectIntervalMax < ReconnectInterval)
            throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), "Timeouts must be positive and ReconnectIntervalMax at least ReconnectInterval");
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, "Must be at least 1");
    }
}
