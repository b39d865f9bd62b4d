using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Zpipes.Protocol;
using Zpipes.Tests.Infrastructure;

namespace Zpipes.Tests;

/// <summary>
/// The client's window (several WRITEs or READs in flight): order and content kept for any chunk
/// and read sizes, the broker's pipe limit held against a reader that does not read, and failures
/// inside the window surfacing as typed exceptions without anything taken twice.
/// </summary>
public sealed class WindowTests
{
    private static readonly Config s_quick = Config.QuickThrowOnFailure.WithQuietOnSuccess(true);

    /// <summary>One case: the chunks the writer queues, the reader's READ size, both windows, and whether the reader uses the stream.</summary>
    public sealed record Transfer(int[] ChunkSizes, int ReadSize, int WriterWindow, int ReaderWindow, bool ThroughStream, int Seed);

    private static Gen<Transfer> Transfers { get; } =
        from count in Gen.Choose(0, 40)
        from sizes in Gen.ArrayOf(Gen.Frequency((4, Gen.Choose(1, 5_000)), (2, Gen.Choose(5_000, 70_000)), (1, Gen.Constant(1))), count)
        from readSize in Gen.Frequency((2, Gen.Choose(1, 100)), (3, Gen.Choose(100, 100_000)))
        from writerWindow in Gen.Choose(1, 8)
        from readerWindow in Gen.Choose(1, 8)
        from throughStream in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        select new Transfer(sizes, readSize, writerWindow, readerWindow, throughStream, seed);

    [Fact]
    public async Task Windowed_writes_and_reads_keep_order_and_content_for_random_chunk_and_read_sizes()
    {
        await using var broker = TestBroker.Start();
        var cases = 0;
        Check.One(s_quick.WithMaxTest(40), Prop.ForAll(Transfers.ToArbitrary(), (Transfer transfer) =>
        {
            var name = $"prop-{Interlocked.Increment(ref cases)}";
            RunTransferAsync(broker, name, transfer).GetAwaiter().GetResult();
        }));
        Assert.Equal(40, cases);
    }

