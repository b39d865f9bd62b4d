using System;

namespace Zproto.Runtime.Zmq.Interop;

/// <summary>The errno values the binding branches on.</summary>
internal static class ZmqErrno
{
    /// <summary>libzmq's base for the error codes it defines itself (zmq.h ZMQ_HAUSNUMERO).</summary>
    private const int HausNumero = 156384712;

    /// <summary>Interrupted by a signal: the call is repeated.</summary>
    internal const int EINTR = 4;

    /// <summary>Invalid argument; also a too-small buffer for a string socket option.</summary>
    internal const int EINVAL = 22;

    /// <summary>The context was shut down or terminated (zmq.h ETERM).</summary>
    internal const int ETERM = HausNumero + 53;

    /// <summary>A ROUTER with ROUTER_MANDATORY has no peer with that routing id (113 on Linux, 65 on the BSD family).</summary>
    internal static readonly int EHOSTUNREACH =
        OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() || OperatingSystem.IsFreeBSD() ? 65 : 113;

    /// <summary>Nothing to receive, or no room to send, without blocking. The value differs
    /// between Linux/Windows (11) and the BSD family, macOS included (35).</summary>
    internal static readonly int EAGAIN =
        OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() || OperatingSystem.IsIOS()
        || OperatingSystem.IsTvOS() || OperatingSystem.IsFreeBSD()
            ? 35
            : 11;
}
