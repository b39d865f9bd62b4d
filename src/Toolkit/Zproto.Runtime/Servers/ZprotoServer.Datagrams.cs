using System;
using System.Collections.Generic;
using Zproto.Runtime.Engine;

namespace Zproto.Runtime.Servers;

/// <summary>What became of one datagram given to the engine.</summary>
public enum DatagramOutcome
{
    /// <summary>Decoded and queued in its client's mailbox (and run if the state takes it).</summary>
    Delivered,
    /// <summary>It did not decode; nothing ran.</summary>
    Malformed,
    /// <summary>It came from an unknown peer and <c>AdmitsNewClient</c> refused it; nothing ran.</summary>
    Refused,
    /// <summary>The mailboxes are full (<see cref="ServerOptions.MailboxLimit"/> and the other limits): with no
    /// socket to stop reading, the datagram is dropped until they drain to half, as a full UDP buffer would.</summary>
    Overloaded,
}

// The engine over a datagram transport instead of a ROUTER socket: the same decode → client → mailbox →
// dispatch path, wakeups, deadlines and expiry, run on a host loop's thread, with peers keyed by an
// address the transport chooses. The ROUTER path in ZprotoServer.cs is untouched when this is unused.
public abstract partial class ZprotoServer<TProtocol, TMessage, TClient, TState, TEvent>
{
    private readonly ReadOnlyMemory<byte>[] _datagramFrames = new ReadOnlyMemory<byte>[1];
    private IDatagramTransport<TClient>? _datagrams;
    private byte[] _datagramBuffer = [];

    /// <summary>
    /// Runs this server on <paramref name="host"/>'s owner thread over <paramref name="transport"/>, instead
    /// of on a thread of its own over a ROUTER (<see cref="Start"/>): no socket is created or bound, and
    /// <see cref="ServerOptions.Endpoints"/> and <see cref="ServerOptions.Curve"/> are not used. Call on the
    /// host's owner thread; then feed it with <see cref="ReceiveDatagram"/>.
    /// </summary>
    protected void StartOnDatagrams(ActorLoop host, IDatagramTransport<TClient> transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        RunOn(host);
        _datagrams = transport;
    }

    /// <summary>
    /// Handles one datagram from the peer keyed <paramref name="peer"/>: decodes it as a one-frame message,
    /// finds or (when <see cref="AdmitsNewClient"/> allows) creates the peer's client, pushes its expiry
    /// back, queues the message and dispatches what the state takes. Owner thread only.
    /// </summary>
    /// <param name="peer">The peer's key, the client's <see cref="ServerClient{TMessage, TState, TEvent}.RoutingId"/>.
    /// Kept by a new client, so pass a fresh array per peer.</param>
    /// <param name="datagram">The datagram; read during the call only.</param>
    protected DatagramOutcome ReceiveDatagram(byte[] peer, ReadOnlyMemory<byte> datagram)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (_flow.IsPaused)
            return DatagramOutcome.Overloaded;
        _datagramFrames[0] = datagram;
        if (!TProtocol.TryDecode(_datagramFrames, out var message, out _))
            return DatagramOutcome.Malformed;
        // A known peer whose session timed out unseen (see ExpireIfOverdue) is a new one again.
        if ((!_clients.TryGetValue(peer, out var known) || ExpireIfOverdue(known, Now)) && !AdmitsNewClient(peer, message))
            return DatagramOutcome.Refused;
        // Datagram peers are not authenticated by ZAP: no User-Id.
        Deliver(peer, "", message, datagram.Length + 128);
        return DatagramOutcome.Delivered;
    }

    /// <summary>Whether a datagram from an unknown peer starts a client; by default every decodable one does.</summary>
    protected virtual bool AdmitsNewClient(byte[] peer, TMessage message) => true;

    /// <summary>The client keyed <paramref name="peer"/>, or null.</summary>
    protected TClient? FindClient(byte[] peer) => _clients.GetValueOrDefault(peer);

    /// <summary>Creates the client keyed <paramref name="peer"/> before it sent anything (a connect), or
    /// returns the existing one. Raise its first event with <see cref="SendEvent"/>.</summary>
    protected TClient OpenClient(byte[] peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return FindOrCreate(peer, "", Now);
    }

    /// <summary>Keys <paramref name="client"/> by <paramref name="peer"/> from now on (the peer turned out to
    /// answer from another address); false, and nothing changes, when another client has that key.</summary>
    protected bool RekeyClient(TClient client, byte[] peer)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(peer);
        if (_clients.ContainsKey(peer))
            return false;
        if (_clients.TryGetValue(client.RoutingId, out var current) && ReferenceEquals(current, client))
            _clients.Remove(client.RoutingId);
        client.RoutingId = peer;
        _clients[peer] = client;
        return true;
    }

    /// <summary>Encodes <paramref name="message"/> as one datagram and hands it to the transport.</summary>
    private void SendDatagram(IDatagramTransport<TClient> transport, TClient client, TMessage message)
    {
        var length = TProtocol.GetEncodedLength(message);
        if (_datagramBuffer.Length < length)
            _datagramBuffer = new byte[Math.Max(length, 512)];
        TProtocol.Encode(message, _datagramBuffer);
        transport.Send(client, _datagramBuffer.AsSpan(0, length));
    }
}
