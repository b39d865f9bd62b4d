using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Zproto.Vtx.Tls;

/// <summary>
/// One open TLS connection of a vocket, after the handshake and the greeting. Its reader and writer
/// run as asynchronous tasks; the routing state (<see cref="AwaitingReply"/>, <see cref="Attached"/>)
/// belongs to the driver's owner thread.
/// </summary>
internal sealed class TlsConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _stream;
    private readonly Channel<IReadOnlyList<byte[]>> _sendQueue;
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    /// <summary>Set when a send found the queue full; the writer then tells the owner thread when there is room again.</summary>
    private volatile bool _blocked;

    private TlsConnection(Socket socket, SslStream stream, IPEndPoint remote, VtxSocketType peerType, TlsDriverOptions options)
    {
        _socket = socket;
        _stream = stream;
        Remote = remote;
        PeerType = peerType;
        Identity = $"tls://{remote}";
        Reader = new TlsFrameReader(stream, options);
        ReceiveSlots = new SemaphoreSlim(options.ReceiveQueueLimit, options.ReceiveQueueLimit);
        _sendQueue = Channel.CreateBounded<IReadOnlyList<byte[]>>(new BoundedChannelOptions(options.SendQueueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then says "full" instead of dropping silently
        });
    }

    /// <summary>The peer's address.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>The ROUTER identity of this connection: <c>tls://ip:port</c> of the peer.</summary>
    public string Identity { get; }

    /// <summary>The socket type the peer announced in its greeting.</summary>
    public VtxSocketType PeerType { get; }

    /// <summary>Reads the peer's messages.</summary>
    public TlsFrameReader Reader { get; }

    /// <summary>Messages read but not yet handled by the owner thread; the reader waits for a slot.</summary>
    public SemaphoreSlim ReceiveSlots { get; }

    /// <summary>Cancelled when the connection closes.</summary>
    public CancellationToken Closed => _closed.Token;


    /// <summary>Owner thread: the connection is in its vocket's live list.</summary>
    public bool Attached { get; set; }

    /// <summary>Owner thread, REQ: a request went out on this connection and its reply has not come back.</summary>
    public bool AwaitingReply { get; set; }

    /// <summary>Server side: TLS with the server certificate (a client certificate as configured), then the greeting.</summary>
    public static async Task<TlsConnection> AcceptAsync(Socket socket, TlsDriverOptions options, TlsTrust trust, VtxSocketType local, CancellationToken cancellationToken)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        socket.NoDelay = true;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = options.ServerCertificate,
                ClientCertificateRequired = options.RequireClientCertificate,
                RemoteCertificateValidationCallback = trust.ValidateClient,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, cancellationToken).ConfigureAwait(false);
            var peer = await GreetAsync(stream, local, cancellationToken).ConfigureAwait(false);
            return new TlsConnection(socket, stream, remote, peer, options);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Client side: TCP connect, TLS validating the server as configured, then the greeting.</summary>
    public static async Task<TlsConnection> ConnectAsync(string host, int port, TlsDriverOptions options, TlsTrust trust, VtxSocketType local, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? stream = null;
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = options.TargetHost ?? host,
                // Offered whatever issuers the server names: a private CA is rarely in the server's list.
                LocalCertificateSelectionCallback = options.ClientCertificate is { } certificate ? (_, _, _, _, _) => certificate : null,
                RemoteCertificateValidationCallback = trust.ValidateServer,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, cancellationToken).ConfigureAwait(false);
            // With TLS 1.3 a refused client certificate shows only now, when the greeting read fails.
            var peer = await GreetAsync(stream, local, cancellationToken).ConfigureAwait(false);
            return new TlsConnection(socket, stream, remote, peer, options);
        }
        catch
        {
            if (stream is not null)
                await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            throw;
        }
    }

    private static async Task<VtxSocketType> GreetAsync(SslStream stream, VtxSocketType local, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(TlsFraming.Greeting(local), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        var greeting = new byte[TlsFraming.GreetingSize];
        await stream.ReadExactlyAsync(greeting, cancellationToken).ConfigureAwait(false);
        return TlsFraming.ParseGreeting(greeting, local);
    }

    /// <summary>Owner thread: queues a message for the writer; false when the queue is full or the connection closed.</summary>
    public bool TrySend(IReadOnlyList<byte[]> frames)
    {
        if (_sendQueue.Writer.TryWrite(frames))
            return true;
        _blocked = true;
        return false;
    }

    /// <summary>
    /// Owner thread, at a lingering close: no more messages; the writer writes what is queued, then
    /// ends the sending side (TLS close_notify and a TCP FIN). The connection closes when the peer
    /// answers with its own end, which the reader sees, so nothing written is cut off by a reset.
    /// </summary>
    public void FinishSending() => _sendQueue.Writer.TryComplete();

    /// <summary>
    /// Writes queued messages, many per TLS record, until the connection closes or
    /// <see cref="FinishSending"/> was called and the queue is empty. Calls <paramref name="onRoom"/>
    /// (from the writer's task) after a write when a send found the queue full.
    /// </summary>
    public async Task WriteLoopAsync(Action onRoom)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var reader = _sendQueue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(Closed).ConfigureAwait(false))
            {
                while (buffer.WrittenCount < 64 * 1024 && reader.TryRead(out var frames))
                    TlsFraming.Encode(frames, buffer);
                await _stream.WriteAsync(buffer.WrittenMemory, Closed).ConfigureAwait(false);
                buffer.ResetWrittenCount();
                if (_blocked)
                {
                    _blocked = false;
                    onRoom();
                }
            }
            if (Closed.IsCancellationRequested)
                return; // the queue ended because the connection closed
            // Finished: everything queued is written; the reader keeps going until the peer's end.
            await _stream.ShutdownAsync().WaitAsync(Closed).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch
        {
            Dispose(); // a failed write closes the connection, which also ends its reader
            throw;
        }
    }

    /// <summary>Closes the connection; the reader and writer end with an exception they treat as the close.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _sendQueue.Writer.TryComplete();
        _closed.Cancel();
        _stream.Dispose();
        _socket.Dispose();
        // _closed is not disposed: the reader and writer may still read its token as they unwind.
    }
}
