using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Zproto.Runtime.Zmq;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Benchmarks;

/// <summary>
/// NOM-1 REQ/REP round trips and PUSH/PULL messages through the udp driver, a raw UDP ping-pong
/// between two .NET sockets as the baseline, the same ping-pong through the driver's hops with none of
/// its work (<see cref="HopForwarder"/>: what §5.2's architecture costs by itself), libzmq's own
/// REQ/REP over tcp:// loopback for scale, and REQ/REP completion under 10 % injected loss.
/// Every operation is one message (OperationsPerInvoke), so 1 / Mean is the rate.
/// </summary>
[MemoryDiagnoser]
public class UdpBenchmarks
{
    private const int RoundTrips = 200;
    private const int Messages = 2000;
    private const int LossyRoundTrips = 20;

    private static readonly ReadOnlyMemory<byte>[] s_request = ["hello?"u8.ToArray()];
    private static readonly ReadOnlyMemory<byte>[] s_reply = ["ack"u8.ToArray()];

    private readonly List<byte[]> _frames = [];
    private readonly byte[] _buffer = new byte[512];
    private VtxManager _vtx = null!;
    private VtxManager _lossyVtx = null!;
    private ZmqSocket _req = null!, _rep = null!, _push = null!, _pull = null!, _lossyReq = null!, _lossyRep = null!;
    private ZmqContext _zmq = null!;
    private ZmqSocket _tcpReq = null!, _tcpRep = null!;
    private HopForwarder _hops = null!;
    private ZmqSocket _hopReq = null!, _hopRep = null!;
    private Socket _ping = null!, _pong = null!;
    private EndPoint _pongAddress = null!, _pingAddress = null!;

    [GlobalSetup]
    public void Setup()
    {
        _vtx = new VtxManager();
        _vtx.RegisterUdp();
        (_req, _rep) = Pair(_vtx, VtxSocketType.Req, VtxSocketType.Rep);
        (_pull, _push) = Pair(_vtx, VtxSocketType.Pull, VtxSocketType.Push);
        _lossyVtx = new VtxManager();
        _lossyVtx.RegisterUdp(new UdpDriverOptions { DropRate = 0.10, DropSeed = 10 });
        (_lossyReq, _lossyRep) = Pair(_lossyVtx, VtxSocketType.Req, VtxSocketType.Rep);

        _zmq = new ZmqContext();
        _tcpRep = new ZmqSocket(_zmq, ZmqSocketType.Rep) { Linger = TimeSpan.Zero };
        _tcpRep.Bind("tcp://127.0.0.1:*");
        _tcpReq = new ZmqSocket(_zmq, ZmqSocketType.Req) { Linger = TimeSpan.Zero };
        _tcpReq.Connect(_tcpRep.LastEndpoint);
        _tcpRep.ReceiveTimeout = _tcpReq.ReceiveTimeout = TimeSpan.FromSeconds(10);

        _ping = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _pong = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _ping.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _pong.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _pingAddress = _ping.LocalEndPoint!;
        _pongAddress = _pong.LocalEndPoint!;

        _hops = new HopForwarder(_zmq);
        _hops.Start();
        _hopReq = _hops.Connect(1);
        _hopRep = _hops.Connect(2);

        // One exchange each, so that peerings are up before measuring.
        RoundTrip(_req, _rep);
        RoundTrip(_hopReq, _hopRep);
        RoundTrip(_lossyReq, _lossyRep);
        RoundTrip(_tcpReq, _tcpRep);
        _push.SendMultipart(s_request);
        _pull.TryReceiveMultipart(_frames);
    }

    /// <summary>The bound side is created second and bound; the first connects to it.</summary>
    private static (ZmqSocket Connecting, ZmqSocket Bound) Pair(VtxManager vtx, VtxSocketType connecting, VtxSocketType bound)
    {
        var server = vtx.CreateSocket(bound);
        string endpoint = vtx.Bind(server, "udp://127.0.0.1:0");
        var client = vtx.CreateSocket(connecting);
        vtx.Connect(client, endpoint);
        server.ReceiveTimeout = client.ReceiveTimeout = TimeSpan.FromSeconds(10);
        return (client, server);
    }

    private void RoundTrip(ZmqSocket req, ZmqSocket rep)
    {
        req.SendMultipart(s_request);
        if (!rep.TryReceiveMultipart(_frames))
            throw new InvalidOperationException("request lost");
        rep.SendMultipart(s_reply);
        if (!req.TryReceiveMultipart(_frames))
            throw new InvalidOperationException("reply lost");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips, Description = "raw UDP ping-pong (round trip)")]
    public void RawUdpPingPong()
    {
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        for (int i = 0; i < RoundTrips; i++)
        {
            _ping.SendTo("hello?"u8, _pongAddress);
            _pong.ReceiveFrom(_buffer, ref from);
            _pong.SendTo("ack"u8, _pingAddress);
            _ping.ReceiveFrom(_buffer, ref from);
        }
    }

    [Benchmark(OperationsPerInvoke = RoundTrips, Description = "NOM-1 REQ/REP (round trip)")]
    public void NomReqRep()
    {
        for (int i = 0; i < RoundTrips; i++)
            RoundTrip(_req, _rep);
    }

    [Benchmark(OperationsPerInvoke = RoundTrips, Description = "UDP ping-pong through the driver's hops, no VTX work (round trip)")]
    public void HopPingPong()
    {
        for (int i = 0; i < RoundTrips; i++)
            RoundTrip(_hopReq, _hopRep);
    }

    [Benchmark(OperationsPerInvoke = RoundTrips, Description = "libzmq REQ/REP over tcp:// (round trip)")]
    public void ZmqTcpReqRep()
    {
        for (int i = 0; i < RoundTrips; i++)
            RoundTrip(_tcpReq, _tcpRep);
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "NOM-1 PUSH/PULL (message)")]
    public void NomPushPull()
    {
        // In batches the socket buffers absorb; UDP would drop a longer burst.
        for (int sent = 0; sent < Messages; sent += 50)
        {
            for (int i = 0; i < 50; i++)
                _push.SendMultipart(s_request);
            for (int i = 0; i < 50; i++)
            {
                if (!_pull.TryReceiveMultipart(_frames))
                    throw new InvalidOperationException("message lost");
            }
        }
    }

    [Benchmark(OperationsPerInvoke = LossyRoundTrips, Description = "NOM-1 REQ/REP, 10 % loss (round trip)")]
    public void NomReqRepUnderLoss()
    {
        for (int i = 0; i < LossyRoundTrips; i++)
            RoundTrip(_lossyReq, _lossyRep);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vtx.Dispose();
        _lossyVtx.Dispose();
        _tcpReq.Dispose();
        _tcpRep.Dispose();
        _hopReq.Dispose();
        _hopRep.Dispose();
        _hops.Dispose();
        _zmq.Dispose();
        _ping.Dispose();
        _pong.Dispose();
    }
}
