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
    [Fact]
    public void LOG_is_61_octets_and_round_trips()
    {
        var frames = ZprotoExample.EncodeFrames(CFixtures.Log);
        Assert.Equal(61, Assert.Single(frames).Length);
        Assert.True(ZprotoExample.TryDecode(frames, out var decoded, out _));
        Assert.Equal(CFixtures.Log, decoded);
    }

    [Fact]
    public void STRUCTURES_is_91_octets_and_round_trips()
    {
        var frames = ZprotoExample.EncodeFrames(CFixtures.Structures);
        Assert.Equal(91, Assert.Single(frames).Length);
        Assert.True(ZprotoExample.TryDecode(frames, out var decoded, out _));
        Assert.Equal(CFixtures.Structures, decoded);
    }

    [Fact]
    public void BINARY_is_149_octets_in_3_frames_and_round_trips()
    {
        var frames = ZprotoExample.EncodeFrames(CFixtures.Binary);
        Assert.Equal(new[] { 129, 10, 10 }, frames.Select(f => f.Length));
        Assert.Equal(149, frames.Sum(f => f.Length));
        Assert.Equal(CFixtures.Binary.PublicKey.ToArray(), Enumerable.Range(0, 100).Select(i => (byte)(i * 7 + 1)));
        Assert.True(ZprotoExample.TryDecode(frames, out var decoded, out _));
        Assert.Equal(CFixtures.Binary, decoded);
    }
}
