using System.Threading;

namespace Zproto.Vtx.Udp;

/// <summary>Counters of the udp driver, readable from any thread (for tests, benchmarks and monitoring).</summary>
public sealed class UdpDriverStatistics
{
    private long _datagramsReceived;
    private long _datagramsDropped;
    private long _datagramsSent;
    private long _messagesDelivered;
    private long _simulatedLosses;
    private long _messagesUnsent;

    /// <summary>Datagrams read from the network, before any check.</summary>
    public long DatagramsReceived => Volatile.Read(ref _datagramsReceived);

    /// <summary>Received datagrams dropped: malformed, over-long, from an unknown peer, duplicate, unexpected or filtered out.</summary>
    public long DatagramsDropped => Volatile.Read(ref _datagramsDropped);

    /// <summary>Datagrams sent (commands and NOMs, resends included).</summary>
    public long DatagramsSent => Volatile.Read(ref _datagramsSent);

    /// <summary>Messages passed to an application socket.</summary>
    public long MessagesDelivered => Volatile.Read(ref _messagesDelivered);

    /// <summary>Received datagrams thrown away by <see cref="UdpDriverOptions.DropRate"/>.</summary>
    public long SimulatedLosses => Volatile.Read(ref _simulatedLosses);

    /// <summary>Application messages that never left: the outgoing queue was full, or the socket closed before enough peerings came up within its linger.</summary>
    public long MessagesUnsent => Volatile.Read(ref _messagesUnsent);

    internal void Received() => Interlocked.Increment(ref _datagramsReceived);

    internal void Dropped() => Interlocked.Increment(ref _datagramsDropped);

    internal void Sent() => Interlocked.Increment(ref _datagramsSent);

    internal void Delivered() => Interlocked.Increment(ref _messagesDelivered);

    internal void Unsent() => Interlocked.Increment(ref _messagesUnsent);

    internal void Lost() => Interlocked.Increment(ref _simulatedLosses);
}
