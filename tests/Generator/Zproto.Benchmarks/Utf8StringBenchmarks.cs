using System;
using System.Buffers;
using System.Text;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;

namespace Zproto.Benchmarks;

/// <summary>
/// Profiling aid, not a codec benchmark: the UTF-8 work inside one LOG (its host and data strings),
/// done the way Zproto.Wire does it today (each category's baseline) and the ways it could be done
/// instead. docs/benchmarks.md uses these rows to size the proposed codec changes.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class Utf8StringBenchmarks
{
    private const string Decode = "Decode host + data";
    private const string Encode = "Encode host + data";

    // What protobuf does: a decoder that throws on invalid input.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _buffer = new byte[4096];
    private string _host = null!;
    private string _data = null!;
    private byte[] _hostBytes = null!;
    private byte[] _dataBytes = null!;

    [Params(LogValues.Typical, LogValues.Ascii)]
    public LogValues Values { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var log = new LogCodecBenchmarks { Values = Values };
        log.Setup();
        var frame = log.Frame;
        var message = (Protocols.ZprotoExample.Log)log.Zproto_decode()!;
        _host = message.Host;
        _data = message.Data;
        _hostBytes = Encoding.UTF8.GetBytes(_host);
        _dataBytes = Encoding.UTF8.GetBytes(_data);
        if (frame.Length != 21 + 1 + _hostBytes.Length + 4 + _dataBytes.Length)
            throw new InvalidOperationException("host and data are not the LOG's strings");
        foreach (var decoded in new[] { Validate_then_GetString(), Strict_GetString(), ToUtf16_then_new_string(), GetString_without_validation() })
        {
            if (decoded != _host.Length + _data.Length)
                throw new InvalidOperationException("a decode variant gives other strings");
        }
        if (GetByteCount_then_GetBytes() != FromUtf16_into_bounded_span())
            throw new InvalidOperationException("the encode variants write different sizes");
    }

    /// <summary>Today's ZprotoReader.TryReadUtf8: Utf8.IsValid, then Encoding.UTF8.GetString.</summary>
    [BenchmarkCategory(Decode), Benchmark(Baseline = true)]
    public int Validate_then_GetString() => ValidateThenGetString(_hostBytes).Length + ValidateThenGetString(_dataBytes).Length;

    /// <summary>One validating decode with an encoding that throws on invalid UTF-8 (Google.Protobuf's way).</summary>
    [BenchmarkCategory(Decode), Benchmark]
    public int Strict_GetString() => s_strictUtf8.GetString(_hostBytes).Length + s_strictUtf8.GetString(_dataBytes).Length;

    /// <summary>One validating transcode into a stack buffer (no exceptions), then a copy into the string.</summary>
    [BenchmarkCategory(Decode), Benchmark]
    public int ToUtf16_then_new_string() => ToUtf16ThenNewString(_hostBytes).Length + ToUtf16ThenNewString(_dataBytes).Length;

    /// <summary>No validation at all: the floor (invalid input would become U+FFFD, which the codec must not do).</summary>
    [BenchmarkCategory(Decode), Benchmark]
    public int GetString_without_validation() => Encoding.UTF8.GetString(_hostBytes).Length + Encoding.UTF8.GetString(_dataBytes).Length;

    /// <summary>Today's WireSize.String/Longstr then ZprotoWriter.WriteString/WriteLongstr: count, then transcode.</summary>
    [BenchmarkCategory(Encode), Benchmark(Baseline = true)]
    public int GetByteCount_then_GetBytes()
    {
        var size = Encoding.UTF8.GetByteCount(_host) + Encoding.UTF8.GetByteCount(_data);
        var written = Encoding.UTF8.GetBytes(_host, _buffer);
        written += Encoding.UTF8.GetBytes(_data, _buffer.AsSpan(written));
        return size == written ? written : -1;
    }

    /// <summary>Only the counting pass, to show its share of the baseline.</summary>
    [BenchmarkCategory(Encode), Benchmark]
    public int GetByteCount_only() => Encoding.UTF8.GetByteCount(_host) + Encoding.UTF8.GetByteCount(_data);

    /// <summary>One transcode into a span known to be big enough (3 octets per UTF-16 unit), the length learnt from it.</summary>
    [BenchmarkCategory(Encode), Benchmark]
    public int FromUtf16_into_bounded_span()
    {
        Utf8.FromUtf16(_host, _buffer, out _, out var written, replaceInvalidSequences: false);
        Utf8.FromUtf16(_data, _buffer.AsSpan(written), out _, out var dataWritten, replaceInvalidSequences: false);
        return written + dataWritten;
    }

    private static string ValidateThenGetString(ReadOnlySpan<byte> bytes) =>
        Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : throw new InvalidOperationException();

    private static string ToUtf16ThenNewString(ReadOnlySpan<byte> bytes)
    {
        // A UTF-16 string never has more units than its UTF-8 form has octets.
        char[]? rented = null;
        var chars = bytes.Length <= 512 ? stackalloc char[512] : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        var status = Utf8.ToUtf16(bytes, chars, out _, out var written, replaceInvalidSequences: false);
        var result = status == OperationStatus.Done ? new string(chars[..written]) : throw new InvalidOperationException();
        if (rented is not null)
            ArrayPool<char>.Shared.Return(rented);
        return result;
    }
}
