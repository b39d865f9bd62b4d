using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Zpipes.Protocol;
using Zproto.Runtime.Zmq;

namespace Zproto.Soak;

/// <summary>The attacks on zbroker: memory through pipes, expiring connections, hostile frames, many pipelining clients.</summary>
internal sealed class ZbrokerAttacks(ServerProcess broker, ZmqContext context, Scale scale, Action<Result> report)
{
    private const int ChunkSize = 1024 * 1024;
    private readonly long _idle = broker.Rss();
    private int _pipes;

    public void RunAll()
    {
        Measure("1 MiB WRITEs through a slow reader", $"{Result.Mib(scale.PipeBytes)}", SlowReader);
        Measure("1 MiB WRITEs pipelined, no reader, then drained", $"{Result.Mib(scale.PipeBytes)}", PipelinedWithoutReader);
        Measure("a reader pipelines 1 MiB READs and never reads a reply", $"{Result.Mib(scale.PipeBytes)}", ReaderThatNeverReads);
        Measure("connections that go silent and expire", $"{scale.ExpiringConnections:N0}", ExpiringConnections);
        Measure("random and mutated frames during a good session", $"{scale.FuzzFrames:N0} frames", HostileFrames);
        Measure("clients pipelining PINGs", $"{scale.Clients} x {scale.RequestsPerClient:N0}", ManyClients);
    }

    private void Measure(string attack, string volume, Func<string> load) =>
        LoadMeasurement.Run(broker, _idle, "zbroker", $"{attack} ({volume})", scale.PipeBound, load, report);

    private static byte[] Stamp(byte[] chunk, long index)
    {
        BitConverter.TryWriteBytes(chunk, index);
        return chunk;
    }

    private (PipeDealer Writer, PipeDealer Reader, string Name) OpenPipe(bool reader)
    {
        var name = $"soak-{Interlocked.Increment(ref _pipes)}";
        var writer = new PipeDealer(context, broker.Endpoint!);
        writer.OpenWriter(name);
        PipeDealer? readerDealer = null;
        if (reader)
        {
            readerDealer = new PipeDealer(context, broker.Endpoint!);
            readerDealer.OpenReader(name);
        }
        return (writer, readerDealer!, name);
    }

    /// <summary>A writer keeps 8 WRITEs in flight; the reader sleeps between 1 MiB READs. Every byte must arrive, in order.</summary>
    private string SlowReader()
    {
        var chunks = scale.PipeBytes / ChunkSize;
        var (writer, reader, _) = OpenPipe(reader: true);
        using (writer)
        using (reader)
        {
            var writing = Task.Run(() =>
            {
                var chunk = new byte[ChunkSize];
                long sent = 0, acknowledged = 0;
                while (acknowledged < chunks)
                {
                    while (sent < chunks && sent - acknowledged < 8)
                        writer.Send(new ZpipesMsg.Write { Chunk = Stamp(chunk, sent++), Timeout = 0 });
                    writer.Expect<ZpipesMsg.WriteOk>(TimeSpan.FromMinutes(2));
                    acknowledged++;
                }
                writer.Send(new ZpipesMsg.Close());
                writer.Expect<ZpipesMsg.CloseOk>();
            });
            for (long i = 0; i < chunks; i++)
            {
                reader.Send(new ZpipesMsg.Read { Size = ChunkSize, Timeout = 0 });
                var data = reader.Expect<ZpipesMsg.ReadOk>(TimeSpan.FromMinutes(2)).Chunk.Span;
                if (data.Length != ChunkSize || BitConverter.ToInt64(data) != i)
                    throw new InvalidOperationException($"read {i} returned chunk {BitConverter.ToInt64(data)} of {data.Length} bytes");
                Thread.Sleep(2);
            }
            writing.GetAwaiter().GetResult();
        }
        return $"{chunks:N0} WRITE-OK, all {chunks:N0} chunks read in order";
    }

