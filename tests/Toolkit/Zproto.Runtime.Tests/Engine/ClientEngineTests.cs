using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zproto.Echo;
using Zproto.Runtime.Clients;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>The generated echo client (async method framework) against the generated server.</summary>
public sealed class ClientEngineTests : IDisposable
{
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    private EchoServer StartServer(string endpoint, TimeSpan? timeout = null, CurveServerOptions? curve = null)
    {
        var server = new EchoServer(new ServerOptions { Endpoints = { endpoint }, Context = _context, ClientTimeout = timeout ?? TimeSpan.FromSeconds(60), Curve = curve });
        server.Start();
        return server;
    }

    private EchoClient NewClient(TimeSpan? heartbeat = null, ClientOptions? options = null, TimeSpan? connectTimeout = null)
    {
        options ??= new ClientOptions();
        options.Context ??= _context;
        var client = new EchoClient(options)
        {
            HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(1),
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(5),
        };
        client.Start();
        return client;
    }

    [Fact]
    public async Task Connect_echo_and_disconnect_return_typed_replies()
    {
        await using var server = StartServer("tcp://127.0.0.1:*");
        await using var client = NewClient();
        Assert.IsType<EchoClient.Success>((await client.ConnectAsync(server.Endpoints[0])).Value);
        Assert.True(client.Connected);
        var echoed = Assert.IsType<EchoClient.Echoed>((await client.RoundTripAsync(5, new byte[] { 9, 8 })).Value);
        Assert.Equal(5u, echoed.Sequence);
        Assert.Equal(new byte[] { 9, 8 }, echoed.Body.ToArray());
        var disconnected = await client.DisconnectAsync();
        Assert.Equal("closed", disconnected.Match(success: _ => "closed", failure: f => f.Reason));
        Assert.True(client.Terminated);
        await Assert.ThrowsAsync<ZprotoClientTerminatedException>(() => client.RoundTripAsync(1, default));
    }

