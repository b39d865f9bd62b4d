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
}
