using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Zmq;

namespace Zproto.Vtx.Tls;

/// <summary>
/// The <c>tls</c> driver: ZeroMQ socket emulation over TLS on TCP, with ZMTP/3-style multipart
/// framing (docs/vtx.md, "The tls driver"). This part holds the control commands and the connection
/// lifecycle; the routing by socket type is in the other part.
/// </summary>
/// <remarks>
/// All routing state lives on the owner thread, as in every driver. The I/O does not: an
/// <see cref="System.Net.Security.SslStream"/> has no readiness to poll, only asynchronous reads and
/// writes, so each listener, connector and connection runs as an asynchronous task that posts what it
/// learns (a connection opened or closed, a message read, room to write) to the owner thread, and the
/// owner thread hands messages to a connection's bounded send queue.
/// </remarks>
public sealed partial class TlsDriver : VtxDriver
{
    /// <summary>The scheme this driver serves.</summary>
    public const string SchemeName = "tls";

    /// <summary>Most messages one post hands from a connection's reader to the owner thread.</summary>
    private const int ReceiveBatch = 64;

    private readonly TlsDriverOptions _options;
    private readonly TlsTrust _trust;
    private readonly Dictionary<int, TlsVocket> _vockets = [];

    /// <summary>Creates the driver; <see cref="VtxManager.Register{TDriver}"/> starts it.</summary>
    public TlsDriver(ZmqContext context, ILoggerFactory loggerFactory, TlsDriverOptions? options = null)
        : base(SchemeName, context, loggerFactory.CreateLogger<TlsDriver>())
    {
        _options = options ?? new TlsDriverOptions();
        _options.Validate();
        _trust = new TlsTrust(_options);
    }

    /// <summary>The driver's counters.</summary>
    public TlsDriverStatistics Statistics { get; } = new();

    /// <summary>The SHA-256 fingerprint of a certificate in the form <see cref="TlsDriverOptions.PinnedCertificates"/> takes.</summary>
    public static string Fingerprint(System.Security.Cryptography.X509Certificates.X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return TlsTrust.Fingerprint(certificate);
    }

    /// <inheritdoc />
    protected override void OnStop()
    {
        foreach (var vocket in _vockets.Values.ToList())
            DestroyVocket(vocket);
        base.OnStop();
    }

    /// <inheritdoc />
    protected internal override void OpenVocket(int id, VtxSocketType type) => _vockets.Add(id, new TlsVocket(id, type));

