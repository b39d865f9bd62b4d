using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using Zccp.Protocol;
using Zccp.Tests.Infrastructure;
using Zproto.Runtime.Zmq;

namespace Zccp.Tests;

/// <summary>zccpd as a real process: binding, exit codes, signals, options.</summary>
public sealed class BrokerProcessTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Serves_until_a_signal_then_exits_0(string signal)
    {
        var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--bind", "tcp://127.0.0.1:*");
        await using var _ = broker;
        Assert.StartsWith("tcp://127.0.0.1:", endpoint);
        using var context = new ZmqContext();
        using (var client = new RawDealer(context, endpoint))
            client.Hello("process-test");
        Assert.Equal(0, await broker.StopAsync(signal));
        Assert.Contains("zccpd: stopped", broker.Stderr);
    }

    [Fact]
    public async Task Binds_the_2014_endpoint_by_default_and_several_binds_when_asked()
    {
        var name = $"ipc://@/zccp-test-{Guid.NewGuid():N}";
        var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--bind", name, "--bind", "tcp://127.0.0.1:*");
        await using var _ = broker;
        Assert.Equal(name, endpoint);
        Assert.StartsWith("zccpd: serving ZCCP on tcp://127.0.0.1:", await broker.ReadLineAsync());
        Assert.Equal(0, await broker.StopAsync());
    }

    [Fact]
    public async Task Duplicate_deliveries_flag_reaches_the_broker()
    {
        var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--bind", "tcp://127.0.0.1:*", "--duplicate-deliveries", "--heartbeat", "0");
        await using var _ = broker;
        using var context = new ZmqContext();
        using var subscriber = new RawDealer(context, endpoint);
        using var publisher = new RawDealer(context, endpoint);
        subscriber.Hello("sub");
        publisher.Hello("pub");
        subscriber.Subscribe("H.*O");
        subscriber.Subscribe("HELLO");
        publisher.Publish("(HELLO, WORLD)", "TEST");
        subscriber.Expect<ZccpMsg.Deliver>();
        subscriber.Expect<ZccpMsg.Deliver>();
        subscriber.ExpectSilence();
    }

    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("--timeout", "soon")]
    [InlineData("extra-argument")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        await using var process = ProgramProcess.Start(ProgramProcess.ZccpdDll, args);
        Assert.Equal(2, await process.WaitForExitAsync());
        Assert.Contains("zccpd:", process.Stderr);
    }

    [Fact]
    public async Task Cannot_start_exits_1_for_a_missing_config_an_endpoint_in_use_or_a_bad_value()
    {
        await using (var missing = ProgramProcess.Start(ProgramProcess.ZccpdDll, new[] { "--config", Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.cfg") }))
            Assert.Equal(1, await missing.WaitForExitAsync());
        var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--bind", "tcp://127.0.0.1:*");
        await using (broker)
        {
            await using var clash = ProgramProcess.Start(ProgramProcess.ZccpdDll, new[] { "--bind", endpoint });
            Assert.Equal(1, await clash.WaitForExitAsync());
            Assert.Contains("zccpd:", clash.Stderr);
        }
        await using (var negative = ProgramProcess.Start(ProgramProcess.ZccpdDll, new[] { "--heartbeat", "-5", "--bind", "tcp://127.0.0.1:*" }))
            Assert.Equal(1, await negative.WaitForExitAsync());
    }

    [Fact]
    public async Task Config_file_sets_endpoint_timeout_and_heartbeat()
    {
        var file = Path.Combine(Path.GetTempPath(), $"zccpd-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(file, "server\n    timeout = 60000\nzccp_server\n    heartbeat = 150\n    bind\n        endpoint = tcp://127.0.0.1:*\n");
        try
        {
            var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--config", file);
            await using var _ = broker;
            using var context = new ZmqContext();
            using var client = new RawDealer(context, endpoint);
            client.Hello("idle");
            client.ExpectBytes("AA AA 0A");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
