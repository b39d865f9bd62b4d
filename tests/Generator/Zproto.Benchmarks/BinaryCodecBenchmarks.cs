using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Zproto.Benchmarks.Protocols;

namespace Zproto.Benchmarks;

/// <summary>
/// BINARY (zproto_example id 3), the golden "typical" message: 4 octets of flags, a 300-octet
/// chunk and a uuid in frame 0, then a 300-octet address frame and a 3-frame msg (10, 0 and 3 octets).
/// Frame 0 is encoded into a reused buffer; the other frames are the caller's memory, handed on as
/// they are into a reused list.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class BinaryCodecBenchmarks
{
    private const string Encode = "Encode";
    private const string Decode = "Decode";

    private readonly ArrayBufferWriter<byte> _bufferWriter = new(4096);
    private readonly byte[] _buffer = new byte[4096];
    private readonly List<ReadOnlyMemory<byte>> _extraFrames = new(8);
    private ZprotoExample.Binary _binary = null!;
    private ReadOnlyMemory<byte>[] _frames = null!;

    [GlobalSetup]
    public void Setup()
    {
        var vector = GoldenVectors.Find("zproto_example", "BINARY");
        _binary = new ZprotoExample.Binary
        {
            Sequence = (ushort)vector.Number("sequence"),
            Flags = vector.Hex("flags"),
            PublicKey = vector.Hex("public_key"),
            Identifier = new Guid(vector.Hex("identifier"), bigEndian: true),
            Address = vector.Hex("address"),
            Content = vector.Strings("content").Select(f => (ReadOnlyMemory<byte>)Convert.FromHexString(f)).ToArray(),
        };
        _frames = vector.Frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray();
        if (_binary.PublicKey.Length != 300 || _frames.Length != 5)
            throw new InvalidOperationException("the typical BINARY vector is not a 300-octet chunk with a frame and a 3-frame msg");

        GoldenVectors.CheckSame("BINARY frame 0 to IBufferWriter", _frames[0].Span, GoldenVectors.Written(_bufferWriter, Zproto_encode_buffer_writer()));
        GoldenVectors.CheckSame("BINARY frame 0 to span", _frames[0].Span, _buffer.AsSpan(0, Zproto_encode_span()));
        Zproto_add_extra_frames();
        var all = Zproto_encode_frames();
        if (_extraFrames.Count != 4 || all.Length != 5)
            throw new InvalidOperationException("BINARY encodes to the wrong number of frames");
        for (var i = 0; i < 5; i++)
        {
            GoldenVectors.CheckSame($"BINARY frame {i}", _frames[i].Span, all[i].Span);
            if (i > 0)
                GoldenVectors.CheckSame($"BINARY extra frame {i}", _frames[i].Span, _extraFrames[i - 1].Span);
        }
        if (!_binary.Equals(Zproto_decode()))
            throw new InvalidOperationException("BINARY decode differs from the golden fields");
    }

    [BenchmarkCategory(Encode), Benchmark]
    public int Zproto_encode_buffer_writer()
    {
        _bufferWriter.ResetWrittenCount();
        ZprotoExample.Encode(_binary, _bufferWriter);
        return _bufferWriter.WrittenCount;
    }

    [BenchmarkCategory(Encode), Benchmark]
    public int Zproto_encode_span() => ZprotoExample.Encode(_binary, _buffer);

    /// <summary>Frames 1..4 (the address frame and the msg frames) into a reused list.</summary>
    [BenchmarkCategory(Encode), Benchmark]
    public int Zproto_add_extra_frames()
    {
        _extraFrames.Clear();
        ZprotoExample.AddExtraFrames(_binary, _extraFrames);
        return _extraFrames.Count;
    }

    /// <summary>The convenience API: every frame into new arrays (allocates by design).</summary>
    [BenchmarkCategory(Encode), Benchmark]
    public ReadOnlyMemory<byte>[] Zproto_encode_frames() => ZprotoExample.EncodeFrames(_binary);

    [BenchmarkCategory(Decode), Benchmark]
    public ZprotoExample.Message? Zproto_decode()
    {
        ZprotoExample.TryDecode(_frames, out var message, out _);
        return message;
    }
}
