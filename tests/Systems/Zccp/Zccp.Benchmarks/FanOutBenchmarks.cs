using System;
using System.Collections.Generic;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Zccp.Protocol;
using Zccpd;
using Zproto.Runtime.Zmq;

namespace Zccp.Benchmarks;

/// <summary>
/// Fan-out: one publisher, 100 subscribers of <c>^cpu\.</c>, 100 notifications of 64 bytes per
/// operation (10,000 deliveries; times are per delivery). (1) through zccpd's generated server;
/// (2) through a raw XSUB→XPUB forwarding thread with prefix subscriptions <c>cpu.</c> on the same
/// libzmq binding — the ceiling a broker adds to.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private const int Subscribers = 100;
    private const int Publishes = 100;
    private readonly List<byte[]> _scratch = new();
    private ZmqContext _context = null!;
    private ZccpServer _server = null!;
    private ZmqSocket _publisher = null!;
    private ZmqSocket[] _subscribers = null!;
    private ReadOnlyMemory<byte>[][] _publishFrames = null!;
    private ZmqSocket _xsub = null!;
    private ZmqSocket _xpub = null!;
    private ZmqSocket _rawPublisher = null!;
    private ZmqSocket[] _rawSubscribers = null!;
    private Thread _proxy = null!;
    private volatile bool _stop;
    private readonly byte[] _payload = new byte[64];

    [GlobalSetup]
    public void Setup()
    {
        _context = new ZmqContext();
        _server = Sockets.StartBroker(_context);
        var endpoint = _server.Endpoints[0];
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

        _xsub = new ZmqSocket(_context, ZmqSocketType.XSub);
        _xsub.Bind("tcp://127.0.0.1:*");
        _xpub = new ZmqSocket(_context, ZmqSocketType.XPub);
        _xpub.Bind("tcp://127.0.0.1:*");
        _proxy = new Thread(Proxy) { IsBackground = true, Name = "xsub-xpub proxy" };
        _proxy.Start();
        _rawPublisher = new ZmqSocket(_context, ZmqSocketType.Pub);
        _rawPublisher.Connect(_xsub.LastEndpoint);
        _rawSubscribers = new ZmqSocket[Subscribers];
        for (var i = 0; i < Subscribers; i++)
        {
            _rawSubscribers[i] = new ZmqSocket(_context, ZmqSocketType.Sub) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
            _rawSubscribers[i].Subscribe("cpu."u8);
            _rawSubscribers[i].Connect(_xpub.LastEndpoint);
        }
        // Subscriptions travel to the publisher asynchronously: publish until every subscriber hears one.
        var heard = new bool[Subscribers];
        var remaining = Subscribers;
        var frames = new List<byte[]>();
        while (remaining > 0)
        {
            _rawPublisher.SendMultipart(new ReadOnlyMemory<byte>[] { "cpu.warm"u8.ToArray(), _payload });
            Thread.Sleep(10);
            for (var i = 0; i < Subscribers; i++)
            {
                frames.Clear();
                while (_rawSubscribers[i].TryReceiveMultipart(frames, dontWait: true))
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
        poller.Add(_xsub);
        poller.Add(_xpub);
        var frames = new List<byte[]>();
        var memory = new List<ReadOnlyMemory<byte>>();
        while (!_stop)
        {
            if (poller.Poll(TimeSpan.FromMilliseconds(50)) == 0)
                continue;
            Forward(_xsub, _xpub, frames, memory);
            Forward(_xpub, _xsub, frames, memory);
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

    [Benchmark(OperationsPerInvoke = Subscribers * Publishes, Description = "zccpd: deliveries")]
    public void Zccpd()
    {
        foreach (var frames in _publishFrames)
            _publisher.SendMultipart(frames);
        foreach (var subscriber in _subscribers)
            Sockets.Drain(subscriber, Publishes, _scratch);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Subscribers * Publishes, Description = "raw XSUB/XPUB proxy: deliveries")]
    public void RawProxy()
    {
        for (var n = 0; n < Publishes; n++)
            _rawPublisher.SendMultipart(new ReadOnlyMemory<byte>[] { "cpu.1"u8.ToArray(), _payload });
        foreach (var subscriber in _rawSubscribers)
            Sockets.Drain(subscriber, Publishes, _scratch);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _proxy.Join();
        foreach (var socket in _subscribers)
            socket.Dispose();
        foreach (var socket in _rawSubscribers)
            socket.Dispose();
        _publisher.Dispose();
        _rawPublisher.Dispose();
        _xsub.Dispose();
        _xpub.Dispose();
        _server.Dispose();
        _context.Dispose();
    }
}
