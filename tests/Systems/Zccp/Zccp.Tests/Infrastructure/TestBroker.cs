using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Zccpd;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zccp.Tests.Infrastructure;

/// <summary>A zccpd server in this process on its own inproc (or tcp) endpoint, with the dealers a test opens.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private static int s_count;
    private readonly List<IDisposable> _owned = new();

    private TestBroker(ZmqContext context, ZccpServer server)
    {
        Context = context;
        Server = server;
    }

    public ZmqContext Context { get; }

    public ZccpServer Server { get; }

    public string Endpoint => Server.Endpoints[0];

    /// <summary>Starts a broker; server heartbeats are off unless asked for, so raw dialogues see only what they provoke.
    /// <paramref name="configure"/> changes the engine's options (flow-control limits) before it starts.</summary>
    public static TestBroker Start(BrokerPolicy? policy = null, TimeSpan? timeout = null, bool tcp = false, CurveServerOptions? curve = null,
        Action<ServerOptions>? configure = null)
    {
        var context = new ZmqContext();
        var endpoint = tcp ? "tcp://127.0.0.1:*" : $"inproc://zccpd-test-{Interlocked.Increment(ref s_count)}";
        var options = new ServerOptions { Endpoints = { endpoint }, Context = context, ClientTimeout = timeout ?? TimeSpan.FromSeconds(60), Curve = curve };
        configure?.Invoke(options);
        var server = new ZccpServer(options, logger: null, policy ?? new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero });
        server.Start();
        return new TestBroker(context, server);
    }

    /// <summary>Starts a broker on a given endpoint (a restart on the port a previous broker had).</summary>
    public static TestBroker StartAt(string endpoint, BrokerPolicy policy)
    {
        var context = new ZmqContext();
        var server = new ZccpServer(new ServerOptions { Endpoints = { endpoint }, Context = context }, logger: null, policy);
        server.Start();
        return new TestBroker(context, server);
    }

    public RawDealer Dealer()
    {
        var dealer = new RawDealer(Context, Endpoint);
        _owned.Add(dealer);
        return dealer;
    }

    public RawDealer Greeted(string identifier)
    {
        var dealer = Dealer();
        dealer.Hello(identifier);
        return dealer;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
            owned.Dispose();
        await Server.DisposeAsync();
        Context.Dispose();
    }
}