    /// <summary>A reader sends every READ at once and never reads its socket (RCVHWM 1) while a writer
    /// keeps 8 WRITEs in flight. The broker holds at most its SNDHWM of READ-OKs and the reader's
    /// backlog, then ends the reader's session; the writer learns it from a WRITE-FAILED.</summary>
    private string ReaderThatNeverReads()
    {
        var chunks = scale.PipeBytes / ChunkSize;
        var name = $"soak-{Interlocked.Increment(ref _pipes)}";
        using var reader = new PipeDealer(context, broker.Endpoint!, receiveHighWatermark: 1);
        reader.OpenReader(name);
        using var writer = new PipeDealer(context, broker.Endpoint!);
        writer.OpenWriter(name);
        for (long i = 0; i < chunks; i++)
            reader.Send(new ZpipesMsg.Read { Size = ChunkSize, Timeout = 0 });
        var chunk = new byte[ChunkSize];
        long sent = 0, acknowledged = 0;
        ZpipesMsg.Message? refusal = null;
        while (refusal is null && acknowledged < chunks)
        {
            while (sent < chunks && sent - acknowledged < 8)
                writer.Send(new ZpipesMsg.Write { Chunk = Stamp(chunk, sent++), Timeout = 0 });
            var reply = writer.Receive(TimeSpan.FromMinutes(2));
            if (reply is ZpipesMsg.WriteOk)
                acknowledged++;
            else
                refusal = reply;
        }
        if (refusal is not ZpipesMsg.WriteFailed)
            throw new InvalidOperationException($"{acknowledged:N0} WRITE-OK, then {refusal?.MessageName ?? "no refusal"}: the reader's session was never ended");
        return $"{acknowledged:N0} WRITE-OK ({Result.Mib(acknowledged * ChunkSize)}), then WRITE-FAILED: the reader's session ended";
    }

    /// <summary>All WRITEs at once into a pipe without reader; then a reader drains. Each WRITE is
    /// answered; the reader gets exactly the acknowledged chunks, in order.</summary>
    private string PipelinedWithoutReader()
    {
        var chunks = scale.PipeBytes / ChunkSize;
        var (writer, _, name) = OpenPipe(reader: false);
        using (writer)
        {
            var chunk = new byte[ChunkSize];
            for (long i = 0; i < chunks; i++)
                writer.Send(new ZpipesMsg.Write { Chunk = Stamp(chunk, i), Timeout = 0 });
            writer.Send(new ZpipesMsg.Ping());
            writer.Expect<ZpipesMsg.PingOk>(TimeSpan.FromMinutes(2));
            using var reader = new PipeDealer(context, broker.Endpoint!);
            reader.OpenReader(name);
            var acknowledged = new List<long>();
            var timedOut = 0;
            for (long i = 0; i < chunks; i++)
            {
                switch (writer.Receive(TimeSpan.FromMinutes(2)))
                {
                    case ZpipesMsg.WriteOk:
                        acknowledged.Add(i);
                        break;
                    case ZpipesMsg.WriteTimeout:
                        timedOut++;
                        break;
                    case var other:
                        throw new InvalidOperationException($"WRITE {i} answered {other.MessageName}");
                }
                // Drain as the acknowledgements come, so the pipe makes room for the next WRITE.
                if (acknowledged.Count > 0 && acknowledged[^1] == i)
                {
                    reader.Send(new ZpipesMsg.Read { Size = ChunkSize, Timeout = 0 });
                    var data = reader.Expect<ZpipesMsg.ReadOk>(TimeSpan.FromMinutes(2)).Chunk.Span;
                    if (BitConverter.ToInt64(data) != i)
                        throw new InvalidOperationException($"expected chunk {i}, read chunk {BitConverter.ToInt64(data)}");
                }
            }
            writer.Send(new ZpipesMsg.Close());
            writer.Expect<ZpipesMsg.CloseOk>();
            reader.Send(new ZpipesMsg.Read { Size = ChunkSize, Timeout = 0 });
            reader.Expect<ZpipesMsg.ReadEnd>();
            return $"{chunks:N0} answered: {acknowledged.Count:N0} WRITE-OK (read back in order), {timedOut:N0} WRITE-TIMEOUT";
        }
    }

    /// <summary>Connections that PING once and go silent, so their sessions expire.</summary>
    private string ExpiringConnections()
    {
        for (var i = 0; i < scale.ExpiringConnections; i++)
        {
            using var dealer = new PipeDealer(context, broker.Endpoint!);
            dealer.Send(new ZpipesMsg.Ping());
            dealer.Expect<ZpipesMsg.PingOk>();
        }
        // zbroker runs with --timeout 2000: every session is gone after this.
        Thread.Sleep(3000);
        return $"{scale.ExpiringConnections:N0} sessions opened and expired";
    }

