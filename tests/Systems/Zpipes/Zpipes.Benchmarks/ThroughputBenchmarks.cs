using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Zbroker;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zpipes.Benchmarks;

/// <summary>
/// Write→read throughput over tcp://127.0.0.1. One operation moves 16 MiB from writer to reader in
/// chunks of <see cref="ChunkSize"/>:
/// (1) <see cref="Zpipes_window"/>: per chunk a writer's WRITE (answered by WRITE-OK) and a reader's
/// READ of the same size (answered by READ-OK) through zbroker's generated server, with the client
/// library on both ends keeping its default window of requests in flight — what an application
/// gets from <see cref="Zpipe.QueueWriteAsync"/>, <see cref="Zpipe.ReadAheadAsync"/>, a ZpipeStream or the CLI;
/// (1b) <see cref="Zpipes_wide_window"/>: the same with a window of 16, as many READs as zbroker's
/// send high-water mark per peer, so READ-OKs do wait in the engine's backlog at times;
/// (2) <see cref="Zpipes_one_at_a_time"/>: the same with a window of 1 (every request waits for its
/// answer, as <see cref="Zpipe.WriteAsync"/> and <see cref="Zpipe.ReadAsync(int, TimeSpan?, System.Threading.CancellationToken)"/> do);
/// (3) <see cref="Raw_forward"/>: a DEALER sends the chunk, a ROUTER thread forwards it untouched to
/// a second DEALER — libzmq's streaming ceiling on the same binding, with no requests, replies or
/// acknowledgements.
/// </summary>
[MemoryDiagnoser]
public class ThroughputBenchmarks
{
    /// <summary>Payload bytes one operation moves.</summary>
    public const int BytesPerOperation = 16 * 1024 * 1024;

    private ZmqContext _context = null!;
    private ZpipesServer _server = null!;
    private Zpipe _writer = null!;
    private Zpipe _reader = null!;
    private Zpipe _wideWriter = null!;
    private Zpipe _wideReader = null!;
    private Zpipe _singleWriter = null!;
    private Zpipe _singleReader = null!;
    private ZmqSocket _forwarder = null!;
    private ZmqSocket _rawWriter = null!;
    private ZmqSocket _rawReader = null!;
    private Thread _forwardThread = null!;
    private volatile bool _stop;
    private byte[] _chunk = null!;

    [Params(4 * 1024, 64 * 1024)]
    public int ChunkSize { get; set; }

    private int Chunks => BytesPerOperation / ChunkSize;

    [GlobalSetup]
    public void Setup()
    {
        _chunk = new byte[ChunkSize];
        new Random(1).NextBytes(_chunk);
        _context = new ZmqContext();

        // zbroker's own settings (send high-water mark 16, receive 100, the size limit), on a free port.
        var serverOptions = new BrokerSettings { Binds = new[] { "tcp://127.0.0.1:*" } }.ToServerOptions();
        serverOptions.Context = _context;
        _server = new ZpipesServer(serverOptions);
        _server.Start();
        var options = new ZpipesClientOptions { Context = _context };
        _reader = Zpipe.OpenReaderAsync(_server.Endpoints[0], "bench", options).GetAwaiter().GetResult();
        _writer = Zpipe.OpenWriterAsync(_server.Endpoints[0], "bench", options).GetAwaiter().GetResult();
        var wide = new ZpipesClientOptions { Context = _context, Window = 16 };
        _wideReader = Zpipe.OpenReaderAsync(_server.Endpoints[0], "wide", wide).GetAwaiter().GetResult();
        _wideWriter = Zpipe.OpenWriterAsync(_server.Endpoints[0], "wide", wide).GetAwaiter().GetResult();
        var single = new ZpipesClientOptions { Context = _context, Window = 1 };
        _singleReader = Zpipe.OpenReaderAsync(_server.Endpoints[0], "single", single).GetAwaiter().GetResult();
        _singleWriter = Zpipe.OpenWriterAsync(_server.Endpoints[0], "single", single).GetAwaiter().GetResult();

        // Mandatory routing makes the forwarder block at the reader's high-water mark instead of
        // dropping chunks (a ROUTER's default), so the raw path has flow control end to end.
        _forwarder = new ZmqSocket(_context, ZmqSocketType.Router) { ReceiveTimeout = TimeSpan.FromMilliseconds(100), RouterMandatory = true };
        _forwarder.Bind("tcp://127.0.0.1:*");
        _rawWriter = new ZmqSocket(_context, ZmqSocketType.Dealer) { RoutingId = "w"u8.ToArray() };
        _rawReader = new ZmqSocket(_context, ZmqSocketType.Dealer) { RoutingId = "r"u8.ToArray() };
        _rawWriter.Connect(_forwarder.LastEndpoint);
        _rawReader.Connect(_forwarder.LastEndpoint);
        // The ROUTER learns the reader's routing id from its first message.
        _rawReader.Send("hello"u8);
        _forwardThread = new Thread(Forward) { IsBackground = true, Name = "raw forwarder" };
        _forwardThread.Start();
    }

    // The forwarder: [writer id, chunk] in, [reader id, chunk] out; nothing else.
    private void Forward()
    {
        var frames = new List<byte[]>();
        var readerId = "r"u8.ToArray();
        while (!_stop)
        {
            if (!_forwarder.TryReceiveMultipart(frames))
                continue;
            if (frames.Count != 2 || frames[0].AsSpan().SequenceEqual(readerId))
                continue;
            _forwarder.Send(readerId, more: true);
            _forwarder.Send(frames[1]);
        }
    }

    [Benchmark(Description = "ZPIPES via zbroker, window 8")]
    public Task Zpipes_window() => TransferAsync(_writer, _reader);

    [Benchmark(Description = "ZPIPES via zbroker, window 16")]
    public Task Zpipes_wide_window() => TransferAsync(_wideWriter, _wideReader);

    [Benchmark(Description = "ZPIPES via zbroker, window 1")]
    public Task Zpipes_one_at_a_time() => TransferAsync(_singleWriter, _singleReader);

    // The window keeps running across operations (READs sent ahead for the next one); every WRITE
    // of an operation is answered before it ends.
    private async Task TransferAsync(Zpipe writer, Zpipe reader)
    {
        var chunks = Chunks;
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < chunks; i++)
                await writer.QueueWriteAsync(_chunk);
            await writer.FlushAsync();
        });
        for (var i = 0; i < chunks; i++)
        {
            var data = await reader.ReadAheadAsync(ChunkSize);
            if (data.Length != ChunkSize)
                throw new InvalidOperationException($"read {data.Length} bytes, not {ChunkSize}");
        }
        await writing;
    }

    [Benchmark(Description = "raw DEALER→ROUTER→DEALER", Baseline = true)]
    public async Task Raw_forward()
    {
        var chunks = Chunks;
        var writing = Task.Run(() =>
        {
            for (var i = 0; i < chunks; i++)
                _rawWriter.Send(_chunk);
        });
        for (var i = 0; i < chunks; i++)
        {
            var frame = _rawReader.ReceiveFrame(out _);
            if (frame.Length != ChunkSize)
                throw new InvalidOperationException($"received {frame.Length} bytes, not {ChunkSize}");
        }
        await writing;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _forwardThread.Join();
        _writer.Dispose();
        _reader.Dispose();
        _wideWriter.Dispose();
        _wideReader.Dispose();
        _singleWriter.Dispose();
        _singleReader.Dispose();
        _server.Dispose();
        _rawWriter.Dispose();
        _rawReader.Dispose();
        _forwarder.Dispose();
        _context.Dispose();
    }
}
