using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Zccp.Protocol;
using Zccpd;
using Zproto.Runtime.Zmq;

namespace Zccp.Benchmarks;

/// <summary>
/// Fan-out: one publisher, 100 subscribers of <c>^cpu\.</c>, 100 notifications of 64 bytes per
/// operation (10,000 deliveries; times are per delivery). (1) through a raw XSUB→XPUB forwarding thread
/// with prefix subscriptions <c>cpu.</c> on the same libzmq binding — the ceiling a broker adds to;
/// (2) through this build's zccpd; (3) through the zccpd of another build, loaded beside it
/// (<see cref="BaselineBroker"/>: set <c>ZCCP_BASELINE_DIR</c>), so before and after run side by side.
/// Each row sets up only its own sockets. The broker side (zccpd, or the proxy's XSUB and XPUB) has a libzmq
/// context of its own, as a broker in its own process would: its I/O thread is not the clients' one.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private const int Subscribers = 100;
    private const int Publishes = 100;
    private readonly List<byte[]> _scratch = new();
    private readonly byte[] _payload = new byte[64];
    private ZmqContext _context = null!;
    private ZmqContext? _brokerContext;
    private ZccpServer? _server;
    private BaselineBroker? _baseline;
    private ZmqSocket _publisher = null!;
    private ZmqSocket[] _subscribers = null!;
    private ReadOnlyMemory<byte>[][] _publishFrames = null!;
    private ZmqSocket? _xsub;
    private ZmqSocket? _xpub;
    private Thread? _proxy;
    private volatile bool _stop;

    [GlobalSetup(Target = nameof(Zccpd))]
    public void SetupZccpd()
    {
        _context = new ZmqContext();
        _brokerContext = new ZmqContext();
        _server = Sockets.StartBroker(_brokerContext);
        ConnectZccp(_server.Endpoints[0]);
    }

    [GlobalSetup(Target = nameof(ZccpdBaselineBuild))]
    public void SetupBaseline()
    {
        _context = new ZmqContext();
        _baseline = BaselineBroker.Start();
        ConnectZccp(_baseline.Endpoint);
    }

    private void ConnectZccp(string endpoint)
    {
        _publisher = Sockets.Greeted(_context, endpoint, "publisher");
        _subscribers = new ZmqSocket[Subscribers];
        for (var i = 0; i < Subscribers; i++)
        {
            _subscribers[i] = Sockets.Greeted(_context, endpoint, $"subscriber-{i}");
            Sockets.Subscribe(_subscribers[i], @"^cpu\.");
        }
        _publishFrames = new ReadOnlyMemory<byte>[Publishes][];
        for (var n = 0; n < Publishes; n++)
            _publishFrames[n] = ZccpMsg.EncodeFrames(new ZccpMsg.Publish { Address = $"cpu.{n}", Content = new ReadOnlyMemory<byte>[] { _payload } });
    }

    [GlobalSetup(Target = nameof(RawProxy))]
    public void SetupRawProxy()
    {
        _context = new ZmqContext();
        _brokerContext = new ZmqContext();
        _xsub = new ZmqSocket(_brokerContext, ZmqSocketType.XSub);
        _xsub.Bind("tcp://127.0.0.1:*");
        _xpub = new ZmqSocket(_brokerContext, ZmqSocketType.XPub);
        _xpub.Bind("tcp://127.0.0.1:*");
        _proxy = new Thread(Proxy) { IsBackground = true, Name = "xsub-xpub proxy" };
        _proxy.Start();
        _publisher = new ZmqSocket(_context, ZmqSocketType.Pub);
        _publisher.Connect(_xsub.LastEndpoint);
        _subscribers = new ZmqSocket[Subscribers];
        for (var i = 0; i < Subscribers; i++)
        {
            _subscribers[i] = new ZmqSocket(_context, ZmqSocketType.Sub) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
            _subscribers[i].Subscribe("cpu."u8);
            _subscribers[i].Connect(_xpub.LastEndpoint);
        }
        _publishFrames = new ReadOnlyMemory<byte>[Publishes][];
        for (var n = 0; n < Publishes; n++)
            _publishFrames[n] = new ReadOnlyMemory<byte>[] { Encoding.ASCII.GetBytes($"cpu.{n}"), _payload };
        // Subscriptions travel to the publisher asynchronously: publish until every subscriber hears one.
        var heard = new bool[Subscribers];
        var remaining = Subscribers;
        var frames = new List<byte[]>();
        while (remaining > 0)
        {
            _publisher.SendMultipart(new ReadOnlyMemory<byte>[] { "cpu.warm"u8.ToArray(), _payload });
            Thread.Sleep(10);
            for (var i = 0; i < Subscribers; i++)
            {
                frames.Clear();
                while (_subscribers[i].TryReceiveMultipart(frames, dontWait: true))
                {
                    frames.Clear();
                    if (!heard[i])
                    {
                        heard[i] = true;
                        remaining--;
                    }
                }
            }
        }
    }

    // The XSUB/XPUB forwarder: notifications one way, subscriptions the other, as zmq_proxy does.
    private void Proxy()
    {
        var poller = new ZmqPoller();
        poller.Add(_xsub!);
        poller.Add(_xpub!);
        var frames = new List<byte[]>();
        var memory = new List<ReadOnlyMemory<byte>>();
        while (!_stop)
        {
            if (poller.Poll(TimeSpan.FromMilliseconds(50)) == 0)
                continue;
            Forward(_xsub!, _xpub!, frames, memory);
            Forward(_xpub!, _xsub!, frames, memory);
        }
    }

    private static void Forward(ZmqSocket from, ZmqSocket to, List<byte[]> frames, List<ReadOnlyMemory<byte>> memory)
    {
        for (var n = 0; n < 1000; n++)
        {
            frames.Clear();
            if (!from.TryReceiveMultipart(frames, dontWait: true))
                return;
            memory.Clear();
            foreach (var frame in frames)
                memory.Add(frame);
            to.SendMultipart(memory);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Subscribers * Publishes, Description = "raw XSUB/XPUB proxy: deliveries")]
    public void RawProxy() => PublishAndDrain();

    [Benchmark(OperationsPerInvoke = Subscribers * Publishes, Description = "zccpd (this build): deliveries")]
    public void Zccpd() => PublishAndDrain();

    [Benchmark(OperationsPerInvoke = Subscribers * Publishes, Description = "zccpd (ZCCP_BASELINE_DIR build): deliveries")]
    [BenchmarkCategory(BaselineBroker.Category)]
    public void ZccpdBaselineBuild() => PublishAndDrain();

    private void PublishAndDrain()
    {
        foreach (var frames in _publishFrames)
            _publisher.SendMultipart(frames);
        foreach (var subscriber in _subscribers)
            Sockets.Drain(subscriber, Publishes, _scratch);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _proxy?.Join();
        foreach (var socket in _subscribers)
            socket.Dispose();
        _publisher.Dispose();
        _xsub?.Dispose();
        _xpub?.Dispose();
        _server?.Dispose();
        _baseline?.Dispose();
        _brokerContext?.Dispose();
        _context.Dispose();
    }
}
