using System;
using System.Buffers;
using BenchmarkDotNet.Attributes;
using Zproto.Benchmarks.Protocols;

namespace Zproto.Benchmarks;

/// <summary>
/// ZPIPES WRITE with a 64 KiB chunk: what a bulk transfer costs per message. The chunk is the golden
/// "max" vector's octet pattern cut to 65,536 octets; the timeout is the golden "typical" one.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class ZpipesWriteBenchmarks
{
    private const string Encode = "Encode";
    private const string Decode = "Decode";
    private const int ChunkSize = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _bufferWriter = new(ChunkSize + 64);
    private readonly byte[] _buffer = new byte[ChunkSize + 64];
    private ZpipesMsg.Write _write = null!;
    private byte[] _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        var max = GoldenVectors.Find("zpipes_msg", "WRITE", "max");
        var typical = GoldenVectors.Find("zpipes_msg", "WRITE");
        _write = new ZpipesMsg.Write
        {
            Chunk = max.Hex("chunk").AsMemory(0, ChunkSize).ToArray(),
            Timeout = (uint)typical.Number("timeout"),
        };
        _frame = ZpipesMsg.EncodeFrames(_write)[0].ToArray();
        if (_frame.Length != ChunkSize + 11)
            throw new InvalidOperationException($"WRITE with a {ChunkSize}-octet chunk encodes to {_frame.Length} octets");
        GoldenVectors.CheckSame("WRITE to IBufferWriter", _frame, GoldenVectors.Written(_bufferWriter, Zproto_encode_buffer_writer()));
        GoldenVectors.CheckSame("WRITE to span", _frame, _buffer.AsSpan(0, Zproto_encode_span()));
        if (!_write.Equals(Zproto_decode()))
            throw new InvalidOperationException("WRITE decode differs from the encoded message");
    }

    [BenchmarkCategory(Encode), Benchmark]
    public int Zproto_encode_buffer_writer()
    {
        _bufferWriter.ResetWrittenCount();
        ZpipesMsg.Encode(_write, _bufferWriter);
        return _bufferWriter.WrittenCount;
    }

    [BenchmarkCategory(Encode), Benchmark]
    public int Zproto_encode_span() => ZpipesMsg.Encode(_write, _buffer);

    [BenchmarkCategory(Decode), Benchmark]
    public ZpipesMsg.Message? Zproto_decode()
    {
        ZpipesMsg.TryDecode(_frame, out var message, out _);
        return message;
    }
}