    /// <summary>Random frames and mutated valid messages from several peers while a good writer and reader move 1,000 chunks.</summary>
    private string HostileFrames()
    {
        var (writer, reader, _) = OpenPipe(reader: true);
        var random = new Random(11);
        var templates = new ZpipesMsg.Message[]
        {
            new ZpipesMsg.Output { Pipename = "x" }, new ZpipesMsg.Input { Pipename = "y" },
            new ZpipesMsg.Write { Chunk = new byte[40], Timeout = 5 }, new ZpipesMsg.Read { Size = 10, Timeout = 5 },
            new ZpipesMsg.Ping(), new ZpipesMsg.Close(),
        };
        var encoded = Array.ConvertAll(templates, t => ZpipesMsg.EncodeFrames(t)[0].ToArray());
        var hostile = Task.Run(() =>
        {
            var peers = new List<ZmqSocket>();
            try
            {
                for (var p = 0; p < 8; p++)
                {
                    var socket = new ZmqSocket(context, ZmqSocketType.Dealer) { SendHighWatermark = 0 };
                    socket.Connect(broker.Endpoint!);
                    peers.Add(socket);
                }
                for (var i = 0; i < scale.FuzzFrames; i++)
                {
                    byte[] frame;
                    if (i % 2 == 0)
                    {
                        frame = new byte[random.Next(0, 64)];
                        random.NextBytes(frame);
                    }
                    else
                    {
                        frame = (byte[])encoded[random.Next(encoded.Length)].Clone();
                        var at = random.Next(frame.Length);
                        frame[at] ^= (byte)random.Next(1, 256);
                        if (random.Next(4) == 0)
                            frame = frame[..random.Next(frame.Length)];
                    }
                    peers[i % peers.Count].Send(frame);
                }
            }
            finally
            {
                foreach (var socket in peers)
                    socket.Dispose();
            }
        });
        using (writer)
        using (reader)
        {
            var chunk = new byte[1024];
            for (var i = 0; i < 1000; i++)
            {
                writer.Send(new ZpipesMsg.Write { Chunk = Stamp(chunk, i), Timeout = 0 });
                writer.Expect<ZpipesMsg.WriteOk>();
                reader.Send(new ZpipesMsg.Read { Size = 1024, Timeout = 0 });
                if (BitConverter.ToInt64(reader.Expect<ZpipesMsg.ReadOk>().Chunk.Span) != i)
                    throw new InvalidOperationException($"good session: chunk {i} arrived out of order");
            }
        }
        hostile.GetAwaiter().GetResult();
        var logBefore = broker.LogBytes;
        using (var check = new PipeDealer(context, broker.Endpoint!))
        {
            check.Send(new ZpipesMsg.Ping());
            check.Expect<ZpipesMsg.PingOk>();
        }
        return $"good session of 1,000 chunks verified; broker answers afterwards; log {Result.Mib(logBefore)} in total";
    }

    /// <summary>Many clients each pipelining PINGs; every PING-OK is counted.</summary>
    private string ManyClients()
    {
        var replies = new long[scale.Clients];
        Parallel.For(0, scale.Clients, new ParallelOptions { MaxDegreeOfParallelism = 8 }, c =>
        {
            using var dealer = new PipeDealer(context, broker.Endpoint!);
            for (var i = 0; i < scale.RequestsPerClient; i++)
                dealer.Send(new ZpipesMsg.Ping());
            for (var i = 0; i < scale.RequestsPerClient; i++)
            {
                dealer.Expect<ZpipesMsg.PingOk>();
                replies[c]++;
            }
        });
        long total = 0;
        foreach (var count in replies)
            total += count;
        if (total != (long)scale.Clients * scale.RequestsPerClient)
            throw new InvalidOperationException($"{total:N0} PING-OKs for {(long)scale.Clients * scale.RequestsPerClient:N0} PINGs");
        return $"{total:N0} PING-OKs for {total:N0} PINGs";
    }
}
