using System;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Threading;

namespace Zproto.Runtime.Engine;

/// <summary>
/// Gives memory back to the operating system once a long-lived server goes quiet after a burst.
/// The GC collects when allocation asks it to, so a server that has just moved a gigabyte and then
/// idles keeps its heap (and its RSS) indefinitely; this runs one compacting, decommitting
/// collection (<see cref="GCCollectionMode.Aggressive"/>) when at least <c>burstBytes</c> were
/// allocated since the last one and the last interval allocated little, then (on glibc) hands the
/// native heap's free pages back with <c>malloc_trim</c>, since libzmq's buffers and the runtime's
/// own native allocations live there. Idle servers never collect; busy ones are left to the GC.
/// Thread-safe; dispose to stop.
/// </summary>
public sealed partial class IdleMemoryTrimmer : IDisposable
{
    private readonly long _burstBytes;
    private readonly Timer _timer;
    private long _allocatedAtTrim;
    private long _allocatedAtCheck;
    private int _checking;

    /// <summary>Starts checking every <paramref name="interval"/>.</summary>
    /// <param name="interval">How often to look; the server is idle when one interval allocated
    /// less than a sixteenth of <paramref name="burstBytes"/>.</param>
    /// <param name="burstBytes">Allocations since the last trim that make a trim worth it.</param>
    public IdleMemoryTrimmer(TimeSpan interval, long burstBytes = 16L * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burstBytes);
        _burstBytes = burstBytes;
        _allocatedAtTrim = _allocatedAtCheck = GC.GetTotalAllocatedBytes();
        _timer = new Timer(_ => Check(), null, interval, interval);
    }

    /// <summary>Collections this trimmer ran.</summary>
    public int Trims { get; private set; }

    private void Check()
    {
        if (Interlocked.Exchange(ref _checking, 1) != 0)
            return;
        try
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var sinceCheck = allocated - _allocatedAtCheck;
            _allocatedAtCheck = allocated;
            if (allocated - _allocatedAtTrim < _burstBytes || sinceCheck > _burstBytes / 16)
                return;
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            TrimNativeHeap();
            _allocatedAtTrim = _allocatedAtCheck = GC.GetTotalAllocatedBytes();
            Trims++;
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no malloc_trim): nothing to hand back this way.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