    /// <inheritdoc />
    protected internal override string Bind(int id, string address)
    {
        var vocket = _vockets[id];
        if (vocket.Listeners.TryGetValue(address, out var existing))
            return existing.Endpoint;
        if (_options.ServerCertificate is null)
            throw new VtxDriverException($"Cannot bind tls://{address}: the tls driver has no server certificate (TlsDriverOptions.ServerCertificate)");
        var (host, port) = VtxAddress.Split(SchemeName, address);
        var ip = host == "*" ? IPAddress.Any : VtxAddress.Resolve(SchemeName, address, host);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restarted server can bind its port again while old connections linger in TIME_WAIT.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(ip, port));
            listener.Listen(128);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new VtxDriverException($"Cannot bind tls://{address}: {e.Message}", e);
        }
        var bound = (IPEndPoint)listener.LocalEndPoint!;
        string endpoint = $"{SchemeName}://{(host == "*" ? "*" : bound.Address.ToString())}:{bound.Port}";
        vocket.Listeners.Add(address, (listener, endpoint));
        vocket.Listeners.TryAdd(endpoint[(SchemeName.Length + 3)..], (listener, endpoint));
        _ = AcceptLoopAsync(vocket, listener);
        Logger.LogDebug("I: bound {Endpoint}", endpoint);
        return endpoint;
    }

    /// <inheritdoc />
    protected internal override void Connect(int id, string address)
    {
        var vocket = _vockets[id];
        var (host, port) = VtxAddress.Split(SchemeName, address);
        if (host == "*")
            throw new VtxInvalidEndpointException($"{SchemeName}://{address}", "a tls connect needs a host; TCP has no broadcast");
        if (vocket.Connects.Contains(address))
            return; // idempotent, as in the udp driver
        if (vocket.Type == VtxSocketType.Pair && vocket.Connects.Count + vocket.Live.Count >= 1)
            throw new VtxDriverException($"Cannot connect tls://{address}: a PAIR socket has one peer");
        if (vocket.Connects.Count >= _options.MaxConnections)
            throw new VtxDriverException($"Cannot connect tls://{address}: the socket has its maximum of {_options.MaxConnections} connections");
        vocket.Connects.Add(address);
        _ = ConnectLoopAsync(vocket, host, port);
    }

    /// <inheritdoc />
    /// <remarks><c>"sender"</c> is the IP address of the last delivered message's peer; <c>"peerings"</c> the number of open connections.</remarks>
    protected internal override string? GetMeta(int id, string name) => name switch
    {
        "sender" => _vockets[id].LastSender,
        "peerings" => _vockets[id].Live.Count.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <inheritdoc />
    protected internal override void Subscribe(int id, byte[] prefix) => _vockets[id].Subscriptions.Add(prefix);

    /// <inheritdoc />
    protected internal override void CloseVocket(int id)
    {
        if (_vockets.TryGetValue(id, out var vocket))
            DestroyVocket(vocket);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The listeners close at once. The outbox goes out as connections come up or have room; then
    /// each connection writes what it has queued and ends its sending side, and the vocket has
    /// flushed when every peer has answered with its own end.
    /// </remarks>
    protected override bool TryFlush(int id)
    {
        if (!_vockets.TryGetValue(id, out var vocket))
            return true;
        if (!vocket.Lingering)
        {
            vocket.Lingering = true;
            foreach (var (listener, _) in vocket.Listeners.Values)
                listener.Dispose();
        }
        FlushOutbox(vocket);
        if (vocket.Outbox.Count > 0)
            return false;
        foreach (var connection in vocket.Live)
            connection.FinishSending();
        return vocket.Live.Count == 0;
    }

    private void DestroyVocket(TlsVocket vocket)
    {
        for (int i = 0; i < vocket.Outbox.Count; i++)
            Statistics.Dropped(); // never sent: no connection took it within the linger
        vocket.Closed = true;
        vocket.Lifetime.Cancel();
        foreach (var (listener, _) in vocket.Listeners.Values)
            listener.Dispose(); // twice for a listener under two keys, which is harmless
        foreach (var connection in vocket.Live)
            connection.Dispose();
        vocket.Live.Clear();
        vocket.ByIdentity.Clear();
        vocket.Outbox.Clear();
        _vockets.Remove(vocket.Id);
    }

    /// <summary>Accepts connections until the listener closes; each gets its own handshake task.</summary>
    private async Task AcceptLoopAsync(TlsVocket vocket, Socket listener)
    {
        while (!vocket.Lifetime.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(vocket.Lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Shutdown or SocketError.NotSocket or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException e)
            {
                Logger.LogWarning("W: accept on tls listener failed: {Error}", e.SocketErrorCode);
                continue; // ECONNABORTED and the like: the listener is still usable
            }
            _ = AcceptOneAsync(vocket, socket);
        }
    }

    private async Task AcceptOneAsync(TlsVocket vocket, Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        // Handshakes in progress count against the connection limit, so a flood of idle TCP
        // connections cannot hold unbounded TLS state.
        if (Interlocked.Increment(ref vocket.PendingHandshakes) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref vocket.PendingHandshakes);
            Refused(remote, "too many connections in their handshake");
            socket.Dispose();
            return;
        }
        TlsConnection connection;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(vocket.Lifetime.Token);
            timeout.CancelAfter(_options.HandshakeTimeout);
            connection = await TlsConnection.AcceptAsync(socket, _options, _trust, vocket.Type, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever the handshake threw, it refuses this peer and nothing else.
            if (!vocket.Lifetime.IsCancellationRequested)
                Refused(remote, Reason(e));
            socket.Dispose();
            return;
        }
        finally
        {
            Interlocked.Decrement(ref vocket.PendingHandshakes);
        }
        await RunConnectionAsync(vocket, connection).ConfigureAwait(false);
    }

    /// <summary>Connects, and reconnects after every failure or close with a doubling wait, until the vocket closes.</summary>
    private async Task ConnectLoopAsync(TlsVocket vocket, string host, int port)
    {
        var token = vocket.Lifetime.Token;
        var wait = _options.ReconnectInterval;
        while (!token.IsCancellationRequested)
        {
            TlsConnection? connection = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(_options.HandshakeTimeout);
                connection = await TlsConnection.ConnectAsync(host, port, _options, _trust, vocket.Type, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Whatever the attempt threw, the connector waits and tries again.
                if (token.IsCancellationRequested)
                    return;
                // A refused TCP connect is the normal state of a server that is down: not a handshake failure.
                if (e is SocketException)
                    Logger.LogDebug("I: cannot reach tls://{Host}:{Port}: {Reason}", host, port, Reason(e));
                else
                    Refused($"{host}:{port}", Reason(e));
            }
            if (connection is not null)
            {
                wait = _options.ReconnectInterval;
                await RunConnectionAsync(vocket, connection).ConfigureAwait(false);
            }
            try
            {
                await Task.Delay(wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, _options.ReconnectIntervalMax.Ticks));
        }
    }

    /// <summary>Attaches an open connection on the owner thread, reads its messages until it closes, then detaches it.</summary>
    private async Task RunConnectionAsync(TlsVocket vocket, TlsConnection connection)
    {
        using var closeWithVocket = vocket.Lifetime.Token.Register(connection.Dispose);
        Statistics.Opened();
        if (!TryPost(() => Attach(vocket, connection)))
        {
            connection.Dispose();
            return;
        }
        var writer = connection.WriteLoopAsync(() => TryPost(() => FlushOutbox(vocket)));
        try
        {
            var batch = new List<List<byte[]>>();
            while (await connection.Reader.ReadMessageAsync(connection.Closed).ConfigureAwait(false) is { } frames)
            {
                Statistics.Received();
                await connection.ReceiveSlots.WaitAsync(connection.Closed).ConfigureAwait(false);
                batch.Add(frames);
                // What is already decrypted goes over in one post: one wake-up of the owner thread
                // per batch, not per message.
                if (batch.Count < Math.Min(ReceiveBatch, _options.ReceiveQueueLimit) && connection.Reader.HasBufferedMessage())
                    continue;
                var messages = batch.ToArray();
                batch.Clear();
                if (!TryPost(() => OnNetworkMessages(vocket, connection, messages)))
                    break;
            }
            Logger.LogDebug("I: {Identity} closed the connection", connection.Identity);
        }
        catch (TlsProtocolException e)
        {
            Statistics.ProtocolError();
            Logger.LogWarning("W: {Identity} broke the framing ({Reason}); disconnecting", connection.Identity, e.Message);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            if (!connection.Closed.IsCancellationRequested)
                Logger.LogDebug("I: {Identity} disconnected: {Reason}", connection.Identity, Reason(e));
        }
        catch (Exception e)
        {
            // Not expected from a stream, but it must still close and detach the connection.
            Logger.LogError(e, "E: reading from {Identity} failed; disconnecting", connection.Identity);
        }
        connection.Dispose();
        try
        {
            await writer.ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            // The writer ends with the close; its error says nothing new.
        }
        catch (Exception e)
        {
            Logger.LogError(e, "E: writing to {Identity} failed", connection.Identity);
        }
        TryPost(() => Detach(vocket, connection));
    }

    /// <summary>Owner thread: a batch of messages read from <paramref name="connection"/>.</summary>
    private void OnNetworkMessages(TlsVocket vocket, TlsConnection connection, List<byte[]>[] messages)
    {
        connection.ReceiveSlots.Release(messages.Length);
        foreach (var frames in messages)
            OnNetworkMessage(vocket, connection, frames);
    }

    /// <summary>Owner thread: the connection joins the live list, unless its vocket is gone or full.</summary>
    private void Attach(TlsVocket vocket, TlsConnection connection)
    {
        int limit = vocket.Type == VtxSocketType.Pair ? 1 : _options.MaxConnections;
        // A lingering vocket still takes a connection its outbox is waiting for.
        bool lingeredOut = vocket.Lingering && vocket.Outbox.Count == 0;
        if (vocket.Closed || lingeredOut || vocket.Live.Count >= limit)
        {
            if (!vocket.Closed && !lingeredOut)
                Logger.LogWarning("W: refusing {Identity}: the {Type} socket has its maximum of {Limit} connections", connection.Identity, vocket.Type, limit);
            connection.Dispose();
            return;
        }
        connection.Attached = true;
        vocket.Live.Add(connection);
        vocket.ByIdentity[connection.Identity] = connection;
        Logger.LogDebug("I: {Identity} is up ({PeerType} peer)", connection.Identity, connection.PeerType);
        FlushOutbox(vocket);
    }

    /// <summary>Owner thread: the connection leaves the live list; an outstanding REQ request on it is lost, as in ZeroMQ.</summary>
    private static void Detach(TlsVocket vocket, TlsConnection connection)
    {
        if (!connection.Attached)
            return;
        connection.Attached = false;
        connection.AwaitingReply = false;
        vocket.Live.Remove(connection);
        vocket.ByIdentity.Remove(connection.Identity);
    }

    /// <summary>Posts to the owner thread; false when the driver is stopping.</summary>
    private bool TryPost(Action command)
    {
        try
        {
            Post(command);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void Refused(object? peer, string reason)
    {
        Statistics.HandshakeFailed();
        Logger.LogWarning("W: tls connection with {Peer} refused: {Reason}", peer, reason);
    }

    /// <summary>What a network peer can cause; anything else is a bug and is left to surface.</summary>
    private static bool IsConnectionFailure(Exception e) =>
        e is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException;

    private static string Reason(Exception e) => e switch
    {
        OperationCanceledException => "timed out or closed",
        AuthenticationException { InnerException: { } inner } => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };
}

/// <summary>Registers the tls driver with a manager.</summary>
public static class TlsDriverRegistration
{
    /// <summary>Registers and starts the <c>tls</c> driver.</summary>
    /// <exception cref="VtxDuplicateSchemeException">A <c>tls</c> driver is already registered.</exception>
    public static TlsDriver RegisterTls(this VtxManager vtx, TlsDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vtx);
        return vtx.Register((context, loggers) => new TlsDriver(context, loggers, options));
    }
}
