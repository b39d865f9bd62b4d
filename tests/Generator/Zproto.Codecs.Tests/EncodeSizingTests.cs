using System;
using System.Buffers;
using System.Linq;
using Xunit;
using Zproto.Wire;

namespace Zproto.Codecs.Tests;

/// <summary>
/// Encode into a span or an <see cref="IBufferWriter{T}"/> sizes the destination with an upper bound
/// (3 octets per UTF-16 unit of text) instead of counting each string's UTF-8 first, and falls back to
/// the exact size when the bound does not fit. Either way the octets are those of
/// <c>EncodeFrames</c>, which always measures exactly, and a value that cannot be encoded is refused
/// before anything is written.
/// </summary>
public class EncodeSizingTests
{
    // ASCII, 2-, 3- and 4-octet UTF-8 and a lone surrogate (written as U+FFFD, 3 octets, as counted).
    public static TheoryData<string> Texts() => new()
    {
        "",
        "localhost",
        "h\u00e9t\u00e9rog\u00e8ne \u20ac \u4e2d\u6587 \U0001F600",
        "lone \ud800 surrogate",
        new string('x', 85),
        new string('\u00e9', 127),
        new string('x', 255),
    };

    private static ZprotoExample.Log Log(string text) => new() { Sequence = 7, Host = text, Data = text + text };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Span_and_buffer_writer_encodes_equal_the_exactly_measured_frame(string text)
    {
        var log = Log(text);
        var expected = ZprotoExample.EncodeFrames(log)[0].ToArray();
        Assert.Equal(expected.Length, ZprotoExample.GetEncodedLength(log));

        // Room for the bound: written directly.
        var large = new byte[expected.Length * 3 + 64];
        Assert.Equal(expected.Length, ZprotoExample.Encode(log, large));
        Assert.Equal(expected, large.AsSpan(0, expected.Length).ToArray());

        // Exactly the encoded length, below the bound whenever the text is not empty: measured, then written.
        var exact = new byte[expected.Length];
        Assert.Equal(expected.Length, ZprotoExample.Encode(log, exact));
        Assert.Equal(expected, exact);

        var writer = new ArrayBufferWriter<byte>(1);
        ZprotoExample.Encode(log, writer);
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_destination_one_octet_short_is_refused_before_anything_is_written()
    {
        var log = Log("h\u00e9t\u00e9rog\u00e8ne");
        var destination = new byte[ZprotoExample.GetEncodedLength(log) - 1];
        Assert.Throws<ArgumentException>(() => ZprotoExample.Encode(log, destination));
        Assert.All(destination, octet => Assert.Equal(0, octet));
    }

    [Theory]
    [InlineData(256, 'x')] // 256 octets
    [InlineData(86, '\u20ac')] // 86 units, 258 octets: over the limit only once counted
    public void A_string_over_255_octets_is_refused_before_anything_is_written(int count, char c)
    {
        var log = Log("") with { Host = new string(c, count) };
        var destination = new byte[4096];
        var error = Assert.Throws<EncodeException>(() => ZprotoExample.Encode(log, destination));
        Assert.Contains("host", error.Message, StringComparison.Ordinal);
        Assert.True(destination.All(octet => octet == 0));
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<EncodeException>(() => ZprotoExample.Encode(log, writer));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void A_text_too_long_for_a_direct_write_asks_the_buffer_writer_for_its_exact_size()
    {
        var data = new string('x', WireSize.DirectWriteLimit);
        var log = Log("") with { Data = data };
        var writer = new SizeRecordingWriter();
        ZprotoExample.Encode(log, writer);
        Assert.Equal(ZprotoExample.GetEncodedLength(log), writer.Requested);
        Assert.Equal(ZprotoExample.EncodeFrames(log)[0].ToArray(), writer.Written);
    }

    private sealed class SizeRecordingWriter : IBufferWriter<byte>
    {
        private byte[] _buffer = [];

        public int Requested { get; private set; }
        public byte[] Written { get; private set; } = [];

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Requested = sizeHint;
            _buffer = new byte[sizeHint];
            return _buffer;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException();

        public void Advance(int count) => Written = _buffer.AsSpan(0, count).ToArray();
    }
}
