using System;
using System.Collections.Generic;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Zproto.Echo;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Benchmarks;

/// <summary>
/// Request/reply over tcp://127.0.0.1 with 16-byte bodies: a DEALER sends a window of ECHOs and
/// waits for all replies, (1) through the generated echo server (decode, state machine, encode) and
/// (2) through a raw ROUTER echo thread that bounces frames back untouched, on the same binding.
/// Throughput = Window / mean time; latency = the Window=1 run.
/// </summary>
[MemoryDiagnoser]
public class EchoServerBenchmarks
{
    private ZmqContext _context = null!;
    private EchoServer _server = null!;
    private ZmqSocket _toServer = null!;
    private ZmqSocket _toRaw = null!;
    private ZmqSocket _raw = null!;
    private Thread _rawThread = null!;
    private ZmqSocket _toCopying = null!;
    private ZmqSocket _copying = null!;
    private Thread _copyingThread = null!;
    private volatile bool _stop;
    private ReadOnlyMemory<byte>[] _echo = null!;
    private readonly ZmqMessageBuffer _reply = new();

    /// <summary>The raw echoes' threads, for <see cref="CpuProfile"/> (/proc task ids).</summary>
    internal int RawThread { get; private set; }

    internal int CopyingThread { get; private set; }

    /// <summary>The generated server's owner thread.</summary>
    internal int ServerThread => _server.Invoke(CpuProfile.CurrentThread).GetAwaiter().GetResult();

    /// <summary>Bytes allocated so far on the generated server's owner thread.</summary>
    internal long ServerAllocated => _server.Invoke(GC.GetAllocatedBytesForCurrentThread).GetAwaiter().GetResult();

    /// <summary>Requests in flight per measured operation.</summary>
    [Params(1, 1000)]
    public int Window { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _context = new ZmqContext();
        _server = new EchoServer(new ServerOptions { Endpoints = { "tcp://127.0.0.1:*" }, Context = _context });
        _server.Start();
        _toServer = Connect(_server.Endpoints[0]);
        _toServer.SendMultipart(EchoMsg.EncodeFrames(new EchoMsg.Hello { Name = "bench" }));
        _toServer.ReceiveMultipart();

        // Unbounded queues on both sides, like the generated server: a ROUTER silently drops replies
        // past its high-water mark, and a window of 1000 would then wait forever.
        _raw = new ZmqSocket(_context, ZmqSocketType.Router) { SendHighWatermark = 0, ReceiveHighWatermark = 0 };
        _raw.Bind("tcp://127.0.0.1:*");
        _toRaw = Connect(_raw.LastEndpoint);
        _rawThread = new Thread(RawEcho) { IsBackground = true, Name = "raw_echo" };
        _rawThread.Start();

        _copying = new ZmqSocket(_context, ZmqSocketType.Router) { SendHighWatermark = 0, ReceiveHighWatermark = 0 };
        _copying.Bind("tcp://127.0.0.1:*");
        _toCopying = Connect(_copying.LastEndpoint);
        _copyingThread = new Thread(CopyingEcho) { IsBackground = true, Name = "copying_echo" };
        _copyingThread.Start();

        _echo = EchoMsg.EncodeFrames(new EchoMsg.Echo { Sequence = 1, Body = new byte[16] });
    }

    private ZmqSocket Connect(string endpoint)
    {
        var socket = new ZmqSocket(_context, ZmqSocketType.Dealer) { SendHighWatermark = 0, ReceiveHighWatermark = 0, ReceiveTimeout = TimeSpan.FromSeconds(10) };
        socket.Connect(endpoint);
        return socket;
    }

    // A hand-written echo with the engine's loop shape (poll, then drain without blocking): what a
    // server costs with no codec and no state machine. It reads frames in place, as the engine does,
    // and sends each straight from libzmq's memory.
    private void RawEcho()
    {
        RawThread = CpuProfile.CurrentThread();
        using var frames = new ZmqMessageBuffer();
        var poller = new ZmqPoller();
        poller.Add(_raw);
        while (!_stop)
        {
            if (poller.Poll(TimeSpan.FromMilliseconds(100)) == 0)
                continue;
            while (frames.TryReceive(_raw, dontWait: true))
            {
                for (var i = 0; i < frames.Count; i++)
                    _raw.Send(frames[i], more: i < frames.Count - 1);
            }
        }
    }

    // The raw echo as it was measured before frames were read in place: each frame copied into a new
    // array, as ZmqSocket.TryReceiveMultipart still does. Kept to show what the in-place receive saves.
    private void CopyingEcho()
    {
        CopyingThread = CpuProfile.CurrentThread();
        var frames = new List<byte[]>();
        var outgoing = new List<ReadOnlyMemory<byte>>();
        var poller = new ZmqPoller();
        poller.Add(_copying);
        while (!_stop)
        {
            if (poller.Poll(TimeSpan.FromMilliseconds(100)) == 0)
                continue;
            while (_copying.TryReceiveMultipart(frames, dontWait: true))
            {
                outgoing.Clear();
                foreach (var f in frames)
                    outgoing.Add(f);
                _copying.SendMultipart(outgoing);
            }
        }
    }

    [Benchmark(Baseline = true, Description = "raw ROUTER echo")]
    public void RawEchoRoundTrips() => RoundTrips(_toRaw);

    [Benchmark(Description = "raw ROUTER echo, copying receive")]
    public void CopyingEchoRoundTrips() => RoundTrips(_toCopying);

    [Benchmark(Description = "generated echo server")]
    public void GeneratedServerRoundTrips() => RoundTrips(_toServer);

    private void RoundTrips(ZmqSocket socket)
    {
        for (var i = 0; i < Window; i++)
            socket.SendMultipart(_echo);
        for (var i = 0; i < Window; i++)
        {
            if (!_reply.TryReceive(socket))
                throw new TimeoutException("a reply was lost");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _rawThread.Join();
        _copyingThread.Join();
        _toCopying.Dispose();
        _copying.Dispose();
        _toServer.Dispose();
        _toRaw.Dispose();
        _raw.Dispose();
        _server.Dispose();
        _reply.Dispose();
        _context.Dispose();
    }
}
