using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Vtx.Udp;

/// <summary>
/// The <c>udp</c> driver: ZeroMQ socket emulation over NOM-1 datagrams, byte-compatible with the
/// 2011 <c>vtx_udp</c> (§5.3–§5.6). This part holds the control commands and the UDP I/O; the
/// peering lifecycle and the message routing are in the other parts.
/// </summary>
/// <remarks>
/// One owner thread does everything: its zmq poll set holds the data ROUTER and, as plain descriptors,
/// every vocket's UDP sockets, which it reads itself. Each vocket's peerings and a REQ's requests are
/// generated state machines (<see cref="VtxUdpPeeringServer"/>, <see cref="VtxUdpRequestServer"/>) run
/// by the runtime's engine on this same thread over a datagram transport.
/// </remarks>
public sealed partial class UdpDriver : VtxDriver
{
    /// <summary>The scheme this driver serves.</summary>
    public const string SchemeName = "udp";

    /// <summary>The largest NOM-1 datagram, header included.</summary>
    public const int MaxDatagram = VtxNom1.MaxSize;

    private readonly UdpDriverOptions _options;
    private readonly Dictionary<int, Vocket> _vockets = [];
    private readonly Random _lossRandom;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Dictionary<int, (Vocket Vocket, Socket Socket)> _readers = [];
    private readonly Stack<int> _freeSlots = new();
    // Room for any UDP datagram, so that an over-long one is read whole and dropped as such
    // (a short buffer makes the receive fail with EMSGSIZE instead).
    private readonly byte[] _receiveBuffer = new byte[ushort.MaxValue];
    // Filled by each receive and looked up in the vocket's sender cache, so a datagram allocates no address.
    private readonly SocketAddress _receivedAddress = new(AddressFamily.InterNetwork);
    private ZmqPoller? _poller;

    /// <summary>Creates the driver; <see cref="VtxManager.Register{TDriver}"/> starts it.</summary>
    public UdpDriver(ZmqContext context, ILoggerFactory loggerFactory, UdpDriverOptions? options = null)
        : base(SchemeName, context, loggerFactory.CreateLogger<UdpDriver>())
    {
        _options = options ?? new UdpDriverOptions();
        _options.Validate();
        _lossRandom = _options.DropSeed is { } seed ? new Random(seed) : new Random();
        _loggerFactory = loggerFactory;
        Heartbeat = Math.Max(1, (long)_options.PeerTimeout.TotalMilliseconds / 3);
    }

    /// <summary>After this many milliseconds of sending nothing, a live peering sends HUGZ (a third of the timeout).</summary>
    internal long Heartbeat { get; }

    /// <summary>The driver's monotonic clock in milliseconds, for the machines' actions.</summary>
    internal static long Clock => Now;

    /// <summary>The driver's counters.</summary>
    public UdpDriverStatistics Statistics { get; } = new();

    /// <inheritdoc />
    protected override void OnStart(ZmqPoller poller)
    {
        base.OnStart(poller);
        _poller = poller;
        ScheduleAt(Now + (long)_options.OhaiInterval.TotalMilliseconds, OnMonitor);
        ScheduleAt(Now + (long)_options.ResendInterval.TotalMilliseconds, OnResendTimer);
    }

    /// <inheritdoc />
    protected override void OnStop()
    {
        foreach (var vocket in _vockets.Values.ToList())
            DestroyVocket(vocket);
        base.OnStop();
    }

    /// <inheritdoc />
    protected internal override void OpenVocket(int id, VtxSocketType type)
    {
        var output = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        try
        {
            // Bound at once so that answers to the first OHAI have a port to come back to.
            output.Bind(new IPEndPoint(IPAddress.Any, 0));
        }
        catch
        {
            output.Dispose();
            throw;
        }
        var vocket = new Vocket(id, type, output, new VtxUdpPeeringServer(MachineOptions(), _loggerFactory.CreateLogger<VtxUdpPeeringServer>()),
            type == VtxSocketType.Req ? new VtxUdpRequestServer(MachineOptions(), _loggerFactory.CreateLogger<VtxUdpRequestServer>()) : null);
        vocket.Peerings.Attach(this, vocket);
        vocket.Requests?.Attach(this, vocket);
        _vockets.Add(id, vocket);
        Watch(vocket, output);
    }

    /// <summary>The engine settings of a vocket's machines: the peer timeout is the engine's client expiry.</summary>
    private ServerOptions MachineOptions() => new()
    {
        Context = Context,
        ClientTimeout = _options.PeerTimeout,
        Verbose = Logger.IsEnabled(LogLevel.Trace),
    };

    /// <inheritdoc />
    protected internal override string Bind(int id, string address)
    {
        var vocket = _vockets[id];
        if (vocket.Bindings.TryGetValue(address, out var existing))
            return existing.Endpoint;
        var (host, port) = VtxAddress.Split(SchemeName, address);
        var ip = host == "*" ? IPAddress.Any : VtxAddress.Resolve(SchemeName, address, host);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(ip, port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new VtxDriverException($"Cannot bind udp://{address}: {e.Message}", e);
        }
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        string endpoint = $"udp://{(host == "*" ? "*" : bound.Address.ToString())}:{bound.Port}";
        vocket.Bindings.Add(address, (socket, endpoint));
        // Binding again to what this bind returned (the real port for port 0) is idempotent too.
        vocket.Bindings.TryAdd(endpoint[(SchemeName.Length + 3)..], (socket, endpoint));
        Watch(vocket, socket);
        Logger.LogDebug("I: bound {Endpoint}", endpoint);
        return endpoint;
    }

