using System;
using Zproto.Runtime.Zmq;

namespace Zp.Client;

/// <summary>How to reach and authenticate to a zpd.</summary>
public sealed class ZpConnectOptions
{
    /// <summary>The zpd endpoint, e.g. <c>tcp://host:6522</c>.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The local user on the server host to act as.</summary>
    public required string User { get; init; }

    /// <summary>This client's persistent id (jobs are owned by user and client id).</summary>
    public required string ClientId { get; init; }

    /// <summary>The server's CURVE public key (Z85), from known_hosts; null only for non-tcp test endpoints without CURVE.</summary>
    public string? ServerKey { get; init; }

    /// <summary>This client's CURVE key pair (its identity).</summary>
    public ZmqCurveKeyPair? ClientKeys { get; init; }

    /// <summary>How long to wait for the session to open; a CURVE key mismatch looks exactly like an unreachable server.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Heartbeat interval; the session is re-opened after three silent intervals.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Re-open attempts (one per second) before the connection is declared lost.</summary>
    public int MaxReconnectAttempts { get; init; } = 30;
}

/// <summary>The server could not be reached, refused the session, or the session was lost for good. CLIs exit 255.</summary>
public sealed class ZpTransportException(string message) : Exception(message);

/// <summary>The server answered a request with ERROR (e.g. 404 no such job, 400 no command).</summary>
public sealed class ZpRequestException(ushort code, string reason) : Exception($"{code} {reason}")
{
    /// <summary>The status code (4xx/5xx).</summary>
    public ushort Code { get; } = code;

    /// <summary>The server's explanation.</summary>
    public string Reason { get; } = reason;
}
