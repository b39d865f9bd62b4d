using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Zbroker;
using Zproto.Runtime.Zmq;

namespace Zpipes.Benchmarks;

/// <summary>
/// <c>probe CHUNK WINDOW...</c>: not a benchmark but the measurement behind one. Moves 16 MiB per round
/// through zbroker (zbroker's own settings) with each window given, and prints the MB/s of the best of
/// five rounds with the broker's counters: how many READ-OKs and WRITE-OKs libzmq refused (the peer's
/// send queue was full, so they waited in the engine's backlog), how often the backlog was retried,
/// and the bytes allocated per chunk (all threads, last round).
/// </summary>
internal static class BacklogProbe
{
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
            var backlogged = server.BackloggedReplies;
            var retries = server.BacklogRetries;
            for (var round = 0; round < 6; round++)
            {
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
