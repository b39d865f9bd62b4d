using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zproto.Echo;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>The generated echo server on the real engine, driven by raw DEALERs over inproc and tcp.</summary>
public sealed class ServerEngineTests : IDisposable
{
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    private EchoServer StartServer(string endpoint, TimeSpan? timeout = null)
    {
        var server = new EchoServer(new ServerOptions
        {
            Endpoints = { endpoint },
            Context = _context,
            ClientTimeout = timeout ?? TimeSpan.FromSeconds(60),
        });
        server.Start();
        return server;
    }

    [Theory]
    [InlineData("inproc://echo-roundtrip")]
    [InlineData("tcp://127.0.0.1:*")]
    public async Task Hello_then_echo_round_trips_over_inproc_and_tcp(string endpoint)
    {
        await using var server = StartServer(endpoint);
        using var peer = new RawPeer(_context, server.Endpoints[0]);
        peer.Send(new EchoMsg.Hello { Name = "alice" });
        peer.Expect<EchoMsg.HelloOk>();
        peer.Send(new EchoMsg.Echo { Sequence = 7, Body = new byte[] { 1, 2, 3 } });
        var reply = peer.Expect<EchoMsg.EchoOk>();
        Assert.Equal(7u, reply.Sequence);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Body.ToArray());
    }

    [Fact]
    public async Task Requests_sent_during_an_internal_state_wait_in_the_mailbox_and_are_served_in_order()
    {
        await using var server = StartServer("inproc://echo-pipelining");
        using var peer = new RawPeer(_context, "inproc://echo-pipelining");
        peer.Send(new EchoMsg.Hello { Name = "p" });
        peer.Expect<EchoMsg.HelloOk>();
        peer.Send(new EchoMsg.Wait { Delay = 150 });
        for (uint i = 1; i <= 3; i++)
            peer.Send(new EchoMsg.Echo { Sequence = i });
        peer.Send(new EchoMsg.Ping());
        // PING is handled in the waiting state (defaults); the ECHOs wait until WAIT-OK.
        peer.Expect<EchoMsg.PingOk>();
        var watch = Stopwatch.StartNew();
        peer.Expect<EchoMsg.WaitOk>();
        Assert.True(watch.ElapsedMilliseconds >= 50, $"WAIT-OK came after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(new uint[] { 1, 2, 3 }, Enumerable.Range(0, 3).Select(_ => peer.Expect<EchoMsg.EchoOk>().Sequence).ToArray());
    }

    [Fact]
    public async Task A_silent_client_expires_and_its_next_request_starts_a_fresh_session()
    {
        await using var server = StartServer("inproc://echo-expiry", TimeSpan.FromMilliseconds(200));
        using var peer = new RawPeer(_context, "inproc://echo-expiry");
        peer.Send(new EchoMsg.Hello { Name = "sleepy" });
        peer.Expect<EchoMsg.HelloOk>();
        // Ten timeouts of silence: the expiry runs unless the server thread stalls for most of two seconds.
        Thread.Sleep(2000);
        // The session is gone: ECHO in the fresh 'start' state is invalid.
        peer.Send(new EchoMsg.Echo { Sequence = 1 });
        peer.Expect<EchoMsg.Invalid>();
        peer.Send(new EchoMsg.Hello { Name = "again" });
        peer.Expect<EchoMsg.HelloOk>();
    }

    [Fact]
    public async Task Pings_keep_a_client_alive_past_the_server_timeout()
    {
        // Pings every 100 ms against a 1 s timeout: a ten-fold margin, so a loaded machine that delays a
        // ping by a few hundred milliseconds does not expire the session; 15 pings outlast the timeout.
        await using var server = StartServer("inproc://echo-keepalive", TimeSpan.FromSeconds(1));
        using var peer = new RawPeer(_context, "inproc://echo-keepalive");
        peer.Send(new EchoMsg.Hello { Name = "awake" });
        peer.Expect<EchoMsg.HelloOk>();
        for (var i = 0; i < 15; i++)
        {
            Thread.Sleep(100);
            peer.Send(new EchoMsg.Ping());
            peer.Expect<EchoMsg.PingOk>();
        }
        peer.Send(new EchoMsg.Echo { Sequence = 9 });
        Assert.Equal(9u, peer.Expect<EchoMsg.EchoOk>().Sequence);
    }

    [Fact]
    public async Task Broadcast_reaches_every_other_session_but_not_the_sender()
    {
        await using var server = StartServer("inproc://echo-broadcast");
        using var a = new RawPeer(_context, "inproc://echo-broadcast");
        using var b = new RawPeer(_context, "inproc://echo-broadcast");
        using var c = new RawPeer(_context, "inproc://echo-broadcast");
        foreach (var (peer, name) in new[] { (a, "a"), (b, "b"), (c, "c") })
        {
            peer.Send(new EchoMsg.Hello { Name = name });
            peer.Expect<EchoMsg.HelloOk>();
        }
        a.Send(new EchoMsg.Broadcast { Text = "hi all" });
        foreach (var peer in new[] { b, c })
        {
            var notice = peer.Expect<EchoMsg.Notice>();
            Assert.Equal(("a", "hi all"), (notice.Sender, notice.Text));
        }
        Assert.Null(a.Receive(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Garbage_unknown_ids_and_out_of_state_messages_never_disturb_other_clients()
    {
        await using var server = StartServer("inproc://echo-garbage");
        using var good = new RawPeer(_context, "inproc://echo-garbage");
        using var bad = new RawPeer(_context, "inproc://echo-garbage");
        good.Send(new EchoMsg.Hello { Name = "good" });
        good.Expect<EchoMsg.HelloOk>();

        bad.SendRaw(new byte[] { 1, 2, 3 });                          // bad signature
        bad.SendRaw(new byte[] { 0xAA, 0xA7, 99 });                   // unknown id
        bad.SendRaw(new byte[] { 0xAA, 0xA7, 3, 0, 0 });              // ECHO cut short
        bad.SendRaw(Array.Empty<byte>());                              // empty frame
        bad.Send(new EchoMsg.Echo { Sequence = 1 });                   // out of state: before HELLO
        bad.Expect<EchoMsg.Invalid>();
        bad.Send(new EchoMsg.HelloOk());                               // a server message sent to the server
        bad.Expect<EchoMsg.Invalid>();

        good.Send(new EchoMsg.Echo { Sequence = 42 });
        Assert.Equal(42u, good.Expect<EchoMsg.EchoOk>().Sequence);
        Assert.Equal(4, server.MalformedMessages);
    }

    [Fact]
    public async Task Dispose_returns_promptly_with_clients_still_connected_and_sending()
    {
        var server = StartServer("tcp://127.0.0.1:*");
        var endpoint = server.Endpoints[0];
        var peers = Enumerable.Range(0, 10).Select(_ => new RawPeer(_context, endpoint)).ToList();
        try
        {
            foreach (var peer in peers)
            {
                peer.Send(new EchoMsg.Hello { Name = "load" });
                for (uint i = 0; i < 100; i++)
                    peer.Send(new EchoMsg.Echo { Sequence = i, Body = new byte[1024] });
            }
            var watch = Stopwatch.StartNew();
            var dispose = server.DisposeAsync().AsTask();
            Assert.True(await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(10))) == dispose, "dispose did not return within 10 s");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"dispose took {watch.Elapsed}");
        }
        finally
        {
            foreach (var peer in peers)
                peer.Dispose();
        }
    }

    [Fact]
    public async Task Bind_failure_throws_at_start()
    {
        await using var first = StartServer("inproc://echo-taken");
        var second = new EchoServer(new ServerOptions { Endpoints = { "inproc://echo-taken" }, Context = _context });
        Assert.ThrowsAny<ZmqException>(() => second.Start());
        await second.DisposeAsync();
    }
}
