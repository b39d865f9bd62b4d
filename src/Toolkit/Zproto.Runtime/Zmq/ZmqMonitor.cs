using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// Reports connection events of a socket (<c>zmq_socket_monitor</c>): libzmq publishes them on an
/// inproc PAIR endpoint, and the monitor reads them from its own PAIR socket connected to it.
/// </summary>
/// <remarks>
/// <para>Create the monitor before the socket binds or connects: events raised before the monitor's
/// PAIR is connected are lost.</para>
/// <para>A monitor belongs to the thread that owns the monitored socket: create, read and dispose it
/// there, and dispose it before the monitored socket. <see cref="Socket"/> can be added to a
/// <see cref="ZmqPoller"/> with the owner's other sockets.</para>
/// </remarks>
public sealed class ZmqMonitor : IDisposable
{
    /// <summary>Length of an event's first frame: a 16-bit event id then a 32-bit value.</summary>
    private const int EventFrameLength = 6;

    private static long s_nextId;

    private readonly ZmqSocket _monitored;
    private readonly ZmqSocket _pair;
    private readonly List<byte[]> _frames = new(capacity: 2);
    private readonly ZmqPoller _poller = new();

    /// <summary>Starts monitoring <paramref name="socket"/>.</summary>
    /// <param name="socket">The socket to watch; owned by the calling thread.</param>
    /// <param name="events">The events to report.</param>
    /// <exception cref="ZmqContextTerminatedException">The socket's context was disposed.</exception>
    public ZmqMonitor(ZmqSocket socket, ZmqMonitorEventType events = ZmqMonitorEventType.All)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _monitored = socket;

        // inproc names are scoped to the context; the counter keeps concurrent monitors apart.
        string endpoint = $"inproc://zproto.runtime.monitor.{Interlocked.Increment(ref s_nextId)}";
        if (LibZmq.zmq_socket_monitor(socket.Handle, endpoint, events) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Monitoring on '{endpoint}'");
        }

        ZmqSocket? pair = null;
        try
        {
            pair = new ZmqSocket(socket.Context, ZmqSocketType.Pair);
            pair.Connect(endpoint);
        }
        catch
        {
            pair?.Dispose();
            _ = LibZmq.zmq_socket_monitor(socket.Handle, null, 0);
            throw;
        }

        _pair = pair;
        _poller.Add(pair);
    }

    /// <summary>The PAIR socket events arrive on, for a <see cref="ZmqPoller"/>. Read events with
    /// <see cref="TryReceive(out ZmqMonitorEvent, bool)"/>, not from the socket directly.</summary>
    public ZmqSocket Socket
    {
        get
        {
            ThrowIfDisposed();
            return _pair;
        }
    }

    /// <summary>Receives the next event.</summary>
    /// <param name="monitorEvent">The event, when the method returns <see langword="true"/>.</param>
    /// <param name="dontWait">Return <see langword="false"/> at once if no event is waiting.</param>
    /// <returns><see langword="false"/> if no event arrived without blocking, or within
    /// <see cref="Socket"/>'s <see cref="ZmqSocket.ReceiveTimeout"/>.</returns>
    /// <exception cref="InvalidDataException">libzmq sent something that is not a monitor event.</exception>
    public bool TryReceive(out ZmqMonitorEvent monitorEvent, bool dontWait = false)
    {
        ThrowIfDisposed();
        if (!_pair.TryReceiveMultipart(_frames, dontWait))
        {
            monitorEvent = default;
            return false;
        }

        monitorEvent = Parse(_frames);
        return true;
    }

    /// <summary>Receives the next event, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="monitorEvent">The event, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="false"/> if no event arrived in time.</returns>
    /// <exception cref="InvalidDataException">libzmq sent something that is not a monitor event.</exception>
    public bool TryReceive(TimeSpan timeout, out ZmqMonitorEvent monitorEvent)
    {
        ThrowIfDisposed();

        // Polling rather than setting the socket's ReceiveTimeout leaves the other overload's wait unchanged.
        if (_poller.Poll(timeout) == 0)
        {
            monitorEvent = default;
            return false;
        }

        return TryReceive(out monitorEvent, dontWait: true);
    }

    /// <summary>Stops monitoring and closes the monitor's socket. Idempotent.</summary>
    public void Dispose()
    {
        if (_pair.IsDisposed)
        {
            return;
        }

        // A disposed monitored socket has already stopped its monitor on close.
        if (!_monitored.IsDisposed)
        {
            _ = LibZmq.zmq_socket_monitor(_monitored.Handle, null, 0);
        }

        _pair.Dispose();
    }

    /// <summary>
    /// Parses libzmq's two-frame event: frame 1 is the 16-bit event id then the 32-bit value, in the
    /// host's byte order (libzmq copies them from memory, so they are not network order); frame 2
    /// is the endpoint.
    /// </summary>
    /// <exception cref="InvalidDataException">The frames do not have that shape.</exception>
    internal static ZmqMonitorEvent Parse(IReadOnlyList<byte[]> frames)
    {
        if (frames.Count != 2 || frames[0].Length != EventFrameLength)
        {
            throw new InvalidDataException(
                $"A monitor event is 2 frames, the first {EventFrameLength} bytes long; got {frames.Count} "
                + $"frame(s), the first {(frames.Count > 0 ? frames[0].Length : 0)} bytes long.");
        }

        ReadOnlySpan<byte> head = frames[0];
        ushort type = MemoryMarshal.Read<ushort>(head);
        uint value = MemoryMarshal.Read<uint>(head[sizeof(ushort)..]);
        return new ZmqMonitorEvent((ZmqMonitorEventType)type, value, Encoding.UTF8.GetString(frames[1]));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_pair.IsDisposed, this);
}
