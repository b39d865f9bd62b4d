using System;
using System.Threading;
using System.Threading.Tasks;

namespace Zp.Client;

/// <summary>What copying one file did.</summary>
/// <param name="Identical">The destination already had this content; nothing was sent.</param>
/// <param name="ResumedAt">Bytes the receiver already had from an interrupted copy.</param>
/// <param name="Sent">Payload bytes sent this time.</param>
public sealed record ZpCopyResult(bool Identical, long ResumedAt, long Sent);

/// <summary>
/// The sender's credit for one file: bytes it may still send before the receiver acknowledges
/// more. The sender never has more than the granted window unacknowledged, so memory and the
/// receiver's queue stay bounded whatever the file size.
/// </summary>
internal sealed class CreditWindow
{
    private readonly object _lock = new();
    private long _available;
    private Exception? _failure;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CreditWindow(long initial) => _available = initial;

    /// <summary>Waits until some credit is available, then takes up to <paramref name="wanted"/> bytes of it.</summary>
    public async Task<int> TakeAsync(int wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_failure is not null)
                    throw _failure;
                if (_available > 0)
                {
                    var taken = (int)Math.Min(wanted, _available);
                    _available -= taken;
                    return taken;
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Add(long credit) => Signal(() => _available += credit);

    public void Fail(Exception failure) => Signal(() => _failure ??= failure);

    private void Signal(Action change)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            change();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
