using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Zccp.Protocol;
using Zccp.Tests.Infrastructure;
using Zccpd;

namespace Zccp.Tests;

/// <summary>What a broken or hostile peer can do to zccpd: garbage, out-of-state messages, bad and hostile patterns, floods of subscriptions, identifier clashes.</summary>
public sealed class HostileClientTests
{
    [Fact]
    public async Task Garbage_frames_are_dropped_silently_and_counted()
    {
        await using var broker = TestBroker.Start();
        using var client = broker.Dealer();
        client.SendRaw(Bytes.Hex("00 11 22"));
        client.SendRaw(Bytes.Hex("AA AA 63"));
        client.SendRaw(Bytes.Hex("AA AA 01 FF \"short\""));
        client.SendRaw(Array.Empty<byte>());
        client.ExpectSilence();
        Assert.Equal(4, broker.Server.MalformedMessages);
        client.Hello("after-garbage");
    }

    [Theory]
    [InlineData("AA AA 03 01 \"x\" 00 00 00 00", false)]
    [InlineData("AA AA 06 01 \"x\" 00 00 00 00", true)]
    [InlineData("AA AA 0B", false)]
    [InlineData("AA AA 07 00 01 \"x\" 00 00 00 00", true)]
    public async Task Anything_but_hello_or_goodbye_before_hello_is_invalid(string frame, bool hasContent)
    {
        await using var broker = TestBroker.Start();
        using var client = broker.Dealer();
        if (hasContent)
            client.SendRaw(Bytes.Hex(frame), Array.Empty<byte>());
        else
            client.SendRaw(Bytes.Hex(frame));
        client.ExpectBytes("AA AA 0C");
        Assert.Equal(0, await broker.Server.CountClientsAsync());
    }

    [Fact]
    public async Task Server_messages_from_a_client_are_invalid_and_end_the_session()
    {
        await using var broker = TestBroker.Start();
        using var client = broker.Greeted("confused");
        client.Send(new ZccpMsg.HelloOk());
        client.ExpectBytes("AA AA 0C");
        Assert.Equal(0, await broker.Server.CountClientsAsync());
    }

    [Fact]
    public async Task Invalid_pattern_is_acknowledged_and_never_matches()
    {
        await using var broker = TestBroker.Start();
        using var subscriber = broker.Greeted("sub");
        using var publisher = broker.Greeted("pub");
        subscriber.SendRaw(Bytes.Hex("AA AA 03 05 \"(oops\" 00 00 00 00"));
        subscriber.ExpectBytes("AA AA 04");
        publisher.Publish("(oops", "x");
        subscriber.ExpectSilence();
        Assert.Equal(0, await broker.Server.CountPatternsAsync());
    }

    [Fact]
    public async Task Catastrophic_backtracking_pattern_neither_stalls_nor_misroutes()
    {
        await using var broker = TestBroker.Start();
        using var hostile = broker.Greeted("hostile");
        using var bystander = broker.Greeted("bystander");
        using var publisher = broker.Greeted("pub");
        hostile.Subscribe("^(a*)*(a+)+(a|aa)*b$");
        bystander.Subscribe("^a");
        var address = new string('a', 255);
        for (var i = 0; i < 20; i++)
            publisher.Publish(address, $"{i}");
        for (var i = 0; i < 20; i++)
            Assert.Equal($"{i}", Bytes.Text(bystander.Expect<ZccpMsg.Deliver>().Content![0]));
        hostile.ExpectSilence();
    }

    [Fact]
    public async Task Ten_thousand_subscriptions_from_one_client_are_taken_and_the_next_one_ends_the_session()
    {
        await using var broker = TestBroker.Start();
        using var flooder = broker.Greeted("flooder");
        using var publisher = broker.Greeted("pub");
        for (var i = 0; i < 10_000; i++)
            flooder.Send(new ZccpMsg.Subscribe { Expression = $"^dev\\.{i}\\." });
        for (var i = 0; i < 10_000; i++)
            flooder.Expect<ZccpMsg.SubscribeOk>();
        Assert.Equal(10_000, await broker.Server.CountPatternsAsync());
        publisher.Publish("dev.9999.temp", "hot");
        Assert.Equal("dev.9999.temp", flooder.Expect<ZccpMsg.Deliver>().Address);
        flooder.Send(new ZccpMsg.Subscribe { Expression = "one too many" });
        flooder.ExpectBytes("AA AA 0C");
        Assert.Equal(0, await broker.Server.CountPatternsAsync());
        Assert.Equal(1, await broker.Server.CountClientsAsync());
    }

    [Fact]
    public async Task Hello_with_an_identifier_in_use_takes_it_over_and_the_older_session_gets_invalid()
    {
        await using var broker = TestBroker.Start();
        using var app = broker.Greeted("app");
        using var first = broker.Greeted("dev-42");
        first.Subscribe("x");
        using var second = broker.Greeted("dev-42");
        first.ExpectBytes("AA AA 0C");
        app.Send(new ZccpMsg.Direct { Address = "dev-42", Content = new ReadOnlyMemory<byte>[] { Bytes.Ascii("ping") } });
        Assert.Equal("app", second.Expect<ZccpMsg.Deliver>().Sender);
        first.ExpectSilence();
        Assert.Equal(0, await broker.Server.CountPatternsAsync());
    }

    [Fact]
    public async Task Publish_with_no_subscribers_is_dropped_silently()
    {
        await using var broker = TestBroker.Start();
        using var publisher = broker.Greeted("pub");
        publisher.Publish("nobody.listens", "x");
        publisher.ExpectSilence();
        publisher.Subscribe("y");
        Assert.Equal(1, await broker.Server.CountClientsAsync());
    }

    [Fact]
    public async Task Hundred_concurrent_direct_requesters_each_get_every_reply()
    {
        await using var broker = TestBroker.Start(tcp: true);
        using var device = broker.Greeted("device");
        var requesters = Enumerable.Range(0, 100).Select(i => broker.Greeted($"app-{i}")).ToArray();
        const int perRequester = 10;
        foreach (var (requester, i) in requesters.Select((r, i) => (r, i)))
        {
            for (var n = 0; n < perRequester; n++)
                requester.Send(new ZccpMsg.Direct { Address = "device", Headers = Zproto.Wire.ZprotoHash.Create(("request-id", $"{n}")), Content = new ReadOnlyMemory<byte>[] { Bytes.Ascii($"{i}:{n}") } });
        }
        // The device answers each request to its sender, echoing request-id and content.
        for (var k = 0; k < requesters.Length * perRequester; k++)
        {
            var request = device.Expect<ZccpMsg.Deliver>();
            device.Send(new ZccpMsg.Direct { Address = request.Sender, Headers = request.Headers, Content = request.Content });
        }
        foreach (var (requester, i) in requesters.Select((r, i) => (r, i)))
        {
            var ids = Enumerable.Range(0, perRequester).Select(_ => requester.Expect<ZccpMsg.Deliver>()).Select(d =>
            {
                Assert.Equal($"{i}:{d.Headers["request-id"]}", Bytes.Text(d.Content![0]));
                return int.Parse(d.Headers["request-id"]);
            }).OrderBy(n => n);
            Assert.Equal(Enumerable.Range(0, perRequester), ids);
        }
    }
}
