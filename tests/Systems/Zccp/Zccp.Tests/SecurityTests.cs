using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using Zccp.Protocol;
using Zccp.Tests.Infrastructure;
using Zccpd;
using Zccpd.Routing;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zccp.Tests;

/// <summary>The ACL (publish, receive, DIRECT) and CURVE with a ZAP allowlist.</summary>
public sealed class SecurityTests
{
    private const string Acl = """
        # operators may command any device; devices report under their own name
        ops      direct     ^dev-
        ops      subscribe  .
        *        publish    ^telemetry\.
        dev-1    subscribe  ^cmd\.
        """;

    [Fact]
    public void Acl_allows_only_what_a_rule_names()
    {
        var acl = AccessList.Parse(Acl);
        Assert.Equal(4, acl.Count);
        Assert.True(acl.Allows("ops", "", AccessAction.Direct, "dev-7"));
        Assert.False(acl.Allows("dev-1", "", AccessAction.Direct, "dev-7"));
        Assert.False(acl.Allows("ops", "", AccessAction.Direct, "ops"));
        Assert.True(acl.Allows("anyone", "", AccessAction.Publish, "telemetry.cpu"));
        Assert.False(acl.Allows("anyone", "", AccessAction.Publish, "cmd.reboot"));
        Assert.True(acl.Allows("dev-1", "", AccessAction.Subscribe, "cmd.reboot"));
        Assert.False(acl.Allows("dev-2", "", AccessAction.Subscribe, "cmd.reboot"));
        // Cached answers stay right.
        Assert.False(acl.Allows("dev-2", "", AccessAction.Subscribe, "cmd.reboot"));
    }

