using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Zccp.Tests.Infrastructure;

namespace Zccp.Tests;

/// <summary>zccp-sh and zccpd as real processes (ZC-14), plus zccp-sh's other modes and errors.</summary>
public sealed class ShellProcessTests
{
    [Fact]
    public async Task ZC14_listener_prints_what_a_second_shell_publishes()
    {
        var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--bind", "tcp://127.0.0.1:*");
        await using var _ = broker;
        await using var listener = ProgramProcess.Start(ProgramProcess.ShellDll, new[] { "--endpoint", endpoint, "cpu" });
        await AcceptanceScenarioTests.WaitUntil(() => Task.FromResult(listener.Stderr.Contains("subscribed to cpu", StringComparison.Ordinal)));
        // The endpoint from the environment, as $ZCCP_ENDPOINT.
        await using (var publisher = ProgramProcess.Start(ProgramProcess.ShellDll, new[] { "--identifier", "sh-pub", "cpu.1", "95" }, new Dictionary<string, string> { ["ZCCP_ENDPOINT"] = endpoint }))
            Assert.Equal(0, await publisher.WaitForExitAsync());
        Assert.Equal("Content=95 sender=sh-pub address=cpu.1", await listener.ReadLineAsync());
        Assert.Equal(0, await listener.StopAsync("INT"));
        Assert.Equal(0, await broker.StopAsync());
    }

    [Fact]
    public async Task Direct_prints_the_reply_of_a_device_and_fails_for_nobody()
    {
        var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--bind", "tcp://127.0.0.1:*");
        await using var _ = broker;
        await using var device = await ZccpClient.ConnectAsync(endpoint, "dev-42", TimeSpan.FromSeconds(2));
        using var handler = device.HandleRequests((request, _) =>
            Task.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>>(new ReadOnlyMemory<byte>[] { Encoding.UTF8.GetBytes($"rebooting after '{request.Text}'") }));
        await using (var shell = ProgramProcess.Start(ProgramProcess.ShellDll, new[] { "--endpoint", endpoint, "--direct", "dev-42", "reboot" }))
        {
            Assert.Equal("rebooting after 'reboot'", await shell.ReadLineAsync());
            Assert.Equal(0, await shell.WaitForExitAsync());
        }
        await using var lost = ProgramProcess.Start(ProgramProcess.ShellDll, new[] { "--endpoint", endpoint, "--direct", "nobody", "hello" });
        Assert.Equal(1, await lost.WaitForExitAsync());
        Assert.Contains("no client 'nobody'", lost.Stderr);
    }

    [Fact]
    public async Task Unreachable_broker_exits_1_with_the_2014_message()
    {
        var endpoint = $"ipc://@/nothing-{Guid.NewGuid():N}";
        await using var shell = ProgramProcess.Start(ProgramProcess.ShellDll, new[] { "--endpoint", endpoint, "--timeout", "250", "cpu" });
        Assert.Equal(1, await shell.WaitForExitAsync());
        Assert.Contains($"zccp-sh: server not reachable at {endpoint}", shell.Stderr);
    }

    [Fact]
    public async Task Refused_identifier_exits_1_at_once_with_the_reason()
    {
        // 'ops' is bound to a CURVE key: a plaintext client saying HELLO as 'ops' gets INVALID.
        var acl = Zccpd.Routing.AccessList.Parse($"key {Zproto.Runtime.Zmq.ZmqCurve.GenerateKeyPair().PublicKey} ops");
        await using var broker = TestBroker.Start(new Zccpd.BrokerPolicy { HeartbeatInterval = TimeSpan.Zero, Acl = acl }, tcp: true);
        // A one-minute connect timeout: the exit must come from the refusal, well within the wait below.
        await using var shell = ProgramProcess.Start(ProgramProcess.ShellDll, new[] { "--endpoint", broker.Endpoint, "--identifier", "ops", "--timeout", "60000", "cpu" });
        Assert.Equal(1, await shell.WaitForExitAsync());
        Assert.Contains($"zccp-sh: the broker at {broker.Endpoint} refused identifier 'ops'", shell.Stderr);
    }

    [Theory]
    [InlineData]
    [InlineData("a", "b", "c")]
    [InlineData("--direct", "dev", "a", "b")]
    [InlineData("--timeout", "0", "x")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        await using var shell = ProgramProcess.Start(ProgramProcess.ShellDll, args);
        Assert.Equal(2, await shell.WaitForExitAsync());
        Assert.Contains("usage: zccp-sh", shell.Stderr);
    }

    [Fact]
    public async Task Invalid_pattern_exits_1_without_subscribing()
    {
        var (broker, endpoint) = await ProgramProcess.StartBrokerAsync("--bind", "tcp://127.0.0.1:*");
        await using var _ = broker;
        await using var shell = ProgramProcess.Start(ProgramProcess.ShellDll, new[] { "--endpoint", endpoint, "(oops" });
        Assert.Equal(1, await shell.WaitForExitAsync());
        Assert.Contains("not a valid zrex pattern", shell.Stderr);
    }
}
