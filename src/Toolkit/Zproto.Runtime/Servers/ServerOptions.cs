using System;
using System.Collections.Generic;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Servers;

/// <summary>Settings of a generated server. Bind from code, a config file or Microsoft.Extensions.Configuration.</summary>
public sealed class ServerOptions
{
    /// <summary>Endpoints to bind at start, e.g. <c>tcp://127.0.0.1:5560</c> or <c>tcp://127.0.0.1:*</c>.</summary>
    public IList<string> Endpoints { get; set; } = new List<string>();

    /// <summary>zproto's <c>server/timeout</c>: a client silent this long gets the <c>expired</c> event. Default 60 s.</summary>
    public TimeSpan ClientTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Log every event and action of every client (zproto's animate/verbose).</summary>
    public bool Verbose { get; set; }

    /// <summary>Messages a client may have waiting for a state that accepts them; past this the oldest is dropped and logged.</summary>
    public int MailboxLimit { get; set; } = 10_000;

    /// <summary>Outgoing high-water mark per peer; 0 (the default, as zbroker) is unbounded so replies are never dropped.</summary>
    public int SendHighWatermark { get; set; }

    /// <summary>CURVE security; null for none.</summary>
    public CurveServerOptions? Curve { get; set; }

    /// <summary>A context to share (inproc:// endpoints need one); null creates one the server owns.</summary>
    public ZmqContext? Context { get; set; }
}

/// <summary>CURVE settings of a server: its key pair and the client keys it admits.</summary>
public sealed class CurveServerOptions
{
    /// <summary>The server's public key (Z85).</summary>
    public required string PublicKey { get; set; }

    /// <summary>The server's secret key (Z85).</summary>
    public required string SecretKey { get; set; }

    /// <summary>Client public keys (Z85) allowed in; empty admits any client that knows the server key.</summary>
    public ISet<string> AllowedClientKeys { get; set; } = new HashSet<string>(StringComparer.Ordinal);
}
