using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Zbroker;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zpipes.Tests.Infrastructure;

/// <summary>A zbroker server in this process on its own inproc (or tcp) endpoint, with the dealers and pipes a test opens.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private static int s_count;
    private readonly List<IDisposable> _dealers = new();

    private TestBroker(ZmqContext context, ZpipesServer server)
    {
        Context = context;
        Server = server;
    }

    public ZmqContext Context { get; }

    public ZpipesServer Server { get; }

    public string Endpoint => Server.Endpoints[0];

    /// <summary>Starts a broker; <paramref name="timeout"/> is server/timeout (default 60 s, as the scenarios assume).</summary>
    public static TestBroker Start(TimeSpan? timeout = null, bool tcp = false, long pipeLimit = ZpipesServer.DefaultPipeLimit)
    {
        var context = new ZmqContext();
        var endpoint = tcp ? "tcp://127.0.0.1:*" : $"inproc://zbroker-test-{Interlocked.Increment(ref s_count)}";
        var server = StartServer(context, endpoint, timeout, pipeLimit);
        return new TestBroker(context, server);
    }

    /// <summary>A broker on <paramref name="endpoint"/> of <paramref name="context"/>, e.g. a second one where a stopped one was.</summary>
    public static ZpipesServer StartServer(ZmqContext context, string endpoint, TimeSpan? timeout = null, long pipeLimit = ZpipesServer.DefaultPipeLimit)
    {
        var server = new ZpipesServer(new ServerOptions
        {
            Endpoints = { endpoint },
            Context = context,
            ClientTimeout = timeout ?? TimeSpan.FromSeconds(60),
        })
        {
            PipeLimit = pipeLimit,
        };
        try
        {
            server.Start();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    public RawDealer Dealer()
    {
        var dealer = new RawDealer(Context, Endpoint);
        _dealers.Add(dealer);
        return dealer;
    }

    /// <summary>Client options that reach this broker (inproc needs the shared context).</summary>
    public ZpipesClientOptions ClientOptions(TimeSpan? heartbeat = null, TimeSpan? receiveTimeout = null, int window = ZpipesClientOptions.DefaultWindow) => new()
    {
        Context = Context,
        Window = window,
        HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(1),
        ReceiveTimeout = receiveTimeout ?? TimeSpan.FromSeconds(5),
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var dealer in _dealers)
            dealer.Dispose();
        await Server.DisposeAsync();
        Context.Dispose();
    }
}
