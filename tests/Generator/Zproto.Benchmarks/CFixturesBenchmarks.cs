using System;
using System.Buffers;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace Zproto.Benchmarks;

/// <summary>
/// zproto's C benchmark fixtures (<see cref="CFixtures"/>) through the generated codec, one thread,
/// so the rates compare with the C codec's (issue 15's table, quoted in docs/benchmarks.md). Encodes
/// write frame 0 into a reused buffer (BINARY also hands its frame and msg frames to a reused list);
/// decodes read from the frames as received.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class CFixturesBenchmarks
{
    private const string Log = "LOG";
    private const string Structures = "STRUCTURES";
    private const string Binary = "BINARY";
    private const string LogUtf8 = "LOG, strings = utf8";

    private readonly ArrayBufferWriter<byte> _bufferWriter = new(1024);
    private readonly byte[] _buffer = new byte[1024];
    private readonly List<ReadOnlyMemory<byte>> _frames = new(4);
    private byte[] _logFrame = null!;
    private ReadOnlyMemory<byte>[] _logFrames = null!;
    private ReadOnlyMemory<byte> _logMemory;
    private byte[] _structuresFrame = null!;
    private ReadOnlyMemory<byte>[] _binaryFrames = null!;

    [GlobalSetup]
    public void Setup()
    {
        _logFrame = ZprotoExample.EncodeFrames(CFixtures.Log)[0].ToArray();
        _logFrames = [_logFrame];
        _logMemory = _logFrame;
        _structuresFrame = ZprotoExample.EncodeFrames(CFixtures.Structures)[0].ToArray();
        _binaryFrames = ZprotoExample.EncodeFrames(CFixtures.Binary);
        if (_logFrame.Length != 61 || _structuresFrame.Length != 91 || _binaryFrames.Length != 3)
            throw new InvalidOperationException("the C fixtures are not 61, 91 and 149 octets (3 frames)");

        // Every benchmark must produce what it claims before it is measured.
        GoldenVectors.CheckSame("LOG to span", _logFrame, _buffer.AsSpan(0, Log_encode_span()));
        GoldenVectors.CheckSame("LOG to IBufferWriter", _logFrame, GoldenVectors.Written(_bufferWriter, Log_encode_buffer_writer()));
        GoldenVectors.CheckSame("STRUCTURES to span", _structuresFrame, _buffer.AsSpan(0, Structures_encode_span()));
        GoldenVectors.CheckSame("BINARY to span", _binaryFrames[0].Span, _buffer.AsSpan(0, Binary_encode_all_frames() - 20));
        Check(CFixtures.Log.Equals(Log_decode()), "LOG");
        Check(CFixtures.Log.Equals(Log_decode_frames()), "LOG from frames");
        GoldenVectors.CheckSame("utf8 LOG to span", _logFrame, _buffer.AsSpan(0, Log_utf8_encode_span()));
        Check(CFixtures.LogUtf8.Equals(Log_utf8_decode()), "utf8 LOG");
        Check(CFixtures.LogUtf8.Equals(Log_utf8_decode_frames()), "utf8 LOG from frames");
        Check(CFixtures.Structures.Equals(Structures_decode()), "STRUCTURES");
        Check(CFixtures.Binary.Equals(Binary_decode()), "BINARY");
    }

    private static void Check(bool same, string what)
    {
        if (!same)
            throw new InvalidOperationException($"{what} decodes to other values than the fixture's");
    }

    [BenchmarkCategory(Log), Benchmark]
    public int Log_encode_span() => ZprotoExample.Encode(CFixtures.Log, _buffer);

    [BenchmarkCategory(Log), Benchmark]
    public int Log_encode_buffer_writer()
    {
        _bufferWriter.ResetWrittenCount();
        ZprotoExample.Encode(CFixtures.Log, _bufferWriter);
        return _bufferWriter.WrittenCount;
    }

    [BenchmarkCategory(Log), Benchmark]
    public ZprotoExample.Message? Log_decode()
    {
        ZprotoExample.TryDecode(_logFrame, out var message, out _);
        return message;
    }

    [BenchmarkCategory(Log), Benchmark]
    public ZprotoExample.Message? Log_decode_frames()
    {
        ZprotoExample.TryDecode(_logFrames, out var message, out _);
        return message;
    }

    [BenchmarkCategory(LogUtf8), Benchmark]
    public int Log_utf8_encode_span() => ZprotoExampleUtf8.Encode(CFixtures.LogUtf8, _buffer);

    /// <summary>From the frame's memory: the strings are views over it, not transcoded.</summary>
    [BenchmarkCategory(LogUtf8), Benchmark]
    public ZprotoExampleUtf8.Message? Log_utf8_decode()
    {
        ZprotoExampleUtf8.TryDecode(_logMemory, out var message, out _);
        return message;
    }

    [BenchmarkCategory(LogUtf8), Benchmark]
    public ZprotoExampleUtf8.Message? Log_utf8_decode_frames()
    {
        ZprotoExampleUtf8.TryDecode(_logFrames, out var message, out _);
        return message;
    }

    [BenchmarkCategory(Structures), Benchmark]
    public int Structures_encode_span() => ZprotoExample.Encode(CFixtures.Structures, _buffer);

    [BenchmarkCategory(Structures), Benchmark]
    public ZprotoExample.Message? Structures_decode()
    {
        ZprotoExample.TryDecode(_structuresFrame, out var message, out _);
        return message;
    }

    /// <summary>Frame 0 into the reused buffer, the address and content frames into a reused list: the octets of all 3 frames.</summary>
    [BenchmarkCategory(Binary), Benchmark]
    public int Binary_encode_all_frames()
    {
        var length = ZprotoExample.Encode(CFixtures.Binary, _buffer);
        _frames.Clear();
        ZprotoExample.AddExtraFrames(CFixtures.Binary, _frames);
        return length + _frames[0].Length + _frames[1].Length;
    }

    [BenchmarkCategory(Binary), Benchmark]
    public ZprotoExample.Message? Binary_decode()
    {
        ZprotoExample.TryDecode(_binaryFrames, out var message, out _);
        return message;
    }

    /// <summary>
    /// Every case above run in a plain loop, timed by the process's processor time instead of the
    /// wall clock (best of 3 runs of <c>Operations</c> each, after warm-up): on a shared machine
    /// under load the wall clock measures the queue for a core, processor time does not.
    /// </summary>
    public static void CpuTime()
    {
        var b = new CFixturesBenchmarks();
        b.Setup();
        // Each case returns an int so that no encode result is boxed: an allocation per call would be
        // measured as part of the codec.
        (string Name, Func<int> Run)[] cases =
        [
            ("LOG encode -> span", b.Log_encode_span),
            ("LOG encode -> ArrayBufferWriter", b.Log_encode_buffer_writer),
            ("LOG decode <- byte[]", () => Decoded(b.Log_decode())),
            ("LOG decode <- frames", () => Decoded(b.Log_decode_frames())),
            ("LOG (utf8) encode -> span", b.Log_utf8_encode_span),
            ("LOG (utf8) decode <- memory", () => Decoded(b.Log_utf8_decode())),
            ("LOG (utf8) decode <- frames", () => Decoded(b.Log_utf8_decode_frames())),
            ("STRUCTURES encode -> span", b.Structures_encode_span),
            ("STRUCTURES decode <- byte[]", () => Decoded(b.Structures_decode())),
            ("BINARY encode, all frames", b.Binary_encode_all_frames),
            ("BINARY decode <- 3 frames", () => Decoded(b.Binary_decode())),
        ];
        Measure(cases);
    }

    /// <summary>Prints each case's processor time per call, best of 3 runs of 3,000,000 calls after warm-up.</summary>
    internal static void Measure((string Name, Func<int> Run)[] cases)
    {
        const int Operations = 3_000_000, Runs = 3;
        var process = System.Diagnostics.Process.GetCurrentProcess();
        foreach (var (name, run) in cases)
        {
            for (var i = 0; i < Operations / 10; i++)
                run();
            var best = double.MaxValue;
            for (var r = 0; r < Runs; r++)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                for (var i = 0; i < Operations; i++)
                    run();
                process.Refresh();
                best = Math.Min(best, (process.TotalProcessorTime - cpu).TotalNanoseconds / Operations);
            }
            Console.WriteLine($"| {name} | {best:F1} ns | {1000 / best:F2} M/s |");
        }
    }

    private static int Decoded(object? message) => message is null ? 0 : 1;
}
