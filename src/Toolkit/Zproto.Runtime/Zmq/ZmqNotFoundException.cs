using System;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// No usable libzmq: the shared library is missing, or older than 4.3. Thrown by the first call
/// that needs the library (creating a <see cref="ZmqContext"/>, <see cref="Z85"/>,
/// <see cref="ZmqCurve"/>, <see cref="ZmqLibrary"/>); the message names the install command,
/// <c>apt-get install -y libzmq5</c>.
/// </summary>
public sealed class ZmqNotFoundException : DllNotFoundException
{
    /// <summary>Creates the exception with a complete message.</summary>
    public ZmqNotFoundException(string message)
        : base(message)
    {
    }
}
