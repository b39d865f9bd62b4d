using System;
using System.Collections.Generic;
using System.Threading;
using Zproto.Runtime.Zmq;

namespace Remctl.Benchmarks;

/// <summary>
/// libzmq's own round trip, the floor for any remctl backend: a REP socket on its own thread answers
/// every request with the reply a no-op command gets (<c>RETURNCODE|0</c>), over tcp://127.0.0.1 as the
/// daemon does, and a REQ socket on the caller's thread sends the same request frames remctld would.
/// </summary>
internal sealed class RawReqRep : IDisposable
{
    private static readonly ReadOnlyMemory<byte>[] s_reply = ["RETURNCODE"u8.ToArray(), "0"u8.ToArray()];

    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _rep;
    private readonly ZmqSocket _req;
    private readonly Thread _server;
    private volatile bool _stopping;

    public RawReqRep()
    {
        _rep = new ZmqSocket(_context, ZmqSocketType.Rep) { ReceiveTimeout = TimeSpan.FromMilliseconds(100) };
        _rep.Bind("tcp://127.0.0.1:*");
        _server = new Thread(Serve) { IsBackground = true, Name = "raw-rep" };
        _server.Start();
        _req = new ZmqSocket(_context, ZmqSocketType.Req) { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        _req.Connect(_rep.LastEndpoint);
    }

    /// <summary>The context the sockets live in (other raw sockets of the benchmark share it).</summary>
    public ZmqContext Context => _context;

    /// <summary>One request and its reply; returns the reply's frame count.</summary>
    public int RoundTrip(IReadOnlyList<ReadOnlyMemory<byte>> request)
    {
        _req.SendMultipart(request);
        return _req.ReceiveMultipart().Count;
    }

    /// <summary>A REP server in a process of its own (<see cref="ServerProcess.StartRawRep"/>): binds, says where
    /// on stderr as the daemon does, and answers until killed.</summary>
    public static void ServeForever()
    {
        using var context = new ZmqContext();
        using var rep = new ZmqSocket(context, ZmqSocketType.Rep);
        rep.Bind("tcp://127.0.0.1:*");
        Console.Error.WriteLine($"raw REP listening on {rep.LastEndpoint}");
        var frames = new List<byte[]>();
        while (true)
        {
            if (rep.TryReceiveMultipart(frames))
                rep.SendMultipart(s_reply);
        }
    }

    private void Serve()
    {
        var frames = new List<byte[]>();
        while (!_stopping)
        {
            if (_rep.TryReceiveMultipart(frames))
                _rep.SendMultipart(s_reply);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _server.Join();
        _req.Dispose();
        _rep.Dispose();
        _context.Dispose();
    }
}
