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

    /// <summary>Messages one client may have waiting in its mailbox. Past this (or <see cref="MailboxByteLimit"/>)
    /// nothing is dropped: the server sheds the message with a protocol answer when it can
    /// (<c>ZprotoServer.ShedStandIn</c>), else it stops reading its socket until the mailbox drains to half.
    /// Default 100,000; the byte limit is usually reached first.</summary>
    public int MailboxLimit { get; set; } = 100_000;

    /// <summary>Bytes one client may have waiting in its mailbox, counted as each message's encoded frames
    /// plus 128 bytes for the objects that hold it; see <see cref="MailboxLimit"/>. Default 16 MiB.</summary>
    public long MailboxByteLimit { get; set; } = 16L * 1024 * 1024;

    /// <summary>Messages waiting in all mailboxes together; past it the server sheds or stops reading
    /// until the total drains to half. Default 1,000,000.</summary>
    public int GlobalMailboxLimit { get; set; } = 1_000_000;

    /// <summary>Bytes waiting in all mailboxes together; see <see cref="GlobalMailboxLimit"/>. Default 128 MiB.</summary>
    public long GlobalMailboxByteLimit { get; set; } = 128L * 1024 * 1024;

    /// <summary>Shed stand-ins (a few bytes each) one client may have waiting before the server stops
    /// reading instead of shedding. Default 1,000,000.</summary>
    public int ShedLimit { get; set; } = 1_000_000;

    /// <summary>The largest inbound frame, in bytes, as <c>ZMQ_MAXMSGSIZE</c> on the server socket: libzmq
    /// disconnects a peer that announces a larger frame before buffering it. -1 is unlimited. Null (the
    /// default) takes the protocol's <c>max_size</c> from its model (zbroker 8 MiB + 1 KiB, ZCCP and zp 16 MiB),
    /// or <see cref="DefaultMaxMessageSize"/> when the model states none.</summary>
    public long? MaxMessageSize { get; set; }

    /// <summary>The inbound frame limit of a protocol whose model states no <c>max_size</c>: 16 MiB.</summary>
    public const long DefaultMaxMessageSize = 16L * 1024 * 1024;

    /// <summary>The largest whole inbound message (all its frames together), in bytes; 0 (the default) adds no
    /// limit beyond <see cref="MaxMessageSize"/> per frame. The frames of a larger message are still taken from
    /// libzmq, but past the limit they are discarded without being copied, and the message counts as malformed
    /// with <c>DecodeErrorKind.TooLarge</c> (see <c>ZprotoServer.MalformedEvent</c> to answer it).</summary>
    public long MaxMultipartSize { get; set; }

    /// <summary>Peers are REQ sockets (or DEALERs that add the envelope): every inbound message carries an empty
    /// delimiter frame after its routing id, which the server strips before decoding and puts back on every
    /// message it sends to that peer. A message without the delimiter is malformed, and anything sent to its
    /// peer goes without one, as that peer expects. Default false (zproto's DEALER peers).</summary>
    public bool RequestEnvelope { get; set; }

    /// <summary>Inbound messages libzmq queues per peer before it stops reading that peer's connection
    /// (<c>ZMQ_RCVHWM</c>). While the server reads, this queue is near empty; while it has paused reading,
    /// a peer can have up to this many messages of up to <see cref="MaxMessageSize"/> bytes per frame waiting.
    /// Default 1000 (libzmq's); lower it for protocols with large messages.</summary>
    public int ReceiveHighWatermark { get; set; } = 1000;

    /// <summary>Replies libzmq queues per peer (<c>ZMQ_SNDHWM</c>) before it refuses more for that peer. Default
    /// 1000 (libzmq's). A refused reply is never dropped: it waits in the peer's backlog
    /// (<see cref="PeerBacklogByteLimit"/>). With large replies, lower it: a peer that does not read can make
    /// the server hold this many replies plus the backlog. 0 is unbounded.</summary>
    public int SendHighWatermark { get; set; } = 1000;

    /// <summary>Bytes of replies that may wait for one peer once its send queue is full (each reply's frames
    /// plus 64 bytes). They go out in order as the peer reads; past this the peer is taken not to read at
    /// all: its session ends (logged, at most <see cref="MalformedLogLimit"/> lines per minute), the replies
    /// waiting are discarded, and its next message starts a new session. Default 16 MiB.</summary>
    public long PeerBacklogByteLimit { get; set; } = 16L * 1024 * 1024;

    /// <summary>At most this many log lines per peer per minute for malformed input; the rest are only
    /// counted (<c>MalformedMessages</c>), so a peer cannot grow the log at will. Default 10.</summary>
    public int MalformedLogLimit { get; set; } = 10;

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
