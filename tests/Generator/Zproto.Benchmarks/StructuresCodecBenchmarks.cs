using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Zproto.Benchmarks.Protocols;
using Zproto.Wire;

namespace Zproto.Benchmarks;

/// <summary>
/// STRUCTURES (zproto_example id 2): a <c>strings</c> list and a <c>hash</c>. Headers are the golden
/// "typical" 7-entry hash (non-ASCII keys and values, one 255-octet value); aliases are its first
/// three items ("first", "", "ünïcødé ✓ 日本"), a typical 3-alias list.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class StructuresCodecBenchmarks
{
    private const string Encode = "Encode";
    private const string Decode = "Decode";

    private readonly ArrayBufferWriter<byte> _bufferWriter = new(4096);
    private readonly byte[] _buffer = new byte[4096];
    private ZprotoExample.Structures _structures = null!;
    private byte[] _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        var vector = GoldenVectors.Find("zproto_example", "STRUCTURES");
        var headers = vector.Fields["headers"]!.AsObject()
            .Select(e => new KeyValuePair<string, string>(e.Key, (string)e.Value!))
            .ToArray();
        if (headers.Length != 7)
            throw new InvalidOperationException($"the typical STRUCTURES hash has {headers.Length} entries, not 7");

        // The full golden message first: the codec must give the reference codec's octets.
        var golden = new ZprotoExample.Structures
        {
            Sequence = (ushort)vector.Number("sequence"),
            Aliases = vector.Strings("aliases"),
            Headers = ZprotoHash.Create(headers.AsSpan()),
        };
        GoldenVectors.CheckSame("golden STRUCTURES", vector.Frames[0], ZprotoExample.EncodeFrames(golden)[0].Span);

        _structures = golden with { Aliases = vector.Strings("aliases")[..3] };
        _frame = ZprotoExample.EncodeFrames(_structures)[0].ToArray();
        GoldenVectors.CheckSame("STRUCTURES to IBufferWriter", _frame, GoldenVectors.Written(_bufferWriter, Zproto_encode_buffer_writer()));
        GoldenVectors.CheckSame("STRUCTURES to span", _frame, _buffer.AsSpan(0, Zproto_encode_span()));
        if (!_structures.Equals(Zproto_decode()))
            throw new InvalidOperationException("STRUCTURES decode differs from the encoded message");
    }

    [BenchmarkCategory(Encode), Benchmark]
    public int Zproto_encode_buffer_writer()
    {
        _bufferWriter.ResetWrittenCount();
        ZprotoExample.Encode(_structures, _bufferWriter);
        return _bufferWriter.WrittenCount;
    }

    [BenchmarkCategory(Encode), Benchmark]
    public int Zproto_encode_span() => ZprotoExample.Encode(_structures, _buffer);

    [BenchmarkCategory(Decode), Benchmark]
    public ZprotoExample.Message? Zproto_decode()
    {
        ZprotoExample.TryDecode(_frame, out var message, out _);
        return message;
    }
}
