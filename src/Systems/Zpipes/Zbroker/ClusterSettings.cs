using System;
using System.Collections.Generic;

namespace Zbroker;

/// <summary>
/// How a broker joins a cluster: the endpoint it listens on for other brokers, the brokers it
/// connects to at start, and its node name. Peers learn each other from HELLO, so a peer listed
/// on one side only is still reached both ways. See docs/zpipes-clustering.md.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>This broker's name in the cluster (unique); defaults to a random one.</summary>
    public string NodeId { get; init; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Where this broker listens for other brokers, e.g. <c>tcp://127.0.0.1:5561</c> (a concrete address: it is advertised to peers).</summary>
    public required string Bind { get; init; }

    /// <summary>Cluster endpoints of brokers to connect to at start.</summary>
    public IReadOnlyList<string> Peers { get; init; } = Array.Empty<string>();

    /// <summary>HELLO and re-announce interval.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A peer silent this long is gone: its ends of every pipe are dropped.</summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
