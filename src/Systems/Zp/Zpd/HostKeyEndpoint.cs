using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zp.Client;

namespace Zpd;

/// <summary>
/// Serves zpd's public key, unauthenticated, on a plain TCP port so a client meeting this host for
/// the first time can learn the key CURVE needs (<see cref="HostKeys"/>): every connection gets the
/// one line <c>ZPD-KEY Z85-KEY</c> and is closed. Nothing is read, so a client cannot make it hold
/// memory. What it serves is public; trusting it on first contact is the client's choice, as ssh's.
/// </summary>
internal sealed class HostKeyEndpoint(string endpoint, string publicKey, ILogger<HostKeyEndpoint> logger) : IHostedService, IDisposable
{
    private readonly byte[] _line = Encoding.ASCII.GetBytes($"{HostKeys.LinePrefix}{publicKey}\n");
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    /// <summary>The endpoint actually bound (a wildcard port resolved), once started.</summary>
    public string? BoundEndpoint { get; private set; }

    /// <summary>The key endpoint for a zp endpoint: same host, port + 1 (a wildcard port stays a wildcard); null for a non-tcp endpoint.</summary>
    public static string? DefaultFor(string zpEndpoint)
    {
        if (!TryParse(zpEndpoint, out var host, out var port))
            return null;
        return $"tcp://{host}:{(port == 0 ? "*" : (port + 1).ToString(CultureInfo.InvariantCulture))}";
    }

    /// <summary>Splits <c>tcp://HOST:PORT</c> (<c>*</c> for any host or port; port 0 means any).</summary>
    public static bool TryParse(string endpoint, out string host, out int port)
    {
        host = "";
        port = 0;
        if (!endpoint.StartsWith("tcp://", StringComparison.Ordinal))
            return false;
        var rest = endpoint["tcp://".Length..];
        var colon = rest.LastIndexOf(':');
        if (colon <= 0)
            return false;
        host = rest[..colon];
        var portText = rest[(colon + 1)..];
        return portText == "*" || (int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65535);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!TryParse(endpoint, out var host, out var port))
            throw new FormatException($"--key-endpoint '{endpoint}' is not tcp://HOST:PORT (or 'none')");
        var address = host == "*" ? IPAddress.Any : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : Resolve(host);
        _listener = new TcpListener(address, port);
        _listener.Start();
        var bound = (IPEndPoint)_listener.LocalEndpoint;
        BoundEndpoint = $"tcp://{host}:{bound.Port.ToString(CultureInfo.InvariantCulture)}";
        _accepting = AcceptAsync(_listener, _stopping.Token);
        return Task.CompletedTask;
    }

    // ZeroMQ also binds interface names (tcp://eth0:6522); a plain socket needs an address.
    private IPAddress Resolve(string host)
    {
        try
        {
            return Dns.GetHostAddresses(host) is { Length: > 0 } addresses ? addresses[0] : throw new SocketException((int)SocketError.HostNotFound);
        }
        catch (SocketException)
        {
            throw new FormatException($"key endpoint '{endpoint}': cannot resolve '{host}' to an address; give --key-endpoint tcp://IP:PORT, or none");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        await _accepting.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client, stopping);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        using var _ = client;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await client.SendAsync(_line, SocketFlags.None, limit.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            logger.LogDebug("key endpoint: {Peer}: {Error}", client.RemoteEndPoint, e.Message);
        }
    }
}
