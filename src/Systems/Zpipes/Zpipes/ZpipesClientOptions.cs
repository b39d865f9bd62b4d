using System;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Zmq;

namespace Zpipes;

/// <summary>Settings of a <see cref="Zpipe"/>.</summary>
public sealed class ZpipesClientOptions
{
    /// <summary>PING interval while the pipe is open. Keep it well under the broker's server/timeout. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the broker may stay silent before a call fails with <see cref="ZpipesBrokerUnreachableException"/>. Default 5 s.</summary>
    public TimeSpan ReceiveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A ZeroMQ context to share (needed for inproc:// brokers); null creates one per pipe.</summary>
    public ZmqContext? Context { get; set; }

    /// <summary>Logging for the client engine; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Log every event and action of the client state machine.</summary>
    public bool Verbose { get; set; }
}
