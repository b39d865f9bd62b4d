using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Zbroker;
using Zproto.Runtime.Zmq;

namespace Zpipes.Benchmarks;

/// <summary>
/// <c>probe CHUNK WINDOW...</c>: not a benchmark but the measurement behind one. Moves 16 MiB per round
/// through zbroker (zbroker's own settings) with each window given, and prints the MB/s of the best of
/// ten rounds (after one to warm up), the CPU per chunk of each thread of the process with the broker's counters: how many READ-OKs and WRITE-OKs libzmq refused (the peer's
/// send queue was full, so they waited in the engine's backlog), how often the backlog was retried,
/// and the bytes allocated per chunk (all threads, last round).
/// </summary>
internal static class BacklogProbe
{
    // The first round warms up (JIT, connections); the CPU per chunk counts the others.
    private const int Rounds = 11;

    public static async Task RunAsync(int chunkSize, int[] windows)
    {
        var chunk = new byte[chunkSize];
        new Random(1).NextBytes(chunk);
        using var context = new ZmqContext();
        var serverOptions = new BrokerSettings { Binds = new[] { "tcp://127.0.0.1:*" } }.ToServerOptions();
        serverOptions.Context = context;
        await using var server = new ZpipesServer(serverOptions);
        server.Start();
        foreach (var window in windows)
        {
            var options = new ZpipesClientOptions { Context = context, Window = window };
            var name = $"probe-{window}";
            using var reader = await Zpipe.OpenReaderAsync(server.Endpoints[0], name, options);
            using var writer = await Zpipe.OpenWriterAsync(server.Endpoints[0], name, options);
            var best = TimeSpan.MaxValue;
            long allocated = 0;
            Dictionary<int, (string Name, long Ticks)>? cpu = null;
            var backlogged = server.BackloggedReplies;
            var retries = server.BacklogRetries;
            for (var round = 0; round < Rounds; round++)
            {
                if (round == 1)
                    cpu = ThreadCpu.Snapshot();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                await TransferAsync(writer, reader, chunk);
                allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                // Round 0 warms up.
                if (round > 0 && watch.Elapsed < best)
                    best = watch.Elapsed;
            }
            Console.WriteLine(FormattableString.Invariant(
                $"chunk {chunkSize,6} window {window,3}: best {ThroughputBenchmarks.BytesPerOperation / best.TotalSeconds / 1e6,7:0.0} MB/s; backlogged replies {server.BackloggedReplies - backlogged,6}, backlog retries {server.BacklogRetries - retries,6}; allocated per chunk {allocated / (ThroughputBenchmarks.BytesPerOperation / chunkSize),7} B"));
            Console.WriteLine("  " + ThreadCpu.PerChunk(cpu!, (long)(Rounds - 1) * (ThroughputBenchmarks.BytesPerOperation / chunkSize)));
        }
    }

    private static async Task TransferAsync(Zpipe writer, Zpipe reader, byte[] chunk)
    {
        var chunks = ThroughputBenchmarks.BytesPerOperation / chunk.Length;
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < chunks; i++)
                await writer.QueueWriteAsync(chunk);
            await writer.FlushAsync();
        });
        for (var i = 0; i < chunks; i++)
        {
            var data = await reader.ReadAheadAsync(chunk.Length);
            if (data.Length != chunk.Length)
                throw new InvalidOperationException($"read {data.Length} bytes, not {chunk.Length}");
        }
        await writing;
    }
}
