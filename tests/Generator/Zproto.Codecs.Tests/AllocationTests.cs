using System;
using System.Buffers;
using Xunit;
using Zproto.Codecs.Tests.Protocols;

namespace Zproto.Codecs.Tests;

/// <summary>
/// Allocation is part of the codec's contract: encoding into a caller's buffer allocates nothing,
/// and a failed decode allocates nothing (DecodeError is a struct). Measured with
/// GC.GetAllocatedBytesForCurrentThread after a warm-up, so this is exact, not a timing test.
/// </summary>
public class AllocationTests
{
    private static readonly ZprotoExample.Log s_log = new()
    {
        Sequence = 0x0102,
        Level = 3,
        Event = 7,
        Node = 0x0304,
        Peer = 0x0506,
        Time = 0x0102030405060708,
        Host = "h\u00f4te-\u20ac-\U0001F600", // 2-, 3- and 4-octet UTF-8
        Data = "Zproto.Net log line: \u00e9v\u00e9nement \u2603 " + new string('x', 300),
    };

    private static long Allocated(Action action, int iterations = 1000)
    {
        for (var i = 0; i < 50; i++)
            action(); // warm-up: JIT, static initialisers, buffer growth
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
            action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Encoding_a_LOG_into_a_reused_ArrayBufferWriter_allocates_nothing()
    {
        var writer = new ArrayBufferWriter<byte>(1024);
        var bytes = Allocated(() =>
        {
            writer.ResetWrittenCount();
            ZprotoExample.Encode(s_log, writer);
        });
        Assert.Equal(0, bytes);
        Assert.Equal(ZprotoExample.EncodeFrames(s_log)[0].ToArray(), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Encoding_a_LOG_into_a_span_and_measuring_it_allocates_nothing()
    {
        var buffer = new byte[1024];
        Assert.Equal(0, Allocated(() => ZprotoExample.Encode(s_log, buffer)));
        Assert.Equal(0, Allocated(() => ZprotoExample.GetEncodedLength(s_log)));
    }

    [Fact]
    public void A_failed_decode_allocates_nothing()
    {
        var truncated = ZprotoExample.EncodeFrames(s_log)[0].ToArray().AsSpan(0, 30).ToArray();
        Assert.Equal(0, Allocated(() => ZprotoExample.TryDecode(truncated, out _, out _)));
        var hugeCount = Convert.FromHexString("aaa0020000ffffffff");
        Assert.Equal(0, Allocated(() => ZprotoExample.TryDecode(hugeCount, out _, out _)));
    }
}
