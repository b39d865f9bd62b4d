using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zccp.Protocol;
using Zccp.Tests.Infrastructure;
using Zccpd;
using Zproto.Wire;

namespace Zccp.Tests;

/// <summary>
/// The ZCCP acceptance scenarios of systems.md §4.11 on raw DEALER sockets with the exact bytes of
/// §4.3 (ZC-13 and ZC-14 need the client library and zccp-sh; see the process tests).
/// </summary>
public sealed class AcceptanceScenarioTests
{
    private const string HelloStep1 = "AA AA 01 06 \"step 1\" 00 00 00 00";
    private const string HelloOk = "AA AA 02 00 00 00 00";
    private const string Invalid = "AA AA 0C";
    private const string SubscribeOk = "AA AA 04";

    [Fact]
    public async Task ZC01_greeting_bytes()
    {
        await using var broker = TestBroker.Start();
        using var client = broker.Dealer();
        Assert.Equal(Bytes.Hex(HelloStep1), ZccpMsg.EncodeFrames(new ZccpMsg.Hello { Identifier = "step 1" })[0].ToArray());
        client.SendRaw(Bytes.Hex(HelloStep1));
        client.ExpectBytes(HelloOk);
        client.ExpectSilence();
    }

    [Fact]
    public async Task ZC02_must_greet_first()
    {
        await using var broker = TestBroker.Start();
        using var client = broker.Dealer();
        client.SendRaw(Bytes.Hex("AA AA 05 0E \"(HELLO, WORLD)\" 00 00 00 00"), Array.Empty<byte>());
        client.ExpectBytes(Invalid);
        client.SendRaw(Bytes.Hex(HelloStep1));
        client.ExpectBytes(HelloOk);
    }

    [Fact]
    public async Task ZC03_double_hello_is_invalid_and_resets_the_session()
    {
        await using var broker = TestBroker.Start();
        using var client = broker.Dealer();
        client.SendRaw(Bytes.Hex(HelloStep1));
        client.ExpectBytes(HelloOk);
        client.SendRaw(Bytes.Hex("AA AA 01 06 \"step 2\" 00 00 00 00"));
        client.ExpectBytes(Invalid);
        client.SendRaw(Bytes.Hex("AA AA 01 0F \"step 3 - client\" 00 00 00 00"));
        client.ExpectBytes(HelloOk);
    }

