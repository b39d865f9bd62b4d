using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zbroker;
using Zpipes.Protocol;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;
using Zproto.Soak;

namespace Reliability.Tests;

/// <summary>
/// zbroker's flow control, in process and counted exactly: every WRITE is answered, a WRITE-OK means
/// the chunk is in the pipe, and the reader receives exactly the acknowledged bytes in order.
/// </summary>
public sealed class PipeFlowControlTests : IAsyncDisposable
{
    private static int s_count;
    private readonly ZmqContext _context = new();
    private ZpipesServer? _server;

    private string Start(long pipeLimit = ZpipesServer.DefaultPipeLimit, TimeSpan? clientTimeout = null)
    {
        _server = new ZpipesServer(new ServerOptions
        {
            Endpoints = { $"inproc://reliability-zbroker-{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}" },
            Context = _context,
            ClientTimeout = clientTimeout ?? TimeSpan.FromSeconds(60),
        })
        { PipeLimit = pipeLimit };
        _server.Start();
        return _server.Endpoints[0];
    }

    /// <summary>The chunk of WRITE number <paramref name="index"/>: its index, repeated, so any loss or reordering shows.</summary>
    private static byte[] Chunk(int index, int size)
    {
        var chunk = new byte[size];
        for (var i = 0; i + 4 <= size; i += 4)
            BitConverter.TryWriteBytes(chunk.AsSpan(i), index);
        return chunk;
    }

    [Theory]
    [InlineData(10_500, 0L)]      // the case: fits the mailbox, nothing may be lost
    [InlineData(100_000, 1L)]     // past the per-client byte limit: the surplus is refused in order
    public async Task Pipelined_writes_into_a_readerless_pipe_are_all_answered_and_the_reader_gets_exactly_the_acknowledged_bytes(int writes, long minimumShed)
    {
        const int size = 100;
        var endpoint = Start();
        var statuses = new bool[writes];
        var writer = Task.Run(() =>
        {
            // Not disposed here: the same socket collects the answers below.
            var dealer = new PipeDealer(_context, endpoint);
            dealer.OpenWriter("p");
            for (var i = 0; i < writes; i++)
                dealer.Send(new ZpipesMsg.Write { Chunk = Chunk(i, size), Timeout = 0 });
            // PING overtakes the waiting WRITEs: its answer proves the broker has taken all of them in.
            dealer.Send(new ZpipesMsg.Ping());
            dealer.Expect<ZpipesMsg.PingOk>();
            return dealer;
        });
        var writerDealer = await writer;
        var shed = _server!.ShedMessages;
        Assert.True(shed >= minimumShed, $"{shed} WRITEs shed, expected at least {minimumShed}");

        var received = new MemoryStream();
        var reader = Task.Run(() =>
        {
            using var dealer = new PipeDealer(_context, endpoint);
            dealer.OpenReader("p");
            while (true)
            {
                dealer.Send(new ZpipesMsg.Read { Size = 64 * 1024, Timeout = 0 });
                switch (dealer.Receive())
                {
                    case ZpipesMsg.ReadOk ok:
                        received.Write(ok.Chunk.Span);
                        break;
                    case ZpipesMsg.ReadEnd:
                        return;
                    case var other:
                        throw new Xunit.Sdk.XunitException($"reader got {other.MessageName}");
                }
            }
        });
        await Task.Run(() =>
        {
            using (writerDealer)
            {
                for (var i = 0; i < writes; i++)
                {
                    statuses[i] = writerDealer.Receive() switch
                    {
                        ZpipesMsg.WriteOk => true,
                        ZpipesMsg.WriteTimeout => false,
                        var other => throw new Xunit.Sdk.XunitException($"WRITE {i} answered {other.MessageName}"),
                    };
                }
                writerDealer.Send(new ZpipesMsg.Close());
                writerDealer.Expect<ZpipesMsg.CloseOk>();
            }
        });
        await reader;

        var expected = new MemoryStream();
        var acknowledged = 0;
        for (var i = 0; i < writes; i++)
        {
            if (!statuses[i])
                continue;
            acknowledged++;
            expected.Write(Chunk(i, size));
        }
        // Only shed WRITEs time out (their timeout is 0, so no real one can).
        Assert.Equal(writes - shed, acknowledged);
        Assert.Equal(expected.ToArray(), received.ToArray());
    }

