using Xunit;
using Zproto.Runtime.Engine;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>The per-peer warning budget: a few lines a second, then one count of what was suppressed.</summary>
public sealed class WarningLimiterTests
{
    [Fact]
    public void A_flood_gets_ten_warnings_a_second_then_one_suppressed_count()
    {
        var limiter = new WarningLimiter();
        var allowed = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (limiter.TryAcquire(now: 5_000, out var suppressed))
                allowed++;
            Assert.Equal(0, suppressed);
        }
        Assert.Equal(WarningLimiter.PerSecond, allowed);

        // The next window opens a second later and reports what the last one held back.
        Assert.True(limiter.TryAcquire(now: 6_000, out var held));
        Assert.Equal(1000 - WarningLimiter.PerSecond, held);
    }

    [Fact]
    public void A_quiet_peer_is_never_limited()
    {
        var limiter = new WarningLimiter();
        for (var second = 0; second < 5; second++)
        {
            Assert.True(limiter.TryAcquire(now: 10_000 + second * 1000, out var suppressed));
            Assert.Equal(0, suppressed);
        }
    }
}
