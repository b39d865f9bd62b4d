using System;
using System.Collections.Generic;

namespace Zccp.Machine;

/// <summary>
/// The client's subscriptions: patterns the broker acknowledged (to replay after a reconnect) and
/// SUBSCRIBEs awaiting SUBSCRIBE-OK, in the order they were sent, since the broker answers in order.
/// </summary>
internal sealed class SubscriptionLog
{
    private readonly List<string> _patterns = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    // null marks a replayed pattern: its acknowledgement answers no call.
    private readonly Queue<string?> _pending = new();
    private string[] _replay = Array.Empty<string>();
    private int _replayIndex;

    /// <summary>Acknowledged patterns, each once, in first-subscribed order.</summary>
    public IReadOnlyList<string> Patterns => _patterns;

    /// <summary>A SUBSCRIBE for a call went out.</summary>
    public void Sent(string expression) => _pending.Enqueue(expression);

    /// <summary>A SUBSCRIBE-OK came in; true when it answers a call (not a replay).</summary>
    public bool Acknowledged()
    {
        if (!_pending.TryDequeue(out var expression) || expression is null)
            return false;
        if (_known.Add(expression))
            _patterns.Add(expression);
        return true;
    }

    /// <summary>The broker refused the oldest pending SUBSCRIBE (ACL); true when it answers a call.</summary>
    public bool Refused() => _pending.TryDequeue(out var expression) && expression is not null;

    /// <summary>The session ended with SUBSCRIBEs unanswered; returns how many calls were waiting.</summary>
    public int AbandonPending()
    {
        var calls = 0;
        foreach (var expression in _pending)
        {
            if (expression is not null)
                calls++;
        }
        _pending.Clear();
        return calls;
    }

    /// <summary>Begins replaying the acknowledged patterns; false when there are none.</summary>
    public bool StartReplay()
    {
        _replay = [.. _patterns];
        _replayIndex = 0;
        return _replay.Length > 0;
    }

    /// <summary>The next pattern to replay; <paramref name="more"/> says whether others follow.</summary>
    public string NextReplay(out bool more)
    {
        var expression = _replay[_replayIndex++];
        _pending.Enqueue(null);
        more = _replayIndex < _replay.Length;
        return expression;
    }
}
