using System.Threading;

namespace Zproto.Vtx.Tls;

/// <summary>Counters of the tls driver, readable from any thread (for tests, benchmarks and monitoring).</summary>
public sealed class TlsDriverStatistics
{
    private long _connectionsOpened;
    private long _handshakesFailed;
    private long _protocolErrors;
    private long _messagesReceived;
    private long _messagesDelivered;
    private long _messagesDropped;

    /// <summary>Connections that finished the TLS handshake and the greeting, on either side.</summary>
    public long ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>Connections refused before they opened: TLS failure, untrusted or missing certificate, bad greeting, timeout, or too many connections.</summary>
    public long HandshakesFailed => Volatile.Read(ref _handshakesFailed);

    /// <summary>Open connections closed because the peer broke the framing.</summary>
    public long ProtocolErrors => Volatile.Read(ref _protocolErrors);

    /// <summary>Whole messages read from peers.</summary>
    public long MessagesReceived => Volatile.Read(ref _messagesReceived);

    /// <summary>Messages passed to an application socket.</summary>
    public long MessagesDelivered => Volatile.Read(ref _messagesDelivered);

    /// <summary>Messages dropped in either direction: no route, full queues, filtered out, or unexpected for the socket type.</summary>
    public long MessagesDropped => Volatile.Read(ref _messagesDropped);

    internal void Opened() => Interlocked.Increment(ref _connectionsOpened);

    internal void HandshakeFailed() => Interlocked.Increment(ref _handshakesFailed);

    internal void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    internal void Received() => Interlocked.Increment(ref _messagesReceived);

    internal void Delivered() => Interlocked.Increment(ref _messagesDelivered);

    internal void Dropped() => Interlocked.Increment(ref _messagesDropped);
}
