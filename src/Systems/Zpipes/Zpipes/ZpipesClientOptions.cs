using System;
using Zproto.Runtime.Clients;

namespace Zpipes;

/// <summary>Settings of a <see cref="Zpipe"/>: the runtime's client settings (context, logging, CURVE keys, the call-timeout backstop) plus ZPIPES' own.</summary>
public sealed class ZpipesClientOptions : ClientOptions
{
    /// <summary>PING interval while the pipe is open. Keep it well under the broker's server/timeout. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the broker may stay silent before a call fails with <see cref="ZpipesBrokerUnreachableException"/>. Default 5 s.</summary>
    public TimeSpan ReceiveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most WRITEs (<see cref="Zpipe.QueueWriteAsync"/>) or READs (<see cref="Zpipe.ReadAheadAsync"/>)
    /// in flight at once, unanswered. 1 turns the window off (one round trip per chunk). Default 8:
    /// zbroker lets 16 replies per client wait in libzmq (its send high-water mark); a reader with more
    /// READs in flight than that, reading its socket more slowly than the broker answers, makes the
    /// broker hold the rest in its backlog (sent as the client reads on, but each copied once more).
    /// </summary>
    public int Window { get; set; } = DefaultWindow;

    /// <summary>
    /// Most chunk bytes in flight at once (WRITE payloads sent, or READ sizes asked for); a single
    /// larger chunk still goes alone. Keep it well under zbroker's per-client mailbox limit (16 MiB):
    /// the broker refuses WRITEs past that limit (WRITE-TIMEOUT), and one refused inside a window
    /// while a later one is taken would leave a gap. Default 4 MiB.
    /// </summary>
    public long WindowBytes { get; set; } = DefaultWindowBytes;

    /// <summary>The default <see cref="Window"/>.</summary>
    public const int DefaultWindow = 8;

    /// <summary>The default <see cref="WindowBytes"/>: 4 MiB.</summary>
    public const long DefaultWindowBytes = 4L * 1024 * 1024;
}
