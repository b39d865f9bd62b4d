using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Zp.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of zpd whose path can be broken: <see cref="Break"/>
/// closes every connection and refuses new ones until <see cref="Restore"/>, as a network outage
/// looks to ZeroMQ (which reconnects by itself). <see cref="PauseAfter"/> instead stops forwarding
/// (connections stay open, as on a stalled route) once that many bytes went towards zpd, so a test
/// can interrupt a transfer at a known point; <see cref="Resume"/> lets the bytes flow again.
/// </summary>
internal sealed class BreakableProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _lock = new();
    private readonly TaskCompletionSource _pausedReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _flowing = NewFlowing(flowing: true);
    private long _pauseAfter = long.MaxValue;
    private long _upstream;
    private volatile bool _broken;

    public BreakableProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far (a reconnect adds one).</summary>
    public int Accepted { get; private set; }

    public void Break()
    {
        _broken = true;
        CloseAll();
    }

    public void Restore() => _broken = false;

    /// <summary>Completes once the proxy paused itself (see <see cref="PauseAfter"/>).</summary>
    public Task Paused => _pausedReached.Task;

    /// <summary>Stops forwarding in both directions once <paramref name="bytes"/> bytes were forwarded towards zpd.</summary>
    public void PauseAfter(long bytes)
    {
        lock (_lock)
            _pauseAfter = bytes;
    }

    public void Resume()
    {
        lock (_lock)
        {
            _pauseAfter = long.MaxValue;
            _flowing.TrySetResult();
        }
    }

    private static TaskCompletionSource NewFlowing(bool flowing)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (flowing)
            source.SetResult();
        return source;
    }

    /// <summary>Counts bytes going to zpd; returns what to wait for before writing them (paused or not).</summary>
    private Task Forwarding(int bytes, bool upstream)
    {
        lock (_lock)
        {
            if (upstream)
                _upstream += bytes;
            if (_upstream >= _pauseAfter && _flowing.Task.IsCompleted)
            {
                _flowing = NewFlowing(flowing: false);
                _pausedReached.TrySetResult();
            }
            return _flowing.Task;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (_broken)
            {
                inbound.Dispose();
                continue;
            }
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _targetPort);
            }
            catch (SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            Accepted++;
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }
            _ = PumpAsync(inbound, outbound, upstream: true);
            _ = PumpAsync(outbound, inbound, upstream: false);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool upstream)
    {
        var buffer = new byte[65536];
        try
        {
            var source = from.GetStream();
            var sink = to.GetStream();
            int read;
            while ((read = await source.ReadAsync(buffer)) > 0)
            {
                await Forwarding(read, upstream);
                await sink.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is System.IO.IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Broken on purpose, or the peer closed.
        }
        from.Dispose();
        to.Dispose();
    }

    private void CloseAll()
    {
        lock (_open)
        {
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        CloseAll();
        // Paused pumps wake up and fail on the closed connections.
        Resume();
        _stop.Dispose();
    }
}
