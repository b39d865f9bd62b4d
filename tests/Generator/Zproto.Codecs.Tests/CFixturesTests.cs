using System;
using System.Linq;
using Xunit;
using Zproto.Benchmarks;

namespace Zproto.Codecs.Tests;

/// <summary>
/// The C benchmark fixtures the codec benchmarks use (tests/Generator/Zproto.Benchmarks/CFixtures.cs)
/// have the sizes zproto's C benchmark reports for them, so the two measure the same messages.
/// </summary>
public class CFixturesTests
{
    private static ReadOnlyMemory<byte>[] RoundTrip(ZprotoExample.Message message)
    {
        var frames = ZprotoExample.EncodeFrames(message);
        Assert.True(ZprotoExample.TryDecode(frames, out var decoded, out var error), error.ToString());
        Assert.Equal(message, decoded);
        return frames;
    }

    [Fact]
    public void LOG_is_61_octets_and_round_trips() => Assert.Equal(61, Assert.Single(RoundTrip(CFixtures.Log)).Length);

    [Fact]
    public void STRUCTURES_is_91_octets_and_round_trips() => Assert.Equal(91, Assert.Single(RoundTrip(CFixtures.Structures)).Length);

    [Fact]
    public void BINARY_is_149_octets_in_3_frames_and_round_trips()
    {
        var frames = RoundTrip(CFixtures.Binary);
        Assert.Equal(new[] { 129, 10, 10 }, frames.Select(f => f.Length));
        Assert.Equal(149, frames.Sum(f => f.Length));
        Assert.Equal(CFixtures.Binary.PublicKey.ToArray(), Enumerable.Range(0, 100).Select(i => (byte)(i * 7 + 1)));
    }

    [Fact]
    public void The_utf8_LOG_is_the_same_message()
    {
        Assert.Equal("localhost", CFixtures.LogUtf8.Host.ToString());
        Assert.Equal(ZprotoExample.EncodeFrames(CFixtures.Log)[0].ToArray(), ZprotoExampleUtf8.EncodeFrames(CFixtures.LogUtf8)[0].ToArray());
    }
}
