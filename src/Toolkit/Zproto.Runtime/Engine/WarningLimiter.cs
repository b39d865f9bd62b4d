namespace Zproto.Runtime.Engine;

/// <summary>
/// Per-peer warning budget: a peer that keeps sending messages its state cannot take gets a few
/// warnings a second, then one line saying how many were suppressed. Owner thread only.
/// </summary>
internal struct WarningLimiter
{
    /// <summary>Warnings let through per peer per second.</summary>
    public const int PerSecond = 10;

    private long _windowStart;
    private int _count;

    /// <summary>True when a warning may be written now; <paramref name="suppressed"/> is the count dropped in the window just closed.</summary>
    public bool TryAcquire(long now, out int suppressed)
    {
        suppressed = 0;
        if (now - _windowStart >= 1000)
        {
            suppressed = _count > PerSecond ? _count - PerSecond : 0;
            _windowStart = now;
            _count = 0;
        }
        return ++_count <= PerSecond;
    }
}