    /// <inheritdoc />
    protected internal override void Connect(int id, string address)
    {
        var vocket = _vockets[id];
        var (host, port) = VtxAddress.Split(SchemeName, address);
        if (vocket.Peerings.Find(address) is not null || vocket.Peerings.All.Any(p => p.ConnectKey == address))
            return; // idempotent, as in the original
        if (vocket.Peerings.Count >= vocket.Config.MaxPeerings)
            throw new VtxDriverException($"Cannot connect udp://{address}: the {vocket.Type} socket has its maximum of {vocket.Config.MaxPeerings} peerings");
        bool broadcast = host == "*";
        var ip = broadcast ? _options.BroadcastAddress : VtxAddress.Resolve(SchemeName, address, host);
        vocket.Peerings.Connect(address, new IPEndPoint(ip, port), broadcast);
    }

    /// <inheritdoc />
    /// <remarks>Besides the original's <c>"sender"</c>, <c>"peerings"</c> gives the number of live peerings.</remarks>
    protected internal override string? GetMeta(int id, string name) => name switch
    {
        "sender" => _vockets[id].LastSender?.Address.ToString(),
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
    /// <remarks>A datagram leaves as it is sent, so what is left is the outbox waiting for peerings, which keep working meanwhile.</remarks>
    protected override bool TryFlush(int id) => !_vockets.TryGetValue(id, out var vocket) || vocket.Outbox.Count == 0;

    private void DestroyVocket(Vocket vocket)
    {
        for (int i = 0; i < vocket.Outbox.Count; i++)
            Statistics.Unsent(); // no peering came up within the linger
        foreach (var peering in vocket.Peerings.All.ToList())
            vocket.Peerings.Raise(peering, VtxUdpPeeringServer.Event.Close);
        vocket.Closed = true;
        vocket.Requests?.Dispose();
        vocket.Peerings.Dispose();
        Unwatch(vocket);
        vocket.Output.Dispose();
        foreach (var (socket, _) in vocket.Bindings.Values)
            socket.Dispose(); // twice for a socket under two keys, which is harmless
        _vockets.Remove(vocket.Id);
    }

    /// <summary>Puts <paramref name="socket"/> in the loop's poll set, as a plain descriptor next to the ZeroMQ sockets.</summary>
    private void Watch(Vocket vocket, Socket socket)
    {
        socket.Blocking = false;
        if (_freeSlots.TryPop(out int index))
            _poller!.SetDescriptor(index, socket.Handle);
        else
            index = _poller!.AddDescriptor(socket.Handle);
        _readers[index] = (vocket, socket);
        vocket.Slots.Add(index);
    }

    /// <summary>Takes a vocket's sockets out of the poll set (before they close, so a reused descriptor number is never polled).</summary>
    private void Unwatch(Vocket vocket)
    {
        foreach (int index in vocket.Slots)
        {
            _poller!.SetDescriptor(index, -1);
            _readers.Remove(index);
            _freeSlots.Push(index);
        }
        vocket.Slots.Clear();
    }

    /// <inheritdoc />
    /// <remarks>A UDP socket is read right here on the owner thread: no receive completion on the thread
    /// pool and no hand-over by <c>Post</c> per datagram.</remarks>
    protected override void OnReadable(int index)
    {
        if (!_readers.TryGetValue(index, out var reader))
        {
            base.OnReadable(index);
            return;
        }
        // A bounded batch, so one busy socket cannot starve the others, the application and the timers.
        for (int i = 0; i < 64 && !reader.Vocket.Closed; i++)
        {
            if (i > 0 && reader.Socket.Available == 0)
                return;
            int length;
            try
            {
                length = reader.Socket.ReceiveFrom(_receiveBuffer, SocketFlags.None, _receivedAddress);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP-reported errors and the like: the socket is still usable
            }
            var (from, key) = SenderOf(reader.Vocket, _receivedAddress);
            OnDatagram(reader.Vocket, from, key, _receiveBuffer.AsSpan(0, length).ToArray());
        }
    }

    /// <summary>Sends one datagram to <paramref name="peering"/>; false when the error means the peer is gone (§5.8).</summary>
    internal bool SendTo(Vocket vocket, VtxUdpPeeringServer.Client peering, ReadOnlySpan<byte> datagram)
    {
        try
        {
            vocket.Output.SendTo(datagram, SocketFlags.None, peering.SocketAddress);
            Statistics.Sent();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable
            or SocketError.NetworkDown or SocketError.HostUnreachable or SocketError.NetworkUnreachable
            or SocketError.Interrupted or SocketError.ConnectionRefused or SocketError.AccessDenied)
        {
            // Transient, or the original's "ignored and retried" class: the next tick tries again.
            return true;
        }
        catch (SocketException e)
        {
            Logger.LogWarning("E: send to {Address} failed: {Error}", peering.Address, e.SocketErrorCode);
            return false;
        }
    }
}

/// <summary>Registers the udp driver with a manager.</summary>
public static class UdpDriverRegistration
{
    /// <summary>Registers and starts the <c>udp</c> driver (the original's <c>vtx_udp_load</c>).</summary>
    /// <exception cref="VtxDuplicateSchemeException">A <c>udp</c> driver is already registered.</exception>
    public static UdpDriver RegisterUdp(this VtxManager vtx, UdpDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vtx);
        return vtx.Register((context, loggers) => new UdpDriver(context, loggers, options));
    }
}
