using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zpipes.Tests.Infrastructure;

namespace Zpipes.Tests;

/// <summary>The friendly client API: opening, streams, descriptors, heartbeats, dead brokers, cancellation.</summary>
public sealed class ClientLibraryTests
{
    [Fact]
    public async Task Stream_adapters_copy_a_pipe_end_to_end_with_CopyToAsync()
    {
        await using var broker = TestBroker.Start(tcp: true);
        var options = broker.ClientOptions();
        var data = new byte[1_000_003];
        new Random(7).NextBytes(data);
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "stream", options);
        var writing = Task.Run(async () =>
        {
            await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "stream", options);
            await using var pipeStream = writer.AsStream(chunkSize: 10_000);
            Assert.True(pipeStream.CanWrite);
            Assert.False(pipeStream.CanRead);
            await new MemoryStream(data).CopyToAsync(pipeStream);
        });
        await using var input = reader.AsStream();
        Assert.True(input.CanRead);
        Assert.False(input.CanWrite);
        var copy = new MemoryStream();
        await input.CopyToAsync(copy);
        await writing;
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(copy.ToArray()));
    }

    [Fact]
    public async Task Stream_refuses_the_wrong_direction_and_seeking()
    {
        await using var broker = TestBroker.Start();
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "s", broker.ClientOptions());
        var stream = reader.AsStream(leaveOpen: true);
        await Assert.ThrowsAsync<NotSupportedException>(() => stream.WriteAsync(new byte[1]).AsTask());
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Length);
        stream.ReadTimeout = 100;
        await Assert.ThrowsAsync<ZpipesTimeoutException>(() => stream.ReadAsync(new byte[4]).AsTask());
    }

    [Theory]
    [InlineData("local|>logs", "ipc://@/zpipes/local", "logs", ZpipeMode.Write)]
    [InlineData("green|test pipe", "ipc://@/zpipes/green", "test pipe", ZpipeMode.Read)]
    [InlineData("tcp://127.0.0.1:5560|>p", "tcp://127.0.0.1:5560", "p", ZpipeMode.Write)]
    public void Descriptors_name_broker_direction_and_pipe_like_the_python_wrapper(string descriptor, string endpoint, string name, ZpipeMode mode)
    {
        Assert.Equal((endpoint, name, mode), Zpipe.ParseDescriptor(descriptor));
    }

    [Theory]
    [InlineData("no-bar")]
    [InlineData("|pipe")]
    [InlineData("broker|")]
    [InlineData("broker|>")]
    public void Malformed_descriptors_are_refused(string descriptor)
    {
        Assert.Throws<FormatException>(() => Zpipe.ParseDescriptor(descriptor));
    }

    [Fact]
    public async Task Descriptor_opens_on_a_named_broker_over_abstract_ipc()
    {
        var context = new Zproto.Runtime.Zmq.ZmqContext();
        var name = $"test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        await using var server = new Zbroker.ZpipesServer(new Zbroker.BrokerSettings { BrokerName = name }.ToServerOptions());
        server.Start();
        Assert.Equal($"ipc://@/zpipes/{name}", server.Endpoints[0]);
        await using (var writer = await Zpipe.OpenAsync($"{name}|>p"))
        await using (var reader = await Zpipe.OpenAsync($"{name}|p"))
        {
            await writer.WriteAsync(Bytes.HelloWorld);
            Assert.Equal(Bytes.HelloWorld, (await reader.ReadAsync(12)).ToArray());
        }
        context.Dispose();
    }

    [Fact]
    public async Task Heartbeats_keep_a_long_blocking_read_alive_past_the_brokers_timeout()
    {
        // Heartbeats every 100 ms against a 1 s broker timeout (a margin a loaded machine cannot eat),
        // and a read blocked for 2.5 timeouts, which expires any session that is not kept alive.
        await using var broker = TestBroker.Start(TimeSpan.FromSeconds(1));
        var options = broker.ClientOptions(heartbeat: TimeSpan.FromMilliseconds(100), receiveTimeout: TimeSpan.FromSeconds(5));
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "slow", options);
        var read = reader.ReadAsync(5);
        await Task.Delay(2500);
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "slow", options);
        await writer.WriteAsync(Bytes.Ascii("alive"));
        Assert.Equal("alive", Bytes.Text(await read.WaitAsync(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task Opening_on_a_dead_broker_fails_within_the_receive_timeout()
    {
        using var context = new Zproto.Runtime.Zmq.ZmqContext();
        var options = new ZpipesClientOptions { Context = context, HeartbeatInterval = TimeSpan.FromMilliseconds(100), ReceiveTimeout = TimeSpan.FromMilliseconds(500) };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<ZpipesBrokerUnreachableException>(() => Zpipe.OpenReaderAsync("inproc://nobody-here", "p", options));
        Assert.Equal(ZpipesException.EHOSTUNREACH, e.Errno);
        // Not before the receive timeout; the upper bound only tells "gave up" from "hung", with room for a loaded machine.
        Assert.InRange(watch.ElapsedMilliseconds, 400, 10_000);
    }

    [Fact]
    public async Task A_broker_that_dies_during_a_blocking_read_fails_the_read_instead_of_hanging()
    {
        var broker = TestBroker.Start(tcp: true);
        var options = new ZpipesClientOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100), ReceiveTimeout = TimeSpan.FromMilliseconds(600) };
        var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "p", options);
        var read = reader.ReadAsync(10);
        await Task.Delay(200);
        await broker.DisposeAsync();
        var e = await Assert.ThrowsAsync<ZpipesBrokerUnreachableException>(() => read.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("did not answer", e.Message);
        // The pipe is unusable now; every call says so, and disposal does not hang.
        await Assert.ThrowsAsync<ZpipesBrokerUnreachableException>(() => reader.ReadAsync(1));
        await reader.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_cancelled_read_leaves_the_pipe_failed_and_close_still_releases_it_at_the_broker()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "p", options);
        using var cts = new CancellationTokenSource(100);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(10, cancellationToken: cts.Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(1));
        await reader.CloseAsync();
        // The broker saw the CLOSE: the name is free for a new reader.
        await using var again = await Zpipe.OpenReaderAsync(broker.Endpoint, "p", options);
    }

    [Fact]
    public async Task A_second_reader_is_refused_with_the_brokers_reason()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        await using var first = await Zpipe.OpenReaderAsync(broker.Endpoint, "p", options);
        var e = await Assert.ThrowsAsync<ZpipesFailedException>(() => Zpipe.OpenReaderAsync(broker.Endpoint, "p", options));
        Assert.Equal("pipe already has a reader", e.Reason);
        Assert.Equal(ZpipesException.EINTR, e.Errno);
    }

    [Fact]
    public async Task Ping_is_answered_and_close_is_idempotent()
    {
        await using var broker = TestBroker.Start();
        var pipe = await Zpipe.OpenWriterAsync(broker.Endpoint, "p", broker.ClientOptions());
        await pipe.PingAsync();
        await pipe.CloseAsync();
        await pipe.CloseAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pipe.WriteAsync(Bytes.HelloWorld));
    }

    [Fact]
    public async Task Write_timeout_without_a_reader_throws_eagain()
    {
        await using var broker = TestBroker.Start();
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "p", broker.ClientOptions());
        var e = await Assert.ThrowsAsync<ZpipesTimeoutException>(() => writer.WriteAsync(Bytes.HelloWorld, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ZpipesException.EAGAIN, e.Errno);
    }

    [Fact]
    public async Task Fifty_pipes_in_parallel_through_one_broker_each_deliver_their_own_bytes()
    {
        await using var broker = TestBroker.Start(tcp: true);
        var options = broker.ClientOptions();
        var transfers = Enumerable.Range(0, 50).Select(async i =>
        {
            var data = new byte[64 * 1024 + i * 1000];
            new Random(i).NextBytes(data);
            var name = $"pipe-{i}";
            await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, name, options);
            var writing = Task.Run(async () =>
            {
                await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, name, options);
                await using var stream = writer.AsStream(chunkSize: 8 * 1024);
                await stream.WriteAsync(data);
            });
            var received = new MemoryStream();
            await using (var stream = reader.AsStream(chunkSize: 16 * 1024))
                await stream.CopyToAsync(received);
            await writing;
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(received.ToArray()));
        }).ToArray();
        await Task.WhenAll(transfers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await broker.Server.CountPipesAsync());
    }

    [Fact]
    public async Task An_open_cancelled_after_the_broker_attached_releases_the_pipe()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        // Cancel while INPUT-OK is on its way: the broker has attached the reader already.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var cts = new CancellationTokenSource();
            var open = Zpipe.OpenReaderAsync(broker.Endpoint, "p", options, cts.Token);
            cts.Cancel();
            try
            {
                await (await open).DisposeAsync();
            }
            catch (OperationCanceledException)
            {
                // Given up on: whatever the broker did, the name must be free again.
            }
            await using var next = await Zpipe.OpenReaderAsync(broker.Endpoint, "p", options);
        }
    }

    [Fact]
    public async Task A_late_answer_to_an_abandoned_write_never_stands_in_for_close()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "p", options);
        using (var cts = new CancellationTokenSource(100))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync(Bytes.HelloWorld, cancellationToken: cts.Token));
        // A reader arrives: the broker delivers the abandoned WRITE and answers WRITE-OK, which no call awaits.
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "p", options);
        Assert.Equal(Bytes.HelloWorld, (await reader.ReadAsync(12)).ToArray());
        await writer.CloseAsync();
        // CLOSE really reached the broker: the reader sees the end and the name takes a new writer.
        Assert.True((await reader.ReadAsync(1, TimeSpan.FromSeconds(2))).IsEmpty);
        await using var writer2 = await Zpipe.OpenWriterAsync(broker.Endpoint, "p", options);
    }
}