    [Fact]
    public async Task ZC04_duplicate_mode_delivers_once_per_matching_pattern_as_in_2014()
    {
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero, DuplicateDeliveries = true });
        var subscriber = SelftestSubscriptions(broker);
        using var device = broker.Greeted("step 3 - device");
        device.SendRaw(Bytes.Hex("AA AA 05 0E \"(HELLO, WORLD)\" 00 00 00 00"), Bytes.Ascii("TEST"));
        for (var i = 0; i < 2; i++)
            subscriber.ExpectBytes("AA AA 07 0F \"step 3 - device\" 0E \"(HELLO, WORLD)\" 00 00 00 00", "\"TEST\"");
        subscriber.ExpectSilence();
    }

    [Fact]
    public async Task ZC04_default_mode_delivers_once_per_client()
    {
        await using var broker = TestBroker.Start();
        var subscriber = SelftestSubscriptions(broker);
        using var device = broker.Greeted("step 3 - device");
        device.SendRaw(Bytes.Hex("AA AA 05 0E \"(HELLO, WORLD)\" 00 00 00 00"), Bytes.Ascii("TEST"));
        subscriber.ExpectBytes("AA AA 07 0F \"step 3 - device\" 0E \"(HELLO, WORLD)\" 00 00 00 00", "\"TEST\"");
        subscriber.ExpectSilence();
    }

    // zccp_server_test: "H.*O" twice and "HELLO", each acknowledged with the exact bytes.
    private static RawDealer SelftestSubscriptions(TestBroker broker)
    {
        var subscriber = broker.Greeted("step 3 - client");
        foreach (var expression in new[] { "03 04 \"H.*O\"", "03 04 \"H.*O\"", "03 05 \"HELLO\"" })
        {
            subscriber.SendRaw(Bytes.Hex($"AA AA {expression} 00 00 00 00"));
            subscriber.ExpectBytes(SubscribeOk);
        }
        return subscriber;
    }

    [Fact]
    public async Task ZC05_anchored_pattern_gets_cpu_1_and_cpu_2_in_order_not_cpu_count()
    {
        await using var broker = TestBroker.Start();
        using var reader = broker.Greeted("reader");
        using var writer = broker.Greeted("writer");
        reader.Subscribe("^cpu\\.");
        writer.Publish("cpu.1", "95");
        writer.Publish("cpu.2", "12");
        writer.Publish("cpu-count", "2");
        foreach (var (address, content) in new[] { ("cpu.1", "95"), ("cpu.2", "12") })
        {
            var deliver = reader.Expect<ZccpMsg.Deliver>();
            Assert.Equal(("writer", address), (deliver.Sender, deliver.Address));
            Assert.Equal(content, Bytes.Text(Assert.Single(deliver.Content!)));
        }
        reader.ExpectSilence();
    }

    [Fact]
    public async Task ZC06_no_self_delivery()
    {
        await using var broker = TestBroker.Start();
        using var publisher = broker.Greeted("self");
        using var other = broker.Greeted("other");
        publisher.Subscribe("x");
        other.Subscribe("x");
        publisher.Publish("x", "body");
        Assert.Equal("self", other.Expect<ZccpMsg.Deliver>().Sender);
        other.ExpectSilence();
        publisher.ExpectSilence();
    }

    [Fact]
    public async Task ZC07_multipart_content_arrives_frame_for_frame_with_headers_propagated()
    {
        await using var broker = TestBroker.Start();
        using var subscriber = broker.Greeted("sub");
        using var publisher = broker.Greeted("pub");
        subscriber.Subscribe("^m$");
        publisher.Send(new ZccpMsg.Publish { Address = "m", Headers = ZprotoHash.Create(("unit", "C")), Content = new ReadOnlyMemory<byte>[] { Bytes.Ascii("a"), Array.Empty<byte>(), Bytes.Ascii("c") } });
        subscriber.ExpectBytes("AA AA 07 03 \"pub\" 01 \"m\" 00 00 00 01 04 \"unit\" 00 00 00 01 \"C\"", "\"a\"", "", "\"c\"");
    }

    [Fact]
    public async Task ZC08_goodbye_ends_the_session_and_its_subscriptions()
    {
        await using var broker = TestBroker.Start();
        using var leaver = broker.Greeted("leaver");
        using var publisher = broker.Greeted("pub");
        leaver.Subscribe("x");
        leaver.SendRaw(Bytes.Hex("AA AA 08"));
        leaver.ExpectBytes("AA AA 09 00 00 00 00");
        publisher.Publish("x", "after");
        leaver.ExpectSilence();
        leaver.SendRaw(Bytes.Hex("AA AA 03 01 \"x\" 00 00 00 00"));
        leaver.ExpectBytes(Invalid);
    }

    [Fact]
    public async Task ZC09_silent_client_expires_and_its_next_message_is_invalid()
    {
        await using var broker = TestBroker.Start(timeout: TimeSpan.FromMilliseconds(500));
        using var sleeper = broker.Greeted("sleeper");
        sleeper.Subscribe("x");
        // The broker forgets the sleeper once 500 ms pass without a word from it.
        await WaitUntil(async () => await broker.Server.CountClientsAsync() == 0);
        Assert.Equal(0, await broker.Server.CountPatternsAsync());
        using var publisher = broker.Greeted("pub");
        publisher.Publish("x", "late");
        sleeper.ExpectSilence();
        sleeper.SendRaw(Bytes.Hex("AA AA 03 01 \"x\" 00 00 00 00"));
        sleeper.ExpectBytes(Invalid);
    }

    [Fact]
    public async Task ZC10_server_pings_an_idle_client_and_ping_ok_keeps_it_alive()
    {
        // Heartbeats every 100 ms against a 1 s timeout: a ten-fold margin, so a loaded machine that
        // holds back this thread's PING-OK a few hundred milliseconds does not expire the client.
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.FromMilliseconds(100) }, timeout: TimeSpan.FromSeconds(1));
        using var client = broker.Greeted("idle");
        // Thirty heartbeats: three server timeouts' worth of time with no traffic but PING-OK.
        for (var i = 0; i < 30; i++)
        {
            client.ExpectBytes("AA AA 0A");
            client.SendRaw(Bytes.Hex("AA AA 0B"));
        }
        client.Subscribe("still-here");
        Assert.Equal(1, await broker.Server.CountClientsAsync());
    }

    [Fact]
    public async Task ZC10_client_ping_gets_ping_ok_while_connected()
    {
        await using var broker = TestBroker.Start();
        using var client = broker.Greeted("pinger");
        client.SendRaw(Bytes.Hex("AA AA 0A"));
        client.ExpectBytes("AA AA 0B");
    }

    [Fact]
    public async Task ZC11_direct_request_and_reply_are_routed_by_identifier()
    {
        await using var broker = TestBroker.Start();
        using var app = broker.Greeted("app");
        using var device = broker.Greeted("dev-42");
        app.Send(new ZccpMsg.Direct { Address = "dev-42", Headers = ZprotoHash.Create(("request-id", "7")), Content = new ReadOnlyMemory<byte>[] { Bytes.Ascii("reboot") } });
        device.ExpectBytes("AA AA 07 03 \"app\" 06 \"dev-42\" 00 00 00 01 0A \"request-id\" 00 00 00 01 \"7\"", "\"reboot\"");
        device.Send(new ZccpMsg.Direct { Address = "app", Headers = ZprotoHash.Create(("request-id", "7")), Content = new ReadOnlyMemory<byte>[] { Bytes.Ascii("ok") } });
        var reply = app.Expect<ZccpMsg.Deliver>();
        Assert.Equal(("dev-42", "app", "7", "ok"), (reply.Sender, reply.Address, reply.Headers["request-id"], Bytes.Text(reply.Content![0])));
    }

    [Fact]
    public async Task ZC12_direct_to_unknown_comes_back_as_a_no_route_deliver_and_the_session_goes_on()
    {
        await using var broker = TestBroker.Start();
        using var app = broker.Greeted("app");
        app.Send(new ZccpMsg.Direct { Address = "nobody", Headers = ZprotoHash.Create(("request-id", "9")), Content = new ReadOnlyMemory<byte>[] { Bytes.Ascii("hi") } });
        app.ExpectBytes("AA AA 07 00 06 \"nobody\" 00 00 00 02 0A \"request-id\" 00 00 00 01 \"9\" 05 \"error\" 00 00 00 08 \"no-route\"", "\"hi\"");
        app.Subscribe("x");
    }

    internal static async Task WaitUntil(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
            await Task.Delay(25, limit.Token);
    }
}
