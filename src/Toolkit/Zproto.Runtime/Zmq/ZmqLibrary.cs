using System;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>Facts about the libzmq the process loaded. All members are thread-safe.</summary>
public static class ZmqLibrary
{
    /// <summary>The oldest libzmq version the runtime accepts (4.3).</summary>
    public static Version MinimumVersion => LibZmq.MinimumVersion;

    /// <summary>The loaded libzmq's version (<c>zmq_version</c>).</summary>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than <see cref="MinimumVersion"/>.</exception>
    public static Version Version
    {
        get
        {
            LibZmq.EnsureAvailable();
            return LibZmq.ReadVersion();
        }
    }

    /// <summary>Loads libzmq and checks its version now rather than at first use, e.g. at startup.</summary>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than <see cref="MinimumVersion"/>.</exception>
    public static void EnsureAvailable() => LibZmq.EnsureAvailable();

    /// <summary>Whether libzmq was built with <paramref name="capability"/> (<c>zmq_has</c>):
    /// a transport (<c>ipc</c>, <c>pgm</c>, <c>tipc</c>, <c>norm</c>) or a mechanism (<c>curve</c>, <c>gssapi</c>).</summary>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than <see cref="MinimumVersion"/>.</exception>
    public static bool Has(string capability)
    {
        ArgumentNullException.ThrowIfNull(capability);
        LibZmq.EnsureAvailable();
        return LibZmq.zmq_has(capability) != 0;
    }
}
