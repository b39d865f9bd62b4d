namespace Zproto.Soak;

/// <summary>How hard a run pushes. <see cref="Full"/> is the acceptance load; <see cref="Ci"/>
/// is the bounded version for CI (under 3 minutes): half the pipe volume under the same 256 MiB
/// bound (the bound comes from the limits, not the volume), still twice the bound, so a missing
/// limit fails it, and fewer hostile frames and clients.</summary>
internal sealed record Scale(
    string Name,
    long PipeBytes,
    long PipeBound,
    long RemctlRequestBytes,
    int ExpiringConnections,
    int FuzzFrames,
    int Clients,
    int RequestsPerClient,
    int SlowExecs,
    string SlowExecSeconds,
    int MaxHandlers)
{
    private const long MiB = 1024 * 1024;

    /// <summary>RSS must come back within this of idle after every load, within <see cref="SettleLimit"/>.</summary>
    public const long SettleMargin = 64 * MiB;

    /// <summary>How long RSS may take to come back.</summary>
    public static readonly System.TimeSpan SettleLimit = System.TimeSpan.FromSeconds(30);

    /// <summary>A refused oversize request may grow the daemon by less than this.</summary>
    public const long RequestBound = 64 * MiB;

    public static Scale Full { get; } = new("full", 1024 * MiB, 256 * MiB, 1024 * MiB, 10_000, 100_000, 100, 1000, 300, "0.5", 16);

    public static Scale Ci { get; } = new("ci", 512 * MiB, 256 * MiB, 256 * MiB, 2_000, 20_000, 20, 1000, 300, "0.1", 16);
}
