using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using Zpipes.Protocol;
using Zpipes.Tests.Infrastructure;
using Zproto.Runtime.Zmq;

namespace Zpipes.Tests;

/// <summary>The zbroker program: command line, config file, broker names, tracing and signals.</summary>
[Collection(HeavyCollection.Name)]
public sealed class BrokerProcessTests
{
    [Theory]
    [InlineData(Programs.SIGTERM)]
    [InlineData(Programs.SIGINT)]
    public async Task A_signal_stops_the_broker_promptly_with_exit_code_0_even_with_clients_connected(int signal)
    {
        await using var broker = await BrokerProcess.StartAsync(1, "--bind", "tcp://127.0.0.1:*");
        using var context = new ZmqContext();
        using (var reader = new RawDealer(context, broker.Endpoint))
        {
            reader.OpenReader("p");
            reader.Read(10, 0);
            var (exitCode, took) = await broker.StopAsync(signal);
            Assert.Equal(0, exitCode);
            // Promptly, not at once: the bound tells a broker that stops from one waiting on its clients, with room for a loaded machine.
            Assert.True(took < TimeSpan.FromSeconds(12), $"zbroker took {took} to stop");
        }
        Assert.Contains("zbroker: stopped", broker.Stderr);
    }

    [Fact]
    public async Task A_broker_name_binds_its_abstract_ipc_endpoint()
    {
        var name = $"test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        await using var broker = await BrokerProcess.StartAsync(1, name);
        Assert.Equal($"ipc://@/zpipes/{name}", broker.Endpoint);
        using var context = new ZmqContext();
        using var writer = new RawDealer(context, broker.Endpoint);
        writer.SendRaw(Bytes.Hex("AA A0 04 09 \"test pipe\""));
        writer.ExpectBytes("AA A0 05");
        Assert.Equal(0, (await broker.StopAsync()).ExitCode);
    }

    [Fact]
    public async Task A_config_file_sets_the_endpoint_and_the_client_timeout()
    {
        var config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, """
                #   zbroker configuration (ZPL)
                server
                    timeout = 200       #   Client expiry, msecs
                    verbose = 0
                zpipes_server
                    bind
                        endpoint = tcp://127.0.0.1:*
                """);
            await using var broker = await BrokerProcess.StartAsync(1, "--config", config);
            Assert.StartsWith("tcp://127.0.0.1:", broker.Endpoint);
            using var context = new ZmqContext();
            using var reader = new RawDealer(context, broker.Endpoint);
            reader.OpenReader("p");
            await Task.Delay(500);
            reader.Read(1, 100);
            reader.Expect<ZpipesMsg.Invalid>();
            Assert.Equal(0, (await broker.StopAsync()).ExitCode);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Verbose_traces_the_state_machine_on_stderr()
    {
        await using var broker = await BrokerProcess.StartAsync(1, "--bind", "tcp://127.0.0.1:*", "--verbose", "--timeout", "10000");
        using var context = new ZmqContext();
        using (var writer = new RawDealer(context, broker.Endpoint))
            writer.OpenWriter("traced");
        Assert.Equal(0, (await broker.StopAsync()).ExitCode);
        Assert.Contains("start: output", broker.Stderr);
        Assert.Contains("+ attach writer to pipe", broker.Stderr);
        Assert.Contains("> output ok", broker.Stderr);
    }

    [Fact]
    public async Task A_missing_config_file_exits_1_and_a_bad_option_exits_2()
    {
        using var missing = Programs.Start(Programs.ZbrokerDll, new[] { "--config", "/nonexistent/zbroker.cfg" });
        await missing.WaitForExitAsync();
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not found", await missing.StandardError.ReadToEndAsync());

        using var bad = Programs.Start(Programs.ZbrokerDll, new[] { "--no-such-option" });
        await bad.WaitForExitAsync();
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task Two_broker_processes_joined_with_peer_carry_a_pipe_between_cli_processes()
    {
        await using var green = await BrokerProcess.StartAsync(1, "--bind", "tcp://127.0.0.1:*", "--cluster-bind", "tcp://127.0.0.1:*", "--node", "green");
        await using var orange = await BrokerProcess.StartAsync(1, "--bind", "tcp://127.0.0.1:*", "--cluster-bind", "tcp://127.0.0.1:*", "--node", "orange", "--peer", green.ClusterEndpoint!);
        var data = new byte[300_000];
        new Random(5).NextBytes(data);
        var reading = Programs.RunZpipesAsync(new[] { "--endpoint", green.Endpoint, "read", "across" });
        var written = await Programs.RunZpipesAsync(new[] { "--endpoint", orange.Endpoint, "write", "across" }, data);
        var read = await reading;
        Assert.Equal((0, ""), (written.ExitCode, written.Stderr));
        Assert.Equal((0, ""), (read.ExitCode, read.Stderr));
        Assert.Equal(data, read.Stdout);
        Assert.Equal(0, (await orange.StopAsync()).ExitCode);
        Assert.Equal(0, (await green.StopAsync()).ExitCode);
    }
}
