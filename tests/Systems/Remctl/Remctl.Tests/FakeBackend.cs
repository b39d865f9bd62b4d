using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Zproto.Runtime.Zmq;

namespace Remctl.Tests;

/// <summary>
/// A scripted backend: a plain REP socket that answers every request with the frames its reply
/// function returns, and keeps the requests it received. Lets the client be tested against replies
/// no real backend would send (malformed, odd streams, unknown codes).
/// </summary>
internal sealed class FakeBackend : IDisposable
{
    private readonly Func<List<byte[]>, IReadOnlyList<byte[]>> _reply;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _ready = new();
    private volatile bool _stopping;
    private Exception? _failure;

    public FakeBackend(string reply)
        : this(_ => Frames.Of(reply))
    {
    }

    public FakeBackend(Func<List<byte[]>, IReadOnlyList<byte[]>> reply, string endpoint = "tcp://127.0.0.1:*")
    {
        _reply = reply;
        Endpoint = endpoint;
        _thread = new Thread(Run) { IsBackground = true, Name = "fake-backend" };
        _thread.Start();
        _ready.Wait(TimeSpan.FromSeconds(10));
        if (_failure is not null)
            throw new InvalidOperationException("fake backend failed to start", _failure);
    }

    public string Endpoint { get; private set; }

    /// <summary>Every request received, in order, as its frames.</summary>
    public ConcurrentQueue<List<byte[]>> Requests { get; } = new();

    private void Run()
    {
        try
        {
            using var socket = new ZmqSocket(RawReq.Context, ZmqSocketType.Rep) { ReceiveTimeout = TimeSpan.FromMilliseconds(50) };
            socket.Bind(Endpoint);
            Endpoint = socket.LastEndpoint;
            _ready.Set();
            var frames = new List<byte[]>();
            while (!_stopping)
            {
                if (!socket.TryReceiveMultipart(frames))
                    continue;
                var request = new List<byte[]>(frames);
                Requests.Enqueue(request);
                socket.SendMultipart(Frames.Memory(_reply(request)));
            }
        }
        catch (Exception e)
        {
            _failure = e;
            _ready.Set();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _ready.Dispose();
    }
}
