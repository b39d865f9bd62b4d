using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;

namespace Zproto.Vtx.Tls;

/// <summary>An emulated socket of the tls driver: its listeners, connectors and open connections. Owner thread only, except <see cref="Lifetime"/> and <see cref="PendingHandshakes"/>.</summary>
internal sealed class TlsVocket(int id, VtxSocketType type)
{
    public int Id { get; } = id;

    public VtxSocketType Type { get; } = type;

    /// <summary>Cancelled at close: ends the accept loops, the connectors and every connection.</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    /// <summary>Bound listeners by the address asked for (and by the address bound, for port 0).</summary>
    public Dictionary<string, (Socket Listener, string Endpoint)> Listeners { get; } = [];

    /// <summary>Addresses this vocket connects to; each has a connector task that reconnects.</summary>
    public HashSet<string> Connects { get; } = [];

    /// <summary>Open connections in the order they came up; round-robin walks this list.</summary>
    public List<TlsConnection> Live { get; } = [];

    /// <summary>ROUTER: open connections by identity.</summary>
    public Dictionary<string, TlsConnection> ByIdentity { get; } = [];

    /// <summary>Application messages waiting for a connection with room.</summary>
    public Queue<List<byte[]>> Outbox { get; } = new();

    /// <summary>REP: the connections of the requests delivered and not yet answered, oldest first.</summary>
    public Queue<TlsConnection> Requesters { get; } = new();

    public List<byte[]> Subscriptions { get; } = [];

    /// <summary>Where round-robin starts next.</summary>
    public int NextIndex { get; set; }

    /// <summary>The IP address of the last delivered message's sender (<c>getmeta "sender"</c>).</summary>
    public string? LastSender { get; set; }

    public bool Closed { get; set; }

    /// <summary>Closed by the application and sending what it still holds (<see cref="VtxDriver.TryFlush"/>); takes a new connection only while its outbox waits for one.</summary>
    public bool Lingering { get; set; }

    /// <summary>Accepted connections still in their handshake (any thread, through Interlocked).</summary>
    public int PendingHandshakes;
}
