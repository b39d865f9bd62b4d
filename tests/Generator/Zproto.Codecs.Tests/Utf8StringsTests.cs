using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Xunit;
using Zproto.Benchmarks;
using Zproto.Wire;

namespace Zproto.Codecs.Tests;

/// <summary>
/// <c>strings = "utf8"</c> (Models/zproto_example_utf8.xml, zproto_example with that option): the same
/// wire format as the default mode, checked with zproto_example's golden and malformed vectors; string
/// values are views over the received frame when decoded from memory, copies when decoded from a span.
/// The property and robustness tests cover this model too (they run over every binary model).
/// </summary>
public class Utf8StringsTests
{
    private static JsonArray Load(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Vectors, file)))!.AsArray();

    private static ReadOnlyMemory<byte>[] Frames(JsonNode vector) =>
        vector["frames"]!.AsArray().Select(f => (ReadOnlyMemory<byte>)Convert.FromHexString((string)f!)).ToArray();

    public static TheoryData<int> GoldenVectors()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Load("zproto_example.json").Count; i++)
            data.Add(i);
        return data;
    }

    public static TheoryData<string> MalformedVectors()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load("zproto_example.invalid.json"))
            data.Add((string)c!["case"]!);
        return data;
    }

    [Fact]
    public void The_vector_sets_are_loaded()
    {
        Assert.Equal(Load("zproto_example.json").Count, GoldenVectors().Count);
        Assert.True(GoldenVectors().Count >= 10, "zproto_example.json has at least 10 golden vectors");
        Assert.True(MalformedVectors().Count >= 20, "zproto_example.invalid.json has at least 20 cases");
    }

    [Theory]
    [MemberData(nameof(GoldenVectors))]
    public void Golden_vectors_decode_to_the_default_modes_values_and_re_encode_identically(int index)
    {
        var frames = Frames(Load("zproto_example.json")[index]!);
        Assert.True(ZprotoExample.TryDecode(frames, out var expected, out var error), error.ToString());
        Assert.True(ZprotoExampleUtf8.TryDecode(frames, out var shared, out error), error.ToString());
        AssertSameValues(expected, shared);
        Assert.Equal(WireGen.Hex(frames), WireGen.Hex(ZprotoExampleUtf8.EncodeFrames(shared)));
        if (frames.Length == 1)
        {
            // The span overload (values copied) decodes one-frame messages to the same values.
            Assert.True(ZprotoExampleUtf8.TryDecode(frames[0].Span, out var copied, out error), error.ToString());
            Assert.Equal(shared, copied);
        }
    }

    [Theory]
    [MemberData(nameof(MalformedVectors))]
    public void Malformed_vectors_fail_exactly_as_in_the_default_mode(string name)
    {
        var frames = Frames(Load("zproto_example.invalid.json").Single(c => (string)c!["case"]! == name)!);
        var expectedOk = ZprotoExample.TryDecode(frames, out _, out var expected);
        Assert.Equal(expectedOk, ZprotoExampleUtf8.TryDecode(frames, out _, out var actual));
        Assert.Equal(expected, actual);
        if (frames.Length == 1)
        {
            Assert.Equal(expectedOk, ZprotoExampleUtf8.TryDecode(frames[0], out _, out actual));
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>Every Utf8Text value equals the default mode's string; composites are compared field by field.</summary>
    private static void AssertSameValues(object expected, object actual)
    {
        foreach (var (property, field) in WireGen.Fields(actual.GetType()))
        {
            var value = property.GetValue(actual);
            var want = expected.GetType().GetProperty(property.Name)!.GetValue(expected);
            if (value is Utf8Text text)
                Assert.Equal((string)want!, text.ToString());
            else if (WireGen.Fields(property.PropertyType).Any())
                AssertSameValues(want!, value!);
        }
    }

    // The C fixture's LOG, with 2-, 3- and 4-octet UTF-8 in host.
    private static readonly ZprotoExampleUtf8.Log s_log = CFixtures.LogUtf8 with { Host = "h\u00f4te-\u20ac-\U0001F600" };

    [Fact]
    public void Decoding_from_memory_points_into_the_frame_and_decoding_from_a_span_copies()
    {
        var frame = ZprotoExampleUtf8.EncodeFrames(s_log)[0].ToArray();

        Assert.True(ZprotoExampleUtf8.TryDecode((ReadOnlyMemory<byte>)frame, out var shared, out _));
        var host = ((ZprotoExampleUtf8.Log)shared).Host;
        Assert.True(MemoryMarshal.TryGetArray(host.Memory, out var segment));
        Assert.Same(frame, segment.Array);
        Assert.Equal(22, segment.Offset); // after the 21 fixed octets and host's length octet

        // A byte[] argument takes the span overload (OverloadResolutionPriority): values own copies.
        Assert.True(ZprotoExampleUtf8.TryDecode(frame, out var copied, out _));
        Assert.True(MemoryMarshal.TryGetArray(((ZprotoExampleUtf8.Log)copied).Host.Memory, out var own));
        Assert.NotSame(frame, own.Array);

        frame[22] = (byte)'H'; // the lifetime rule: a view sees its frame change, a copy does not
        Assert.Equal("H\u00f4te-\u20ac-\U0001F600", host.ToString());
        Assert.Equal(s_log.Host, ((ZprotoExampleUtf8.Log)copied).Host);
        Assert.Equal("h\u00f4te-\u20ac-\U0001F600", ((ZprotoExampleUtf8.Log)copied).Host.ToString());
    }

    [Fact]
    public void Encoding_allocates_nothing_and_decoding_from_memory_allocates_only_the_record()
    {
        var buffer = new byte[256];
        var writer = new ArrayBufferWriter<byte>(256);
        ReadOnlyMemory<byte> frame = ZprotoExampleUtf8.EncodeFrames(s_log)[0].ToArray();
        Assert.Equal(0, Allocated(() => ZprotoExampleUtf8.Encode(s_log, buffer)));
        Assert.Equal(0, Allocated(() =>
        {
            writer.ResetWrittenCount();
            ZprotoExampleUtf8.Encode(s_log, writer);
        }));
        var record = Allocated(() => s_sink = new ZprotoExampleUtf8.Log()); // stored, so it cannot live on the stack
        Assert.True(record > 0);
        Assert.Equal(record, Allocated(() => ZprotoExampleUtf8.TryDecode(frame, out _, out _)));
    }

    private static object? s_sink;

    private static long Allocated(Action action)
    {
        const int Iterations = 100;
        for (var i = 0; i < 20; i++)
            action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
            action();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / Iterations;
    }

    [Fact]
    public void Invalid_UTF_8_is_rejected_in_both_decode_paths()
    {
        var frame = ZprotoExampleUtf8.EncodeFrames(s_log with { Host = "ab" })[0].ToArray();
        frame[22] = 0xFF;
        Assert.False(ZprotoExampleUtf8.TryDecode((ReadOnlyMemory<byte>)frame, out _, out var error));
        Assert.Equal(new DecodeError(DecodeErrorKind.InvalidUtf8, "host", 0, 21), error);
        Assert.False(ZprotoExampleUtf8.TryDecode(frame.AsSpan(), out _, out error));
        Assert.Equal(DecodeErrorKind.InvalidUtf8, error.Kind);
    }

    [Fact]
    public void Utf8Text_compares_by_octets_and_with_strings()
    {
        Utf8Text text = "caf\u00e9";
        Assert.Equal(5, text.Length);
        Assert.True(text.Equals("caf\u00e9"));
        Assert.False(text.Equals("cafe"));
        Assert.Equal(text, Utf8Text.Create("caf\u00e9"u8.ToArray()));
        Assert.Equal(text.GetHashCode(), Utf8Text.Create("caf\u00e9"u8.ToArray()).GetHashCode());
        Assert.False(Utf8Text.TryCreate(new byte[] { 0xC3 }, out _));
        Assert.Throws<ArgumentException>(() => Utf8Text.Create(new byte[] { 0xFF }));
        Assert.True(default(Utf8Text).Equals(""));
        Assert.Equal("", default(Utf8Text).ToString());
        var owned = Utf8Text.Create("x"u8.ToArray()).ToOwned();
        Assert.Equal("x", owned.ToString());
    }
}