    private static async Task RunTransferAsync(TestBroker broker, string name, Transfer transfer)
    {
        var random = new Random(transfer.Seed);
        var chunks = transfer.ChunkSizes.Select(size =>
        {
            var chunk = new byte[size];
            random.NextBytes(chunk);
            return chunk;
        }).ToArray();
        var expected = chunks.SelectMany(c => c).ToArray();
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, name, broker.ClientOptions(window: transfer.ReaderWindow));
        var writing = Task.Run(async () =>
        {
            await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, name, broker.ClientOptions(window: transfer.WriterWindow));
            // One reused buffer, as the CLI does: the window must have copied each chunk.
            var buffer = new byte[70_000];
            foreach (var chunk in chunks)
            {
                chunk.CopyTo(buffer, 0);
                await writer.QueueWriteAsync(buffer.AsMemory(0, chunk.Length));
                Array.Fill(buffer, (byte)0xEE, 0, chunk.Length);
            }
            await writer.CloseAsync();
        });
        var received = new MemoryStream();
        if (transfer.ThroughStream)
        {
            await using var stream = reader.AsStream(chunkSize: transfer.ReadSize, leaveOpen: true);
            var buffer = new byte[1 + (transfer.Seed % 3 == 0 ? transfer.ReadSize / 3 : transfer.ReadSize * 2)];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
                received.Write(buffer, 0, n);
        }
        else
        {
            while (await reader.ReadAheadAsync(transfer.ReadSize) is { IsEmpty: false } data)
            {
                // Every chunk is as long as asked, except the last one of the pipe.
                Assert.True(data.Length == transfer.ReadSize || received.Length + data.Length == expected.Length, $"a {data.Length}-byte chunk in the middle of the pipe");
                received.Write(data.Span);
            }
        }
        await writing;
        Assert.True(reader.EndOfPipe);
        Assert.Equal(expected.Length, received.Length);
        Assert.True(expected.AsSpan().SequenceEqual(received.ToArray()), "the bytes differ");
    }

    [Fact]
    public async Task A_full_window_against_a_reader_that_does_not_read_holds_the_pipe_to_its_byte_limit()
    {
        const int limit = 64 * 1024;
        const int chunk = 16 * 1024;
        const int window = 16;
        await using var broker = TestBroker.Start(pipeLimit: limit);
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "slow", broker.ClientOptions());
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "slow", broker.ClientOptions(window: window));
        var data = new byte[64 * chunk];
        new Random(11).NextBytes(data);
        var queued = 0;
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < data.Length; offset += chunk)
            {
                await writer.QueueWriteAsync(data.AsMemory(offset, chunk));
                Interlocked.Increment(ref queued);
            }
            await writer.CloseAsync();
        });
        // The writer stops once its window is full of WRITEs the broker holds: the pipe took exactly
        // its limit (4 chunks), and the 16 WRITEs behind wait in the broker, unacknowledged.
        await PollUntilAsync(() => Volatile.Read(ref queued) >= limit / chunk + window);
        Assert.Equal(limit / chunk + window, Volatile.Read(ref queued));
        Assert.False(writing.IsCompleted);
        var acknowledged = Volatile.Read(ref queued) - writer.RequestsInFlight;
        Assert.True(acknowledged * chunk <= limit, $"{acknowledged} chunks of {chunk} acknowledged past the pipe limit of {limit}");

        // A slow reader: everything arrives in order, nothing was refused or dropped.
        var received = new MemoryStream();
        while (await reader.ReadAheadAsync(chunk) is { IsEmpty: false } read)
            received.Write(read.Span);
        await writing;
        Assert.True(data.AsSpan().SequenceEqual(received.ToArray()), "the bytes differ");
        Assert.Equal(0, broker.Server.ShedMessages);
    }

    [Fact]
    public async Task A_reader_that_pipelines_reads_then_pauses_gets_every_chunk_in_order_from_the_backlog()
    {
        const int chunk = 64 * 1024;
        const int reads = 512;
        // zbroker's own settings (send high-water mark 16) over tcp, with room for every READ-OK in
        // the backlog: 32 MiB of replies the reader does not read for a while is more than libzmq's
        // queue and the kernel buffers hold, so most wait in the engine until the reader resumes.
        var options = new Zbroker.BrokerSettings { Binds = new[] { "tcp://127.0.0.1:*" } }.ToServerOptions();
        using var context = new Zproto.Runtime.Zmq.ZmqContext();
        options.Context = context;
        options.PeerBacklogByteLimit = 64L * 1024 * 1024;
        await using var server = new Zbroker.ZpipesServer(options);
        server.Start();
        var endpoint = server.Endpoints[0];
        // A receive high-water mark of 1: libzmq on the reader's side holds one READ-OK, not 1,000.
        using var reader = new Zproto.Runtime.Zmq.ZmqSocket(context, Zproto.Runtime.Zmq.ZmqSocketType.Dealer) { ReceiveHighWatermark = 1 };
        reader.Connect(endpoint);
        reader.SendMultipart(ZpipesMsg.EncodeFrames(new ZpipesMsg.Input { Pipename = "paused" }));
        Assert.IsType<ZpipesMsg.InputOk>(Receive(reader));
        for (var i = 0; i < reads; i++)
            reader.SendMultipart(ZpipesMsg.EncodeFrames(new ZpipesMsg.Read { Size = chunk }));
        var data = new byte[reads * chunk];
        new Random(12).NextBytes(data);
        var writing = Task.Run(async () =>
        {
            await using var writer = await Zpipe.OpenWriterAsync(endpoint, "paused", new ZpipesClientOptions { Context = context });
            for (var offset = 0; offset < data.Length; offset += chunk)
                await writer.QueueWriteAsync(data.AsMemory(offset, chunk));
            await writer.FlushAsync();
        });
        await PollUntilAsync(() => writing.IsCompleted);
        await writing;
        Assert.True(server.BackloggedReplies > 0, "no READ-OK waited in the backlog");

        // The reader resumes: every chunk, in order, none lost; the session was never ended.
        for (var i = 0; i < reads; i++)
        {
            var ok = Assert.IsType<ZpipesMsg.ReadOk>(Receive(reader));
            Assert.True(data.AsSpan(i * chunk, chunk).SequenceEqual(ok.Chunk.Span), $"chunk {i} differs");
        }
        Assert.Equal(0, server.SlowPeerSessionsEnded);
    }

    private static ZpipesMsg.Message Receive(Zproto.Runtime.Zmq.ZmqSocket socket)
    {
        socket.ReceiveTimeout = TimeSpan.FromSeconds(10);
        var frames = new List<byte[]>();
        Assert.True(socket.TryReceiveMultipart(frames), "no reply within 10 s");
        Assert.True(ZpipesMsg.TryDecode(frames[^1], out var message, out var error), error.ToString());
        return message;
    }

    [Fact]
    public async Task A_reader_closing_mid_window_fails_the_queued_writes_with_WRITE_FAILED_and_the_pipe_stays_failed()
    {
        await using var broker = TestBroker.Start(pipeLimit: 1024);
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "gone", broker.ClientOptions());
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "gone", broker.ClientOptions(window: 4));
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
                await writer.QueueWriteAsync(new byte[1024]);
        });
        await PollUntilAsync(() => writer.RequestsInFlight >= 4);
        Assert.Equal(4, writer.RequestsInFlight);
        await reader.CloseAsync();
        var failed = await Assert.ThrowsAsync<ZpipesFailedException>(() => writing);
        Assert.Equal(ZpipesException.EINTR, failed.Errno);
        // At most once: nothing more goes out on a pipe whose window broke.
        var unusable = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.QueueWriteAsync(new byte[1]));
        Assert.Same(failed, unusable.InnerException);
    }

    [Fact]
    public async Task Closing_a_reader_while_reads_are_in_flight_fails_the_waiting_read_with_READ_FAILED()
    {
        await using var broker = TestBroker.Start();
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "quiet", broker.ClientOptions());
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "quiet", broker.ClientOptions(window: 8));
        var reading = reader.ReadAheadAsync(100);
        await PollUntilAsync(() => reader.RequestsInFlight >= 8);
        Assert.Equal(8, reader.RequestsInFlight);
        await reader.CloseAsync();
        var failed = await Assert.ThrowsAsync<ZpipesFailedException>(() => reading);
        Assert.Equal(ZpipesException.EINTR, failed.Errno);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => reader.ReadAheadAsync(100));
    }

    [Fact]
    public async Task An_exact_read_while_reads_are_in_flight_is_refused_and_an_acknowledged_write_waits_for_the_window()
    {
        await using var broker = TestBroker.Start();
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "mixed", broker.ClientOptions());
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "mixed", broker.ClientOptions());
        await writer.QueueWriteAsync(Bytes.Ascii("one "));
        await writer.QueueWriteAsync(Bytes.Ascii("two "));
        await writer.WriteAsync(Bytes.Ascii("three"));
        Assert.Equal(0, writer.RequestsInFlight);
        Assert.Equal("one ", Bytes.Text(await reader.ReadAheadAsync(4)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(5));
        Assert.Equal("two ", Bytes.Text(await reader.ReadAheadAsync(4)));
        Assert.Equal("thre", Bytes.Text(await reader.ReadAheadAsync(4)));
        await writer.CloseAsync();
        Assert.Equal("e", Bytes.Text(await reader.ReadAheadAsync(4)));
        Assert.True((await reader.ReadAheadAsync(4)).IsEmpty);
        Assert.True(reader.EndOfPipe);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, for at most 20 s; the caller asserts what it then sees.</summary>
    private static async Task PollUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition() && DateTime.UtcNow < deadline)
            await Task.Delay(10);
    }

    /// <summary>A broker on the endpoint a stopped one had: libzmq releases the port in the background, so binding is retried for a while.</summary>
    private static async Task<Zbroker.ZpipesServer> RestartAsync(Zproto.Runtime.Zmq.ZmqContext context, string endpoint)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return TestBroker.StartServer(context, endpoint);
            }
            catch (Zproto.Runtime.Zmq.ZmqException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task A_broker_restart_mid_window_fails_both_ends_with_typed_exceptions_and_the_new_broker_takes_nothing()
    {
        await using var first = TestBroker.Start(tcp: true);
        var endpoint = first.Endpoint;
        var options = first.ClientOptions(heartbeat: TimeSpan.FromMilliseconds(200), receiveTimeout: TimeSpan.FromSeconds(3), window: 4);
        await using var reader = await Zpipe.OpenReaderAsync(endpoint, "restart", options);
        await using var writer = await Zpipe.OpenWriterAsync(endpoint, "restart", options);
        for (var i = 0; i < 3; i++)
            await writer.QueueWriteAsync(Bytes.Ascii($"chunk{i}"));
        await writer.FlushAsync();
        for (var i = 0; i < 3; i++)
            Assert.Equal($"chunk{i}", Bytes.Text(await reader.ReadAheadAsync(6)));

        await first.Server.DisposeAsync();
        await using var second = await RestartAsync(first.Context, endpoint);
        // The new broker does not know either client: every request in the window is answered
        // INVALID (or, before the DEALER reconnects, nothing, and the client gives up: LOST).
        var writeFailure = await Assert.ThrowsAnyAsync<ZpipesException>(async () =>
        {
            for (var i = 0; i < 8; i++)
                await writer.QueueWriteAsync(Bytes.Ascii($"later{i}"));
            await writer.FlushAsync();
        });
        Assert.True(writeFailure is ZpipesInvalidException or ZpipesBrokerUnreachableException, writeFailure.GetType().Name);
        var readFailure = await Assert.ThrowsAnyAsync<ZpipesException>(() => reader.ReadAheadAsync(6));
        Assert.True(readFailure is ZpipesInvalidException or ZpipesBrokerUnreachableException, readFailure.GetType().Name);
        // Nothing is sent again: the new broker opened no pipe and took no chunk.
        Assert.Equal(0, await second.CountPipesAsync());
        var unusable = await Assert.ThrowsAnyAsync<Exception>(() => writer.QueueWriteAsync(Bytes.Ascii("never")));
        Assert.True(unusable is InvalidOperationException or ZpipesBrokerUnreachableException, unusable.GetType().Name);
        Assert.Equal(0, await second.CountPipesAsync());
        // Closed while the new broker runs: it answers the CLOSEs (INVALID: it never knew them).
        await writer.DisposeAsync();
        await reader.DisposeAsync();
    }
}
