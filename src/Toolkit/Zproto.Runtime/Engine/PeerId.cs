using System;

namespace Zproto.Runtime.Engine;

/// <summary>
/// A routing id as a log argument: hex-encoded only when a log line is actually written, so a
/// peer flooding the server with bad frames costs no string per frame while Debug is off.
/// </summary>
internal readonly struct PeerId(byte[]? routingId)
{
    public override string ToString() => routingId is null ? "?" : Convert.ToHexStringLower(routingId);
}