    [Fact]
    public async Task A_write_is_acknowledged_only_once_its_chunk_fits_in_the_pipe()
    {
        var endpoint = Start(pipeLimit: 1000);
        await Task.Run(() =>
        {
            using var reader = new PipeDealer(_context, endpoint);
            using var writer = new PipeDealer(_context, endpoint);
            reader.OpenReader("p");
            writer.OpenWriter("p");
            for (var i = 0; i < 50; i++)
                writer.Send(new ZpipesMsg.Write { Chunk = Chunk(i, 100), Timeout = 0 });
            writer.Send(new ZpipesMsg.Ping());
            // Ten chunks fill the 1000-byte pipe; the eleventh waits, so PING-OK comes next.
            for (var i = 0; i < 10; i++)
                writer.Expect<ZpipesMsg.WriteOk>();
            writer.Expect<ZpipesMsg.PingOk>();

            reader.Send(new ZpipesMsg.Read { Size = 500, Timeout = 0 });
            Assert.Equal(500, reader.Expect<ZpipesMsg.ReadOk>().Chunk.Length);
            for (var i = 0; i < 5; i++)
                writer.Expect<ZpipesMsg.WriteOk>();
            writer.Send(new ZpipesMsg.Ping());
            writer.Expect<ZpipesMsg.PingOk>();

            for (var total = 500; total < 5000; total += 500)
            {
                reader.Send(new ZpipesMsg.Read { Size = 500, Timeout = 0 });
                Assert.Equal(500, reader.Expect<ZpipesMsg.ReadOk>().Chunk.Length);
            }
            for (var i = 15; i < 50; i++)
                writer.Expect<ZpipesMsg.WriteOk>();
        });
    }

    [Fact]
    public async Task A_write_to_a_pipe_that_stays_full_gets_write_timeout_and_its_bytes_never_arrive()
    {
        var endpoint = Start(pipeLimit: 100);
        await Task.Run(() =>
        {
            using var reader = new PipeDealer(_context, endpoint);
            using var writer = new PipeDealer(_context, endpoint);
            reader.OpenReader("p");
            writer.OpenWriter("p");
            writer.Send(new ZpipesMsg.Write { Chunk = Chunk(1, 100), Timeout = 0 });
            writer.Expect<ZpipesMsg.WriteOk>();
            writer.Send(new ZpipesMsg.Write { Chunk = Chunk(2, 100), Timeout = 100 });
            writer.Expect<ZpipesMsg.WriteTimeout>();
            writer.Send(new ZpipesMsg.Write { Chunk = Chunk(3, 100), Timeout = 0 });
            reader.Send(new ZpipesMsg.Read { Size = 100, Timeout = 0 });
            Assert.Equal(Chunk(1, 100), reader.Expect<ZpipesMsg.ReadOk>().Chunk.ToArray());
            // Reading made room: the waiting WRITE goes in now, and the timed-out one never did.
            writer.Expect<ZpipesMsg.WriteOk>();
            reader.Send(new ZpipesMsg.Read { Size = 100, Timeout = 0 });
            Assert.Equal(Chunk(3, 100), reader.Expect<ZpipesMsg.ReadOk>().Chunk.ToArray());
        });
    }

    [Fact]
    public async Task A_blocked_read_without_pings_ends_with_read_end_when_its_writer_expires()
    {
        // Both clients expire after this much silence, the reader too, so the writer must expire
        // first: its last message (the WRITE) is stamped on a clock tick strictly before the
        // reader's (see below). The timeout only has to outlast each client's gaps between its own
        // setup messages, which a loaded machine stretches well past half a second.
        var clientTimeout = TimeSpan.FromSeconds(3);
        var endpoint = Start(clientTimeout: clientTimeout);
        await Task.Run(() =>
        {
            using var writer = new PipeDealer(_context, endpoint);
            using var reader = new PipeDealer(_context, endpoint);
            writer.OpenWriter("p");
            reader.OpenReader("p");
            var sinceWrite = Stopwatch.StartNew();
            writer.Send(new ZpipesMsg.Write { Chunk = Chunk(7, 8), Timeout = 0 });
            writer.Expect<ZpipesMsg.WriteOk>();
            // The engine stamps activity with the coarse Environment.TickCount64 and its timer queue
            // does not order equal due times; wait for the next tick so the reader's READs are
            // stamped later than the WRITE and the writer's expiry is due strictly first.
            var writeHeardBy = Environment.TickCount64;
            SpinWait.SpinUntil(() => Environment.TickCount64 > writeHeardBy);
            // The writer now goes silent; the reader takes what is buffered, then blocks with no timeout.
            reader.Send(new ZpipesMsg.Read { Size = 8, Timeout = 0 });
            Assert.Equal(Chunk(7, 8), reader.Expect<ZpipesMsg.ReadOk>().Chunk.ToArray());
            reader.Send(new ZpipesMsg.Read { Size = 8, Timeout = 0 });
            reader.Expect<ZpipesMsg.ReadEnd>();
            // The end came from the writer's expiry, not from anything sooner: the broker heard the
            // WRITE after the stopwatch started, so expiry cannot come earlier than this (less the
            // coarse engine clock's rounding).
            Assert.True(sinceWrite.Elapsed >= clientTimeout - TimeSpan.FromMilliseconds(50),
                $"READ-END after {sinceWrite.Elapsed}, before the writer could have expired");
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        _context.Dispose();
    }
}
