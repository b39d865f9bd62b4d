using System;
using System.Collections.Generic;
using Zproto.Runtime.Servers;

namespace Zproto.Runtime.Engine;

/// <summary>
/// Decides whether a log line about a peer's bad input may be written: at most a fixed number per
/// peer per minute, and ten times that for all peers together (so a peer that reconnects under new
/// routing ids gains nothing). What is held back is counted and reported once per minute, so a
/// hostile peer cannot grow the log at will but an operator still sees that it happened.
/// Owner thread only.
/// </summary>
public sealed class LogRateLimiter
{
    private const long WindowMilliseconds = 60_000;
    private readonly Dictionary<byte[], int> _perPeer = new(ByteArrayComparer.Instance);
    private readonly int _perPeerLimit;
    private long _windowStart = long.MinValue;
    private int _total;

    /// <summary>Creates a limiter allowing <paramref name="perPeerLimit"/> lines per peer per minute (0 logs nothing).</summary>
    public LogRateLimiter(int perPeerLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perPeerLimit);
        _perPeerLimit = perPeerLimit;
    }

    /// <summary>Lines held back in the current minute.</summary>
    public long Suppressed { get; private set; }

    /// <summary>Whether a line about <paramref name="peer"/> (null: an unknown peer) may be written now.</summary>
    /// <param name="peer">The peer's routing id.</param>
    /// <param name="suppressedBefore">When this call starts a new minute, the lines held back in the
    /// previous one (worth one summary line), else 0.</param>
    public bool ShouldLog(byte[]? peer, out long suppressedBefore)
    {
        var now = Environment.TickCount64;
        suppressedBefore = 0;
        if (now - _windowStart >= WindowMilliseconds)
        {
            suppressedBefore = Suppressed;
            Suppressed = 0;
            _perPeer.Clear();
            _total = 0;
            _windowStart = now;
        }
        var key = peer ?? [];
        _perPeer.TryGetValue(key, out var count);
        if (count >= _perPeerLimit || _total >= _perPeerLimit * 10)
        {
            Suppressed++;
            return false;
        }
        // The table is cleared every minute and holds only peers that got a line in, so it is
        // bounded by the total limit.
        _perPeer[key] = count + 1;
        _total++;
        return true;
    }
}
