using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;

namespace Zproto.Vtx.Benchmarks;

/// <summary>
/// The udp driver's data path with none of its work: the same owner-thread loop (an
/// <see cref="ActorLoop"/>), the same inproc ROUTER that application DEALERs connect to, and two UDP
/// sockets in the same poll set. What application socket 1 sends leaves UDP socket A for B and comes
/// out of the ROUTER to application socket 2, and back the other way. No codec, no peerings, no
/// machines: a round trip through it costs only the thread hand-overs and the system calls, which is
/// what a NOM-1 round trip cannot avoid under §5.2's architecture.
/// </summary>
internal sealed class HopForwarder : ActorLoop
{
    private static readonly byte[] s_first = [1], s_second = [2];
    private readonly List<byte[]> _frames = [];
    private readonly List<ReadOnlyMemory<byte>> _outgoing = [];
    private readonly byte[] _buffer = new byte[512];
    private Socket _a = null!, _b = null!;
    private EndPoint _aAddress = null!, _bAddress = null!;
    private ZmqSocket _router = null!;
    private int _routerIndex, _aIndex, _bIndex;

    public HopForwarder(ZmqContext context)
        : base(context, NullLogger.Instance, "hop-forwarder")
    {
        Endpoint = $"inproc://hop-forwarder-{Environment.ProcessId}-{GetHashCode()}";
    }

    public string Endpoint { get; }

    public void Start() => StartLoop();

    /// <summary>An application DEALER on side 1 or 2, connected to the forwarder like a vocket's socket to its driver.</summary>
    public ZmqSocket Connect(int side)
    {
        var socket = new ZmqSocket(Context, ZmqSocketType.Dealer) { Linger = TimeSpan.Zero, RoutingId = side == 1 ? s_first : s_second };
        socket.Connect(Endpoint);
        socket.ReceiveTimeout = TimeSpan.FromSeconds(10);
        return socket;
    }

    protected override void OnStart(ZmqPoller poller)
    {
        _router = new ZmqSocket(Context, ZmqSocketType.Router) { Linger = TimeSpan.Zero };
        _router.Bind(Endpoint);
        _routerIndex = poller.Add(_router);
        _a = Udp(out _aAddress);
        _b = Udp(out _bAddress);
        _aIndex = poller.AddDescriptor(_a.Handle);
        _bIndex = poller.AddDescriptor(_b.Handle);
    }

    private static Socket Udp(out EndPoint address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        address = socket.LocalEndPoint!;
        return socket;
    }

    protected override void OnReadable(int index)
    {
        if (index == _routerIndex)
        {
            while (_router.TryReceiveMultipart(_frames, dontWait: true))
            {
                // [routing id, payload]: side 1 goes out of A to B, side 2 out of B to A.
                if (_frames[0][0] == 1)
                    _a.SendTo(_frames[1], _bAddress);
                else
                    _b.SendTo(_frames[1], _aAddress);
                _frames.Clear();
            }
        }
        else if (index == _aIndex)
        {
            Forward(_a, s_first);
        }
        else if (index == _bIndex)
        {
            Forward(_b, s_second);
        }
    }

    /// <summary>A datagram that arrived at A goes to application side 1 (it came from side 2), at B to side 2.</summary>
    private void Forward(Socket socket, byte[] side)
    {
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int length = socket.ReceiveFrom(_buffer, ref from);
        _outgoing.Clear();
        _outgoing.Add(side);
        _outgoing.Add(_buffer.AsMemory(0, length).ToArray());
        _router.TrySendMultipart(_outgoing, dontWait: true);
    }

    protected override void OnStop()
    {
        _router.Dispose();
        _a.Dispose();
        _b.Dispose();
    }
}
