using System;
using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Zproto.Benchmarks.Protocols;
using ProtobufLog = Zproto.Benchmarks.Protobuf.Log;

namespace Zproto.Benchmarks;

/// <summary>
/// LOG (zproto_example id 1) through the generated codec and, as each category's baseline, the same
/// fields through Google.Protobuf, so the Ratio column reads "generated codec time / protobuf time".
/// <see cref="LogValues.Typical"/> is the golden "typical" LOG: a 38-octet non-ASCII host and a
/// 300-octet non-ASCII data. <see cref="LogValues.Ascii"/> has the same numbers and ASCII strings of
/// the same octet lengths (same 367-octet frame), which shows what the UTF-16/UTF-8 transcoding costs.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class LogCodecBenchmarks
{
    private const string EncodeToBufferWriter = "Encode to reused ArrayBufferWriter";
    private const string EncodeToSpan = "Encode to reused byte[] span";
    private const string Decode = "Decode from byte[] frame";

    private readonly ArrayBufferWriter<byte> _bufferWriter = new(4096);
    private readonly byte[] _buffer = new byte[4096];
    private ZprotoExample.Log _log = null!;
    private ProtobufLog _protobufLog = null!;
    private byte[] _frame = null!;
    private byte[] _protobufFrame = null!;

    /// <summary>The generated codec's frame of the LOG under test.</summary>
    internal byte[] Frame => _frame;

    [Params(LogValues.Typical, LogValues.Ascii)]
    public LogValues Values { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var vector = GoldenVectors.Find("zproto_example", "LOG");
        var typical = new ZprotoExample.Log
        {
            Sequence = (ushort)vector.Number("sequence"),
            Level = (byte)vector.Number("level"),
            Event = (byte)vector.Number("event"),
            Node = (ushort)vector.Number("node"),
            Peer = (ushort)vector.Number("peer"),
            Time = vector.Number("time"),
            Host = vector.String("host"),
            Data = vector.String("data"),
        };
        _log = Values == LogValues.Typical ? typical : typical with
        {
            Host = AsciiText(Encoding.UTF8.GetByteCount(typical.Host)),
            Data = AsciiText(Encoding.UTF8.GetByteCount(typical.Data)),
        };
        _protobufLog = new ProtobufLog
        {
            Sequence = _log.Sequence,
            Version = _log.Version,
            Level = _log.Level,
            Event = _log.Event,
            Node = _log.Node,
            Peer = _log.Peer,
            Time = _log.Time,
            Host = _log.Host,
            Data = _log.Data,
        };
        _frame = Values == LogValues.Typical ? vector.Frames[0] : ZprotoExample.EncodeFrames(_log)[0].ToArray();
        if (_frame.Length != vector.Frames[0].Length)
            throw new InvalidOperationException("the ASCII LOG must have the typical LOG's size");
        _protobufFrame = _protobufLog.ToByteArray();

        // Every benchmark must produce what the reference codec does (or, for protobuf, a message equal to the original).
        GoldenVectors.CheckSame("golden LOG", vector.Frames[0], ZprotoExample.EncodeFrames(typical)[0].Span);
        GoldenVectors.CheckSame("LOG to IBufferWriter", _frame, GoldenVectors.Written(_bufferWriter, Zproto_encode_buffer_writer()));
        GoldenVectors.CheckSame("LOG to span", _frame, _buffer.AsSpan(0, Zproto_encode_span()));
        if (!_log.Equals(Zproto_decode()))
            throw new InvalidOperationException("LOG decode differs from the encoded fields");
        GoldenVectors.CheckSame("protobuf LOG to IBufferWriter", _protobufFrame, GoldenVectors.Written(_bufferWriter, Protobuf_encode_buffer_writer()));
        GoldenVectors.CheckSame("protobuf LOG to span", _protobufFrame, _buffer.AsSpan(0, Protobuf_encode_span()));
        if (!_protobufLog.Equals(Protobuf_decode()))
            throw new InvalidOperationException("protobuf LOG decode differs");
    }

    private static string AsciiText(int length)
    {
        var text = new StringBuilder(length + 40);
        while (text.Length < length)
            text.Append("Life is short but Now lasts for ever. ");
        return text.ToString(0, length);
    }

    [BenchmarkCategory(EncodeToBufferWriter), Benchmark(Baseline = true)]
    public int Protobuf_encode_buffer_writer()
    {
        _bufferWriter.ResetWrittenCount();
        _protobufLog.WriteTo(_bufferWriter);
        return _bufferWriter.WrittenCount;
    }

    [BenchmarkCategory(EncodeToBufferWriter), Benchmark]
    public int Zproto_encode_buffer_writer()
    {
        _bufferWriter.ResetWrittenCount();
        ZprotoExample.Encode(_log, _bufferWriter);
        return _bufferWriter.WrittenCount;
    }

    /// <summary>Protobuf's span API needs the exact size, so it sizes first, as the generated codec does inside Encode.</summary>
    [BenchmarkCategory(EncodeToSpan), Benchmark(Baseline = true)]
    public int Protobuf_encode_span()
    {
        var destination = _buffer.AsSpan(0, _protobufLog.CalculateSize());
        _protobufLog.WriteTo(destination);
        return destination.Length;
    }

    [BenchmarkCategory(EncodeToSpan), Benchmark]
    public int Zproto_encode_span() => ZprotoExample.Encode(_log, _buffer);

    [BenchmarkCategory(Decode), Benchmark(Baseline = true)]
    public ProtobufLog Protobuf_decode() => ProtobufLog.Parser.ParseFrom(_protobufFrame);

    [BenchmarkCategory(Decode), Benchmark]
    public ZprotoExample.Message? Zproto_decode()
    {
        ZprotoExample.TryDecode(_frame, out var message, out _);
        return message;
    }
}

/// <summary>The LOG field values a <see cref="LogCodecBenchmarks"/> run uses.</summary>
public enum LogValues
{
    /// <summary>The golden "typical" LOG: non-ASCII host and data.</summary>
    Typical,

    /// <summary>The same sizes in ASCII.</summary>
    Ascii,
}
