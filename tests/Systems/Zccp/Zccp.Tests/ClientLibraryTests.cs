using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zccp.Tests.Infrastructure;
using Zccpd;

namespace Zccp.Tests;

/// <summary>The client library against an in-process broker: ZC-13, zccp_client_test, DIRECT requests, reconnection with replay.</summary>
public sealed class ClientLibraryTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    private static Task<ZccpClient> Connect(TestBroker broker, string identifier, TimeSpan? presence = null) =>
        ZccpClient.ConnectAsync(broker.Endpoint, identifier, ConnectTimeout, new ZccpClientOptions { Context = broker.Context, PresenceTimeout = presence ?? TimeSpan.FromSeconds(30) });

    private static async Task<Delivery> Next(ZccpClient client)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var delivery in client.ReadDeliveriesAsync(limit.Token))
            return delivery;
        throw new InvalidOperationException("the delivery stream ended");
    }

    private static async Task ExpectNoDelivery(ZccpClient client)
    {
        using var quiet = new CancellationTokenSource(RawDealer.Quiet);
        var reader = client.ReadDeliveriesAsync(quiet.Token).GetAsyncEnumerator(quiet.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.MoveNextAsync());
    }

    [Fact]
    public async Task ZC13_connect_to_nothing_fails_with_server_is_not_reachable_after_the_timeout()
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ZccpNotReachableException>(() =>
            ZccpClient.ConnectAsync($"ipc://@/nothing-{Guid.NewGuid():N}", "lonely", TimeSpan.FromMilliseconds(250)));
        Assert.StartsWith("Server is not reachable", error.Message);
        Assert.True(watch.ElapsedMilliseconds >= 240, $"gave up after {watch.ElapsedMilliseconds} ms, before the timeout");
    }

    [Fact]
    public async Task Client_selftest_reader_gets_95_and_12_but_not_cpu_count()
    {
        await using var broker = TestBroker.Start();
        await using var reader = await Connect(broker, "reader");
        await using var writer = await Connect(broker, "writer");
        await reader.SubscribeAsync(@"^cpu\.");
        await writer.PublishAsync("cpu.1", "95");
        await writer.PublishAsync("cpu.2", "12");
        await writer.PublishAsync("cpu-count", "2");
        var first = await Next(reader);
        Assert.Equal(("95", "writer", "cpu.1"), (first.Text, first.Sender, first.Address));
        Assert.Equal("12", (await Next(reader)).Text);
        await ExpectNoDelivery(reader);
    }

    [Fact]
    public async Task Headers_and_every_content_frame_reach_the_subscriber()
    {
        await using var broker = TestBroker.Start();
        await using var reader = await Connect(broker, "reader");
        await using var writer = await Connect(broker, "writer");
        await reader.SubscribeAsync("^m$");
        await writer.PublishAsync("m", new ReadOnlyMemory<byte>[] { Bytes.Ascii("a"), Array.Empty<byte>(), Bytes.Ascii("c") }, new Dictionary<string, string> { ["unit"] = "C" });
        var delivery = await Next(reader);
        Assert.Equal(new[] { "a", "", "c" }, delivery.Content.Select(Bytes.Text));
        Assert.Equal("C", delivery.Headers["unit"]);
    }

    [Fact]
    public async Task Invalid_pattern_throws_before_anything_is_sent()
    {
        await using var broker = TestBroker.Start();
        await using var client = await Connect(broker, "c");
        var error = await Assert.ThrowsAsync<ZccpPatternException>(() => client.SubscribeAsync("(oops"));
        Assert.Contains("unbalanced '('", error.Message);
        Assert.Equal(0, await broker.Server.CountPatternsAsync());
    }

    [Fact]
    public async Task Subscription_over_the_broker_limit_fails_typed_and_the_client_carries_on()
    {
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero, MaxSubscriptionsPerClient = 1 });
        await using var client = await Connect(broker, "greedy");
        await client.SubscribeAsync("^a");
        await Assert.ThrowsAsync<ZccpSubscriptionFailedException>(() => client.SubscribeAsync("^b"));
        // The session was re-established and the acknowledged pattern replayed, not the refused one.
        await AcceptanceScenarioTests.WaitUntil(() => Task.FromResult(client.Reconnections == 1));
        await using var writer = await Connect(broker, "writer");
        await writer.PublishAsync("a.1", "x");
        Assert.Equal("a.1", (await Next(client)).Address);
    }

    [Fact]
    public async Task Request_is_answered_by_the_target_handler()
    {
        await using var broker = TestBroker.Start();
        await using var app = await Connect(broker, "app");
        await using var device = await Connect(broker, "dev-42");
        using var _ = device.HandleRequests((request, _) =>
            Task.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>(new ReadOnlyMemory<byte>[] { Encoding.UTF8.GetBytes($"done: {request.Text}") }));
        var reply = await app.RequestAsync("dev-42", "reboot", TimeSpan.FromSeconds(5));
        Assert.Equal(("done: reboot", "dev-42"), (reply.Text, reply.Sender));
    }

    [Fact]
    public async Task Request_to_nobody_fails_with_no_route_and_a_failing_handler_with_its_error()
    {
        await using var broker = TestBroker.Start();
        await using var app = await Connect(broker, "app");
        var noRoute = await Assert.ThrowsAsync<ZccpNoRouteException>(() => app.RequestAsync("nobody", "hi", TimeSpan.FromSeconds(5)));
        Assert.Equal("nobody", noRoute.Target);
        await using var device = await Connect(broker, "broken");
        using var _ = device.HandleRequests((_, _) => throw new InvalidOperationException("disk on fire"));
        var failed = await Assert.ThrowsAsync<ZccpRequestFailedException>(() => app.RequestAsync("broken", "hi", TimeSpan.FromSeconds(5)));
        Assert.Equal("handler-failed", failed.Error);
    }

    [Fact]
    public async Task Requests_without_a_handler_arrive_as_deliveries_and_can_be_answered()
    {
        await using var broker = TestBroker.Start();
        await using var app = await Connect(broker, "app");
        await using var device = await Connect(broker, "manual");
        var pending = app.RequestAsync("manual", "status?", TimeSpan.FromSeconds(5));
        var request = await Next(device);
        Assert.Equal("app", request.Headers["reply-to"]);
        await device.ReplyAsync(request, new ReadOnlyMemory<byte>[] { Bytes.Ascii("ok") });
        Assert.Equal("ok", (await pending).Text);
    }

    [Fact]
    public async Task Hundred_concurrent_requesters_lose_nothing()
    {
        // This broker sends no heartbeats, so a client waiting its turn among 1000 requests hears
        // nothing until its reply; with the default 3 s presence timeout a loaded machine made it
        // reconnect mid-test. Presence is not what this proves: allow a minute, and check below that
        // no client reconnected. Likewise 101 clients saying HELLO at once get a generous connect timeout.
        var patient = TimeSpan.FromSeconds(60);
        await using var broker = TestBroker.Start(tcp: true);
        Task<ZccpClient> ConnectPatiently(string identifier) =>
            ZccpClient.ConnectAsync(broker.Endpoint, identifier, patient, new ZccpClientOptions { PresenceTimeout = patient });
        await using var device = await ConnectPatiently("device");
        using var _ = device.HandleRequests((request, _) => Task.FromResult(request.Content));
        var requesters = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => ConnectPatiently($"app-{i}")));
        try
        {
            var replies = await Task.WhenAll(requesters.SelectMany((r, i) => Enumerable.Range(0, 10).Select(async n =>
                (Expected: $"{i}:{n}", Actual: (await r.RequestAsync("device", $"{i}:{n}", patient)).Text))));
            Assert.Equal(1000, replies.Length);
            Assert.All(replies, r => Assert.Equal(r.Expected, r.Actual));
            Assert.All(requesters.Append(device), client => Assert.Equal(0, client.Reconnections));
        }
        finally
        {
            foreach (var requester in requesters)
                await requester.DisposeAsync();
        }
    }

    [Fact]
    public async Task ZC09_expired_session_is_re_established_and_its_subscriptions_replayed()
    {
        await using var broker = TestBroker.Start(timeout: TimeSpan.FromMilliseconds(400));
        await using var reader = await Connect(broker, "reader");
        await reader.SubscribeAsync("^x");
        await AcceptanceScenarioTests.WaitUntil(async () => await broker.Server.CountClientsAsync() == 0);
        // Its next message gets INVALID; the library says HELLO again and replays "^x".
        await reader.PublishAsync("poke", "lost with the old session");
        await AcceptanceScenarioTests.WaitUntil(() => Task.FromResult(reader.Reconnections == 1));
        await using var writer = await Connect(broker, "writer");
        await writer.PublishAsync("x.1", "after");
        Assert.Equal("after", (await Next(reader)).Text);
    }

    [Fact]
    public async Task Server_heartbeats_keep_an_idle_client_in_its_session()
    {
        // Heartbeats every 100 ms against a 1 s server timeout and a 1.5 s presence timeout: margins a
        // loaded machine's stalls cannot eat (400 and 600 ms could).
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.FromMilliseconds(100) }, timeout: TimeSpan.FromSeconds(1));
        await using var idle = await Connect(broker, "idle", presence: TimeSpan.FromMilliseconds(1500));
        await idle.SubscribeAsync("^y");
        // Twice the server timeout and the client presence timeout, with nothing but PING and PING-OK.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, idle.Reconnections);
        await using var writer = await Connect(broker, "writer");
        await writer.PublishAsync("y", "still here");
        Assert.Equal("still here", (await Next(idle)).Text);
    }

    [Fact]
    public async Task Broker_restart_is_survived_by_presence_timeout_re_hello_and_replay()
    {
        var first = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.FromMilliseconds(100) }, tcp: true);
        var endpoint = first.Endpoint;
        var reader = await ZccpClient.ConnectAsync(endpoint, "reader", ConnectTimeout, new ZccpClientOptions { PresenceTimeout = TimeSpan.FromMilliseconds(500) });
        await using (reader)
        {
            await reader.SubscribeAsync("^z");
            await first.DisposeAsync();
            await using var second = TestBroker.StartAt(endpoint, new BrokerPolicy { HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
            await AcceptanceScenarioTests.WaitUntil(async () => reader.Reconnections == 1 && await second.Server.CountPatternsAsync() == 1);
            await using var writer = await ZccpClient.ConnectAsync(endpoint, "writer", ConnectTimeout);
            await writer.PublishAsync("z", "back");
            Assert.Equal("back", (await Next(reader)).Text);
        }
    }

    [Fact]
    public async Task Dispose_says_goodbye()
    {
        await using var broker = TestBroker.Start();
        var client = await Connect(broker, "polite");
        Assert.Equal(1, await broker.Server.CountClientsAsync());
        await client.DisposeAsync();
        Assert.Equal(0, await broker.Server.CountClientsAsync());
    }
}
