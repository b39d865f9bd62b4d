using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Zbroker;
using Zpipes.Tests.Infrastructure;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zpipes.Tests;

/// <summary>ZP-S13 and ZP-S14: brokers on 127.0.0.1 serving one pipe namespace (docs/zpipes-clustering.md).</summary>
public sealed class ClusterTests : IAsyncDisposable
{
    private readonly ZmqContext _context = new();
    private readonly List<ZpipesServer> _brokers = new();

    private ZpipesServer StartBroker(string node, params ZpipesServer[] peers)
    {
        var server = new ZpipesServer(new ServerOptions { Endpoints = { "tcp://127.0.0.1:*" }, Context = _context })
        {
            Cluster = new ClusterSettings
            {
                NodeId = node,
                Bind = "tcp://127.0.0.1:*",
                Peers = peers.Select(p => p.ClusterEndpoint).ToArray(),
                Interval = TimeSpan.FromMilliseconds(100),
                PeerTimeout = TimeSpan.FromMilliseconds(1500),
            },
        };
        server.Start();
        _brokers.Add(server);
        return server;
    }

    private static async Task WaitForMeshAsync(params ZpipesServer[] brokers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        foreach (var broker in brokers)
        {
            while ((await broker.ListPeersAsync()).Length < brokers.Length - 1)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{broker.Cluster!.NodeId} did not meet its peers");
                await Task.Delay(20);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(20);
        }
    }

    private ZpipesClientOptions Options() => new() { Context = _context };

    [Fact]
    public async Task ZP_S13_writer_on_one_broker_feeds_a_reader_on_another_with_local_semantics()
    {
        var green = StartBroker("green");
        var orange = StartBroker("orange", green);
        await WaitForMeshAsync(green, orange);

        var writer = await Zpipe.OpenWriterAsync(orange.Endpoints[0], "p", Options());
        await using var reader = await Zpipe.OpenReaderAsync(green.Endpoints[0], "p", Options());
        var eagain = await Assert.ThrowsAsync<ZpipesTimeoutException>(() => reader.ReadAsync(6, TimeSpan.FromMilliseconds(200)));
        Assert.Equal(ZpipesException.EAGAIN, eagain.Errno);
        await writer.WriteAsync(Bytes.HelloWorld, TimeSpan.FromSeconds(5));
        Assert.Equal(Bytes.HelloWorld, (await reader.ReadAsync(12, TimeSpan.FromSeconds(5))).ToArray());

        await writer.WriteAsync(Bytes.Ascii("CHUNK3"), TimeSpan.FromSeconds(5));
        await writer.CloseAsync();
        Assert.Equal("CHUNK3", Bytes.Text(await reader.ReadAsync(50, TimeSpan.FromSeconds(5))));
        Assert.True((await reader.ReadAsync(50, TimeSpan.FromSeconds(5))).IsEmpty);
    }

    [Fact]
    public async Task ZP_S13_reader_first_then_writer_then_both_close_and_the_name_opens_again()
    {
        var green = StartBroker("green");
        var orange = StartBroker("orange", green);
        await WaitForMeshAsync(green, orange);

        var reader = await Zpipe.OpenReaderAsync(green.Endpoints[0], "test pipe 2", Options());
        await Task.Delay(300);
        var writer = await Zpipe.OpenWriterAsync(orange.Endpoints[0], "test pipe 2", Options());
        await writer.WriteAsync(Bytes.Ascii("over the cluster"), TimeSpan.FromSeconds(5));
        Assert.Equal("over the cluster", Bytes.Text(await reader.ReadAsync(16, TimeSpan.FromSeconds(5))));
        await writer.CloseAsync();
        await reader.CloseAsync();
        await WaitUntilAsync(async () => await green.CountPipesAsync() == 0 && await orange.CountPipesAsync() == 0, "the pipe was not removed on both brokers");
        await using var again = await Zpipe.OpenReaderAsync(green.Endpoints[0], "test pipe 2", Options());
    }

    [Fact]
    public async Task ZP_S14_a_bystander_forgets_the_pipe_so_its_own_writer_waits_instead_of_misrouting()
    {
        var a = StartBroker("A");
        var b = StartBroker("B", a);
        var c = StartBroker("C", a, b);
        await WaitForMeshAsync(a, b, c);

        var reader = await Zpipe.OpenReaderAsync(a.Endpoints[0], "q", Options());
        await WaitUntilAsync(async () => await c.CountPipesAsync() == 1, "C did not hear A's HAVE READER");
        var writer = await Zpipe.OpenWriterAsync(b.Endpoints[0], "q", Options());
        await WaitUntilAsync(async () => await c.CountPipesAsync() == 0, "C did not forget q after both SHOUTs");

        await using (var bystanderWriter = await Zpipe.OpenWriterAsync(c.Endpoints[0], "q", Options()))
        {
            await Assert.ThrowsAsync<ZpipesTimeoutException>(() => bystanderWriter.WriteAsync(Bytes.Ascii("misrouted"), TimeSpan.FromMilliseconds(300)));
            await writer.WriteAsync(Bytes.Ascii("fromB"), TimeSpan.FromSeconds(5));
            Assert.Equal("fromB", Bytes.Text(await reader.ReadAsync(5, TimeSpan.FromSeconds(5))));
        }

        await reader.CloseAsync();
        await writer.CloseAsync();
        await using var again = await Zpipe.OpenReaderAsync(a.Endpoints[0], "q", Options());
    }

    [Fact]
    public async Task A_second_reader_elsewhere_in_the_cluster_is_refused_and_a_stopping_broker_drops_its_ends()
    {
        var green = StartBroker("green");
        var orange = StartBroker("orange", green);
        await WaitForMeshAsync(green, orange);
        await using var reader = await Zpipe.OpenReaderAsync(green.Endpoints[0], "solo", Options());
        await WaitUntilAsync(async () => await orange.CountPipesAsync() == 1, "orange did not hear green's HAVE READER");
        var refused = await Assert.ThrowsAsync<ZpipesFailedException>(() => Zpipe.OpenReaderAsync(orange.Endpoints[0], "solo", Options()));
        Assert.Contains("green", refused.Reason);

        var shortLived = Options();
        shortLived.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        shortLived.ReceiveTimeout = TimeSpan.FromMilliseconds(500);
        var writer = await Zpipe.OpenWriterAsync(orange.Endpoints[0], "solo", shortLived);
        await writer.WriteAsync(Bytes.Ascii("last words"), TimeSpan.FromSeconds(5));
        // Stopping orange drops its writer: the reader on green drains what arrived, then ends.
        var read = reader.ReadAsync(100, TimeSpan.FromSeconds(5));
        await orange.DisposeAsync();
        Assert.Equal("last words", Bytes.Text(await read));
        Assert.True((await reader.ReadAsync(1, TimeSpan.FromSeconds(5))).IsEmpty);
        await writer.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var broker in _brokers)
            await broker.DisposeAsync();
        _context.Dispose();
    }
}