    [Theory]
    [InlineData("ops direct", "or 'SUBJECT ACTION PATTERN'")]
    [InlineData("ops reboot ^x", "is not publish, subscribe or direct")]
    [InlineData("\n\nops publish (x", ":3: unbalanced '('")]
    public void Malformed_acl_names_the_line(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => AccessList.Parse(text, "test.acl"));
        Assert.Contains(message, error.Message);
        Assert.StartsWith("test.acl:", error.Message);
    }

    [Fact]
    public async Task Refused_subscribe_publish_and_direct_come_back_as_forbidden()
    {
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero, Acl = AccessList.Parse(Acl) });
        using var ops = broker.Greeted("ops");
        using var device = broker.Greeted("dev-1");
        using var other = broker.Greeted("dev-2");
        ops.Subscribe("telemetry");
        // dev-2 may not subscribe at all: a DELIVER with the pattern as its address answers instead of SUBSCRIBE-OK.
        other.Send(new ZccpMsg.Subscribe { Expression = "telemetry" });
        other.ExpectBytes("AA AA 07 00 09 \"telemetry\" 00 00 00 02 05 \"error\" 00 00 00 09 \"forbidden\" 07 \"refused\" 00 00 00 09 \"subscribe\"", "");
        device.Publish("telemetry.temp", "40");
        Assert.Equal("40", Bytes.Text(ops.Expect<ZccpMsg.Deliver>().Content![0]));
        other.ExpectSilence();
        device.Publish("cmd.fake", "x");
        device.ExpectBytes("AA AA 07 00 08 \"cmd.fake\" 00 00 00 01 05 \"error\" 00 00 00 09 \"forbidden\"", "\"x\"");
        device.Send(new ZccpMsg.Direct { Address = "dev-2", Content = new ReadOnlyMemory<byte>[] { Bytes.Ascii("psst") } });
        Assert.Equal("forbidden", device.Expect<ZccpMsg.Deliver>().Headers["error"]);
        other.ExpectSilence();
        ops.Send(new ZccpMsg.Direct { Address = "dev-2", Content = new ReadOnlyMemory<byte>[] { Bytes.Ascii("reboot") } });
        Assert.Equal("ops", other.Expect<ZccpMsg.Deliver>().Sender);
    }

    [Fact]
    public async Task Refused_request_fails_typed_in_the_library()
    {
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero, Acl = AccessList.Parse(Acl) });
        var options = new ZccpClientOptions { Context = broker.Context };
        await using var device = await ZccpClient.ConnectAsync(broker.Endpoint, "dev-1", TimeSpan.FromSeconds(2), options);
        await using var target = await ZccpClient.ConnectAsync(broker.Endpoint, "dev-2", TimeSpan.FromSeconds(2), options);
        var error = await Assert.ThrowsAsync<ZccpRequestFailedException>(() => device.RequestAsync("dev-2", "psst", TimeSpan.FromSeconds(5)));
        Assert.Equal("forbidden", error.Error);
    }

    [Fact]
    public async Task Curve_admits_allowlisted_keys_and_refuses_others_in_the_handshake()
    {
        var server = ZmqCurve.GenerateKeyPair();
        var allowed = ZmqCurve.GenerateKeyPair();
        var stranger = ZmqCurve.GenerateKeyPair();
        await using var broker = TestBroker.Start(tcp: true, curve: new CurveServerOptions
        {
            PublicKey = server.PublicKey,
            SecretKey = server.SecretKey,
            AllowedClientKeys = new HashSet<string> { allowed.PublicKey },
        });
        await using (var ok = await ZccpClient.ConnectAsync(broker.Endpoint, "trusted", TimeSpan.FromSeconds(2), new ZccpClientOptions { CurveServerKey = server.PublicKey, CurveKeys = allowed }))
            await ok.SubscribeAsync("x");
        await Assert.ThrowsAsync<ZccpNotReachableException>(() =>
            ZccpClient.ConnectAsync(broker.Endpoint, "intruder", TimeSpan.FromMilliseconds(500), new ZccpClientOptions { CurveServerKey = server.PublicKey, CurveKeys = stranger }));
        await Assert.ThrowsAsync<ZccpNotReachableException>(() =>
            ZccpClient.ConnectAsync(broker.Endpoint, "plaintext", TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Broker_process_takes_curve_and_acl_from_its_config_file()
    {
        var server = ZmqCurve.GenerateKeyPair();
        var client = ZmqCurve.GenerateKeyPair();
        var dir = Directory.CreateTempSubdirectory("zccpd-");
        try
        {
            var acl = Path.Combine(dir.FullName, "zccp.acl");
            await File.WriteAllTextAsync(acl, "* publish ^telemetry\\.\n");
            var config = Path.Combine(dir.FullName, "zccpd.cfg");
            await File.WriteAllTextAsync(config, $"zccp_server\n    acl = \"{acl}\"\n    curve\n        public-key = \"{server.PublicKey}\"\n        secret-key = \"{server.SecretKey}\"\n        allow = \"{client.PublicKey}\"\n");
            var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--config", config, "--bind", "tcp://127.0.0.1:*");
            await using var _ = broker;
            await using var zccp = await ZccpClient.ConnectAsync(endpoint, "dev", TimeSpan.FromSeconds(5), new ZccpClientOptions { CurveServerKey = server.PublicKey, CurveKeys = client });
            await zccp.PublishAsync("cmd.x", "nope");
            using var limit = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(10));
            await foreach (var refusal in zccp.ReadDeliveriesAsync(limit.Token))
            {
                Assert.Equal(("cmd.x", "forbidden"), (refusal.Address, refusal.Headers["error"]));
                break;
            }
            Assert.Equal(0, await broker.StopAsync());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Key_bindings_reserve_identifiers_and_subscribe_rules_judge_patterns()
    {
        // A '#' inside a key is part of it; one after a blank starts a comment.
        const string OpsKey = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
        const string DevKey = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/#{H8]yf7";
        var acl = AccessList.Parse($"""
            key {OpsKey} ops,ops-backup   # operators
            key {DevKey} dev-1
            key:{DevKey} subscribe ^cmd\.dev-1
            ops subscribe .
            * publish ^telemetry\.
            """);
        Assert.Equal(3, acl.Count);
        Assert.Null(acl.RefuseIdentifier(OpsKey, "ops-backup"));
        Assert.Equal("this client key may not use identifier 'dev-1'", acl.RefuseIdentifier(OpsKey, "dev-1"));
        Assert.Equal("this client key may not use identifier 'ops'", acl.RefuseIdentifier(DevKey, "ops"));
        Assert.Equal("identifier 'ops' is bound to other client keys", acl.RefuseIdentifier("", "ops"));
        Assert.Null(acl.RefuseIdentifier("", "guest"));

        Assert.True(acl.AllowsSubscription("dev-1", DevKey, ZrexPattern.Parse(@"^cmd\.dev-1\.")));
        Assert.True(acl.AllowsSubscription("dev-1", DevKey, ZrexPattern.Parse(@"^cmd\.dev-1")));
        Assert.False(acl.AllowsSubscription("dev-1", DevKey, ZrexPattern.Parse(@"^cmd\.dev-")));
        Assert.False(acl.AllowsSubscription("dev-1", DevKey, ZrexPattern.Parse("dev-1")));
        Assert.False(acl.AllowsSubscription("dev-1", "", ZrexPattern.Parse(@"^cmd\.dev-1")));
        Assert.True(acl.AllowsSubscription("ops", OpsKey, ZrexPattern.Parse("anything$")));
        Assert.True(acl.Allows("dev-1", DevKey, AccessAction.Subscribe, "cmd.dev-1.reboot"));
        Assert.False(acl.Allows("dev-1", "", AccessAction.Subscribe, "cmd.dev-1.reboot"));
    }

    [Theory]
    [InlineData("ops subscribe \\.temp$", ":1: a subscribe pattern is '.' (every address) or '^PREFIX'")]
    [InlineData("ops subscribe ^cmd\\d", ":1: a subscribe pattern is '.' (every address) or '^PREFIX'")]
    [InlineData("key short ops", ":1: 'short' is not a Z85 CURVE public key")]
    [InlineData("key:short publish x", ":1: 'short' is not a Z85 CURVE public key")]
    public void Malformed_key_and_subscribe_lines_name_the_line(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => AccessList.Parse(text, "test.acl"));
        Assert.StartsWith("test.acl" + message, error.Message);
    }

    [Fact]
    public async Task Over_curve_the_broker_ties_identifiers_and_rules_to_the_client_key()
    {
        var server = ZmqCurve.GenerateKeyPair();
        var opsKey = ZmqCurve.GenerateKeyPair();
        var devKey = ZmqCurve.GenerateKeyPair();
        var guestKey = ZmqCurve.GenerateKeyPair();
        var acl = AccessList.Parse($"""
            key {opsKey.PublicKey} ops
            key {devKey.PublicKey} dev-1
            ops subscribe .
            key:{devKey.PublicKey} publish ^telemetry\.dev-1\.
            key:{devKey.PublicKey} subscribe ^cmd\.
            """);
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero, Acl = acl }, tcp: true, curve: new CurveServerOptions
        {
            PublicKey = server.PublicKey,
            SecretKey = server.SecretKey,
            AllowedClientKeys = new HashSet<string> { opsKey.PublicKey, devKey.PublicKey, guestKey.PublicKey },
        });
        RawDealer Curve(ZmqCurveKeyPair keys) => new(broker.Context, broker.Endpoint, keys, server.PublicKey);

        // The device's key cannot pose as ops, and an unbound key cannot take a bound identifier: INVALID.
        using (var impostor = Curve(devKey))
        {
            impostor.Send(new ZccpMsg.Hello { Identifier = "ops" });
            impostor.ExpectBytes("AA AA 0C");
        }
        using (var guest = Curve(guestKey))
        {
            guest.Send(new ZccpMsg.Hello { Identifier = "dev-1" });
            guest.ExpectBytes("AA AA 0C");
            guest.Hello("guest");
            guest.Send(new ZccpMsg.Subscribe { Expression = "^cmd\\." });
            Assert.Equal("subscribe", guest.Expect<ZccpMsg.Deliver>().Headers["refused"]);
        }
        using var ops = Curve(opsKey);
        ops.Hello("ops");
        ops.Subscribe("telemetry");
        using var device = Curve(devKey);
        device.Hello("dev-1");
        // Rules written for the key apply to the session that authenticated with it.
        device.Subscribe("^cmd\\.");
        device.Publish("telemetry.dev-1.temp", "40");
        var delivered = ops.Expect<ZccpMsg.Deliver>();
        Assert.Equal(("dev-1", "telemetry.dev-1.temp"), (delivered.Sender, delivered.Address));
        device.Publish("telemetry.dev-2.temp", "spoofed");
        Assert.Equal("forbidden", device.Expect<ZccpMsg.Deliver>().Headers["error"]);
        ops.ExpectSilence();
    }

    [Fact]
    public async Task A_routing_id_reused_by_another_key_does_not_inherit_the_session()
    {
        var server = ZmqCurve.GenerateKeyPair();
        var opsKey = ZmqCurve.GenerateKeyPair();
        var otherKey = ZmqCurve.GenerateKeyPair();
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero, Acl = AccessList.Parse($"key {opsKey.PublicKey} ops\nops publish .\n") }, tcp: true, curve: new CurveServerOptions
        {
            PublicKey = server.PublicKey,
            SecretKey = server.SecretKey,
        });
        var routingId = Bytes.Ascii("fixed-id");
        using (var ops = new RawDealer(broker.Context, broker.Endpoint, opsKey, server.PublicKey, routingId))
        {
            ops.Hello("ops");
        }
        Assert.Equal(1, await broker.Server.CountClientsAsync());
        // Same routing id, another key, no HELLO: a fresh session (start state) answers INVALID, not as 'ops'.
        // libzmq refuses a routing id still in use, so reconnect until the broker has seen the first one go.
        for (var attempt = 1; ; attempt++)
        {
            using var other = new RawDealer(broker.Context, broker.Endpoint, otherKey, server.PublicKey, routingId);
            other.Publish("cmd.reboot", "x");
            if (other.Receive(TimeSpan.FromMilliseconds(500)) is { } answer)
            {
                Assert.IsType<ZccpMsg.Invalid>(answer);
                Assert.Equal(Bytes.Hex("AA AA 0C"), other.LastFrames[0]);
                break;
            }
            Assert.True(attempt < 10, "no INVALID: the reused routing id inherited the session, or was never accepted");
        }
    }

    [Fact]
    public async Task Library_reports_a_forbidden_subscription_and_a_refused_identifier()
    {
        var server = ZmqCurve.GenerateKeyPair();
        var devKey = ZmqCurve.GenerateKeyPair();
        var otherKey = ZmqCurve.GenerateKeyPair();
        var acl = AccessList.Parse($"""
            key {devKey.PublicKey} dev-1
            dev-1 subscribe ^cmd\.
            """);
        await using var broker = TestBroker.Start(new BrokerPolicy { HeartbeatInterval = TimeSpan.Zero, Acl = acl }, tcp: true, curve: new CurveServerOptions
        {
            PublicKey = server.PublicKey,
            SecretKey = server.SecretKey,
        });
        await using (var device = await ZccpClient.ConnectAsync(broker.Endpoint, "dev-1", TimeSpan.FromSeconds(5), new ZccpClientOptions { CurveServerKey = server.PublicKey, CurveKeys = devKey }))
        {
            await device.SubscribeAsync("^cmd\\.reboot");
            var refused = await Assert.ThrowsAsync<ZccpSubscriptionFailedException>(() => device.SubscribeAsync("^telemetry"));
            Assert.Equal("subscription '^telemetry' failed: the broker refused it (forbidden)", refused.Message);
            // The session goes on after a refusal.
            await device.SubscribeAsync("^cmd\\.");
        }
        // The broker answers INVALID to the HELLO, and the library fails the connect at once with a typed
        // error: the timeout is a minute, and the test's own deadline is far below it.
        var connecting = ZccpClient.ConnectAsync(broker.Endpoint, "dev-1", TimeSpan.FromMinutes(1), new ZccpClientOptions { CurveServerKey = server.PublicKey, CurveKeys = otherKey });
        Assert.Same(connecting, await Task.WhenAny(connecting, Task.Delay(TimeSpan.FromSeconds(30))));
        var error = await Assert.ThrowsAsync<ZccpIdentifierRefusedException>(() => connecting);
        Assert.Equal("dev-1", error.Identifier);
        Assert.Equal($"the broker at {broker.Endpoint} refused identifier 'dev-1'", error.Message);
    }
}
