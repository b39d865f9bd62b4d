using System;
using System.Collections.Generic;
using Zproto.Runtime.Zmq;

namespace Zproto.Vtx;

/// <summary>
/// Reliable request-reply over a VTX REQ socket, the "lazy pirate" way the original tests use: send,
/// wait up to a timeout, and on silence close the socket, open a new one and send again. A driver's
/// own resends cover loss while a peering lives; this covers a peer that died and came back.
/// </summary>
/// <remarks>Owned by one thread, like the socket it wraps.</remarks>
public sealed class LazyPirateClient : IDisposable
{
    private readonly VtxManager _vtx;
    private readonly string _endpoint;
    private readonly TimeSpan _timeout;
    private readonly int _attempts;
    private ZmqSocket? _socket;

    /// <summary>Creates the client; it connects a REQ socket to <paramref name="endpoint"/> at once.</summary>
    /// <param name="vtx">The manager with the endpoint's driver registered.</param>
    /// <param name="endpoint">Where the server is, e.g. <c>udp://127.0.0.1:5555</c>.</param>
    /// <param name="timeout">How long each attempt waits for the reply.</param>
    /// <param name="attempts">How many times a request is tried, at least 1.</param>
    public LazyPirateClient(VtxManager vtx, string endpoint, TimeSpan timeout, int attempts = 3)
    {
        ArgumentNullException.ThrowIfNull(vtx);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _vtx = vtx;
        _endpoint = endpoint;
        _timeout = timeout;
        _attempts = attempts;
        _socket = Open();
    }

    /// <summary>How many times a socket was closed and recreated after a timeout.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Sends <paramref name="request"/> and returns the reply, or null when every attempt timed out.</summary>
    public List<byte[]>? Request(IReadOnlyList<ReadOnlyMemory<byte>> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_socket is null, this);
        var reply = new List<byte[]>();
        for (int attempt = 1; attempt <= _attempts; attempt++)
        {
            _socket.SendMultipart(request);
            if (_socket.TryReceiveMultipart(reply))
                return reply;
            // No answer: the REQ emulation still holds the request, so only a new socket can resend it.
            // The old one is abandoned with no linger, so its copy is not sent again behind our back.
            _vtx.Close(_socket, TimeSpan.Zero);
            _socket = Open();
            Reconnects++;
        }
        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_socket is not null)
            _vtx.Close(_socket);
        _socket = null;
    }

    private ZmqSocket Open()
    {
        var socket = _vtx.CreateSocket(VtxSocketType.Req);
        socket.ReceiveTimeout = _timeout;
        try
        {
            _vtx.Connect(socket, _endpoint);
        }
        catch
        {
            _vtx.Close(socket);
            throw;
        }
        return socket;
    }
}