    [Fact]
    public async Task Connect_to_a_dead_endpoint_fails_after_the_connect_timeout()
    {
        await using var client = NewClient(connectTimeout: TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        // An abstract ipc name nothing binds: a fixed port (the discard port 9 here before) is free
        // only as long as nobody on this machine listens on it.
        var reply = await client.ConnectAsync($"ipc://@echo-nothing-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var failure = Assert.IsType<EchoClient.Failure>(reply.Value);
        Assert.Equal("Server is not reachable", failure.Reason);
        // Not before the timeout; the upper bound only tells "gave up" from "hung", with room for a loaded machine.
        Assert.InRange(watch.ElapsedMilliseconds, 250, 10_000);
    }

    [Fact]
    public async Task A_method_the_current_state_does_not_handle_fails_with_a_typed_error()
    {
        await using var client = NewClient();
        await Assert.ThrowsAsync<ZprotoMethodNotValidException>(() => client.RoundTripAsync(1, default));
    }

    [Fact]
    public async Task A_call_with_no_reply_times_out_and_cancellation_is_honoured()
    {
        // A ROUTER that greets but never answers anything else.
        using var mute = new ZmqSocket(_context, ZmqSocketType.Router);
        mute.Bind("inproc://mute-server");
        await using var client = NewClient();
        var connect = client.ConnectAsync("inproc://mute-server");
        var hello = mute.ReceiveMultipart();
        mute.SendMultipart(new ReadOnlyMemory<byte>[] { hello[0], EchoMsg.EncodeFrames(new EchoMsg.HelloOk())[0] });
        Assert.IsType<EchoClient.Success>((await connect).Value);

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutException>(() => client.RoundTripAsync(1, default, callTimeout: TimeSpan.FromMilliseconds(200)));
        Assert.InRange(watch.ElapsedMilliseconds, 150, 10_000);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.RoundTripAsync(2, default, cancellationToken: cts.Token));
    }

    [Fact]
    public async Task A_late_reply_after_a_timeout_never_completes_a_later_call()
    {
        await using var server = StartServer("tcp://127.0.0.1:*");
        var logger = new ListLogger<EchoClient>();
        var options = new ClientOptions { Context = _context };
        await using var client = new EchoClient(options, logger);
        client.Start();
        Assert.IsType<EchoClient.Success>((await client.ConnectAsync(server.Endpoints[0])).Value);

        // WAIT puts the server's state machine in an internal state, so the ECHO behind it waits in
        // the mailbox and is answered only after WAIT-OK: long after the ECHO call gave up.
        var delay = client.DelayAsync(300);
        await Assert.ThrowsAsync<TimeoutException>(() => client.RoundTripAsync(1, new byte[] { 1 }, callTimeout: TimeSpan.FromMilliseconds(50)));
        Assert.IsType<EchoClient.Success>((await delay).Value);

        // Whether ECHO-OK 1 arrives before or after this call starts, it belongs to the call that
        // gave up: this call must get its own reply, sequence 2.
        var echoed = Assert.IsType<EchoClient.Echoed>((await client.RoundTripAsync(2, new byte[] { 2 })).Value);
        Assert.Equal(2u, echoed.Sequence);
        Assert.Equal(new byte[] { 2 }, echoed.Body.ToArray());
        Assert.Contains(logger.Lines, l => l.Text.Contains("arrived after its call round trip ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_before_Start_throws_and_nothing_is_sent()
    {
        await using var client = new EchoClient(new ClientOptions { Context = _context });
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ConnectAsync("inproc://never"));
    }

    [Fact]
    public async Task Heartbeats_keep_the_session_alive_past_the_server_timeout()
    {
        // Heartbeats every 100 ms against a 1 s server timeout (a margin a loaded machine cannot eat),
        // and a wait of 2.5 timeouts, which expires any session that is not kept alive.
        await using var server = StartServer("inproc://echo-heartbeat", TimeSpan.FromSeconds(1));
        await using var client = NewClient(heartbeat: TimeSpan.FromMilliseconds(100));
        Assert.IsType<EchoClient.Success>((await client.ConnectAsync("inproc://echo-heartbeat")).Value);
        await Task.Delay(2500);
        Assert.IsType<EchoClient.Echoed>((await client.RoundTripAsync(1, new byte[] { 1 })).Value);
        Assert.False(client.Terminated);
    }

    [Fact]
    public async Task A_notice_broadcast_by_one_client_reaches_the_others()
    {
        await using var server = StartServer("inproc://echo-notices");
        await using var a = NewClient();
        await using var b = NewClient();
        Assert.IsType<EchoClient.Success>((await a.ConnectAsync("inproc://echo-notices")).Value);
        Assert.IsType<EchoClient.Success>((await b.ConnectAsync("inproc://echo-notices")).Value);
        var receive = b.ReceiveNoticeAsync(callTimeout: TimeSpan.FromSeconds(5));
        await a.ShoutAsync("lights out");
        var notice = Assert.IsType<EchoClient.Noticed>(await receive);
        Assert.Equal("lights out", notice.Text);
    }

    [Fact]
    public async Task Hundred_clients_times_thousand_pipelined_requests_lose_nothing()
    {
        await using var server = StartServer("tcp://127.0.0.1:*");
        var endpoint = server.Endpoints[0];
        var clients = Enumerable.Range(0, 100).Select(_ => NewClient()).ToList();
        try
        {
            await Task.WhenAll(clients.Select(async c => Assert.IsType<EchoClient.Success>((await c.ConnectAsync(endpoint)).Value)));
            var results = await Task.WhenAll(clients.Select(async (c, index) =>
            {
                var received = 0;
                for (uint window = 0; window < 1000; window += 50)
                {
                    var calls = Enumerable.Range(0, 50).Select(i => c.RoundTripAsync(window + (uint)i, BitConverter.GetBytes(index * 1000 + (int)window + i))).ToArray();
                    var replies = await Task.WhenAll(calls);
                    for (var i = 0; i < replies.Length; i++)
                    {
                        var echoed = Assert.IsType<EchoClient.Echoed>(replies[i].Value);
                        Assert.Equal(window + (uint)i, echoed.Sequence);
                        Assert.Equal(index * 1000 + (int)window + i, BitConverter.ToInt32(echoed.Body.Span));
                        received++;
                    }
                }
                return received;
            }));
            Assert.Equal(100_000, results.Sum());
        }
        finally
        {
            foreach (var c in clients)
                await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Curve_admits_allowed_client_keys_and_refuses_others()
    {
        var serverKeys = ZmqCurve.GenerateKeyPair();
        var allowed = ZmqCurve.GenerateKeyPair();
        var stranger = ZmqCurve.GenerateKeyPair();
        await using var server = StartServer("tcp://127.0.0.1:*", curve: new CurveServerOptions
        {
            PublicKey = serverKeys.PublicKey,
            SecretKey = serverKeys.SecretKey,
            AllowedClientKeys = new HashSet<string> { allowed.PublicKey },
        });
        var endpoint = server.Endpoints[0];

        await using (var good = NewClient(options: new ClientOptions { CurveServerKey = serverKeys.PublicKey, CurveKeys = allowed }))
        {
            Assert.IsType<EchoClient.Success>((await good.ConnectAsync(endpoint)).Value);
            Assert.IsType<EchoClient.Echoed>((await good.RoundTripAsync(1, new byte[] { 1 })).Value);
        }
        await using (var refused = NewClient(options: new ClientOptions { CurveServerKey = serverKeys.PublicKey, CurveKeys = stranger }, connectTimeout: TimeSpan.FromMilliseconds(500)))
        {
            Assert.IsType<EchoClient.Failure>((await refused.ConnectAsync(endpoint)).Value);
        }
        await using (var wrongServerKey = NewClient(options: new ClientOptions { CurveServerKey = stranger.PublicKey, CurveKeys = allowed }, connectTimeout: TimeSpan.FromMilliseconds(500)))
        {
            Assert.IsType<EchoClient.Failure>((await wrongServerKey.ConnectAsync(endpoint)).Value);
        }
        await using (var plain = NewClient(connectTimeout: TimeSpan.FromMilliseconds(500)))
        {
            Assert.IsType<EchoClient.Failure>((await plain.ConnectAsync(endpoint)).Value);
        }
    }
}
