using System;
using System.Text;
using System.Threading;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

public sealed partial class ZmqSocket
{
    /// <summary>Length of a binary CURVE key.</summary>
    private const int CurveKeyLength = 32;

    /// <summary>Length of a Z85 CURVE key.</summary>
    private const int CurveKeyZ85Length = 40;

    /// <summary>Where <see cref="GetString"/> stops growing its buffer; far beyond any real endpoint.</summary>
    private const int MaxStringOptionLength = 64 * 1024;

    private bool _routerMandatory;

    /// <summary>The most messages queued for sending per peer before the socket blocks or drops,
    /// depending on its type (<c>ZMQ_SNDHWM</c>; 0 = unlimited; default 1000).</summary>
    public int SendHighWatermark
    {
        get => GetInt32(ZmqSocketOption.SendHighWatermark);
        set => SetInt32(ZmqSocketOption.SendHighWatermark, value);
    }

    /// <summary>The most messages queued on receipt per peer (<c>ZMQ_RCVHWM</c>; 0 = unlimited; default 1000).</summary>
    public int ReceiveHighWatermark
    {
        get => GetInt32(ZmqSocketOption.ReceiveHighWatermark);
        set => SetInt32(ZmqSocketOption.ReceiveHighWatermark, value);
    }

    /// <summary>The largest inbound message libzmq accepts, in bytes (<c>ZMQ_MAXMSGSIZE</c>; -1, the
    /// default, is unlimited). A peer that announces a larger frame is disconnected by libzmq while
    /// reading the frame's header, before any of its body is buffered, so the limit bounds memory
    /// per peer; the peer gets no answer (it reconnects as a new peer). Set it before bind/connect.</summary>
    public long MaxMessageSize
    {
        get => GetValue<long>(ZmqSocketOption.MaxMessageSize);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, -1);
            SetValue(ZmqSocketOption.MaxMessageSize, value);
        }
    }

    /// <summary>How long undelivered messages are kept after <see cref="Dispose"/> (<c>ZMQ_LINGER</c>):
    /// <see cref="TimeSpan.Zero"/> (the runtime's default) drops them, <see cref="Timeout.InfiniteTimeSpan"/>
    /// keeps them until delivered, which also holds up the context's termination.</summary>
    public TimeSpan Linger
    {
        get => GetMilliseconds(ZmqSocketOption.Linger);
        set => SetMilliseconds(ZmqSocketOption.Linger, value);
    }

    /// <summary>The identity a ROUTER peer sees for this socket (<c>ZMQ_ROUTING_ID</c>): 1 to 255
    /// bytes, set before connecting. Empty when unset (the ROUTER then makes one up).</summary>
    /// <exception cref="ArgumentException">Set to an empty or over-long value.</exception>
    public byte[] RoutingId
    {
        get => GetBytes(ZmqSocketOption.RoutingId, stackalloc byte[255]);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length is 0 or > 255)
            {
                throw new ArgumentException($"A routing id is 1 to 255 bytes, not {value.Length}.", nameof(value));
            }

            SetBytes(ZmqSocketOption.RoutingId, value);
        }
    }

    /// <summary>On a ROUTER: fail sends to an unknown routing id with EHOSTUNREACH instead of dropping
    /// them silently (<c>ZMQ_ROUTER_MANDATORY</c>; default <see langword="false"/>).</summary>
    /// <remarks>libzmq cannot read this option back, so the getter returns the value last set here;
    /// that is exact because the native socket is reachable only through this object.</remarks>
    public bool RouterMandatory
    {
        get
        {
            ThrowIfDisposed();
            return _routerMandatory;
        }
        set
        {
            SetInt32(ZmqSocketOption.RouterMandatory, value ? 1 : 0);
            _routerMandatory = value;
        }
    }

    /// <summary>How long a receive waits (<c>ZMQ_RCVTIMEO</c>): <see cref="Timeout.InfiniteTimeSpan"/>
    /// (the default) waits for ever, <see cref="TimeSpan.Zero"/> never waits.</summary>
    public TimeSpan ReceiveTimeout
    {
        get => GetMilliseconds(ZmqSocketOption.ReceiveTimeout);
        set => SetMilliseconds(ZmqSocketOption.ReceiveTimeout, value);
    }

    /// <summary>How long a send waits for room (<c>ZMQ_SNDTIMEO</c>): <see cref="Timeout.InfiniteTimeSpan"/>
    /// (the default) waits for ever, <see cref="TimeSpan.Zero"/> never waits.</summary>
    public TimeSpan SendTimeout
    {
        get => GetMilliseconds(ZmqSocketOption.SendTimeout);
        set => SetMilliseconds(ZmqSocketOption.SendTimeout, value);
    }

    /// <summary>The delay before reconnecting to a lost peer (<c>ZMQ_RECONNECT_IVL</c>; default 100 ms);
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables reconnection.</summary>
    public TimeSpan ReconnectInterval
    {
        get => GetMilliseconds(ZmqSocketOption.ReconnectInterval);
        set => SetMilliseconds(ZmqSocketOption.ReconnectInterval, value);
    }

    /// <summary>The ceiling of the doubling reconnect delay (<c>ZMQ_RECONNECT_IVL_MAX</c>);
    /// <see cref="TimeSpan.Zero"/> (the default) keeps the delay at <see cref="ReconnectInterval"/>.</summary>
    public TimeSpan ReconnectIntervalMax
    {
        get => GetMilliseconds(ZmqSocketOption.ReconnectIntervalMax);
        set => SetMilliseconds(ZmqSocketOption.ReconnectIntervalMax, value);
    }

    /// <summary>How often to send a ZMTP PING on an otherwise quiet connection (<c>ZMQ_HEARTBEAT_IVL</c>);
    /// <see cref="TimeSpan.Zero"/> (the default) sends none.</summary>
    public TimeSpan HeartbeatInterval
    {
        get => GetMilliseconds(ZmqSocketOption.HeartbeatInterval);
        set => SetMilliseconds(ZmqSocketOption.HeartbeatInterval, value);
    }

    /// <summary>How long to wait for any traffic after a PING before dropping the connection
    /// (<c>ZMQ_HEARTBEAT_TIMEOUT</c>); <see cref="Timeout.InfiniteTimeSpan"/>, the default, means
    /// "the same as <see cref="HeartbeatInterval"/>".</summary>
    public TimeSpan HeartbeatTimeout
    {
        get => GetMilliseconds(ZmqSocketOption.HeartbeatTimeout);
        set => SetMilliseconds(ZmqSocketOption.HeartbeatTimeout, value);
    }

    /// <summary>How long the peer should wait for traffic from this socket before dropping the
    /// connection, sent in each PING (<c>ZMQ_HEARTBEAT_TTL</c>; up to 6553.5 s, kept to tenths
    /// of a second; <see cref="TimeSpan.Zero"/>, the default, sends none).</summary>
    public TimeSpan HeartbeatTtl
    {
        get => GetMilliseconds(ZmqSocketOption.HeartbeatTtl);
        set => SetMilliseconds(ZmqSocketOption.HeartbeatTtl, value);
    }

    /// <summary>Queue messages only for completed connections, so sends block or fail instead of
    /// piling up for a peer that is not there yet (<c>ZMQ_IMMEDIATE</c>; default <see langword="false"/>).</summary>
    public bool Immediate
    {
        get => GetInt32(ZmqSocketOption.Immediate) != 0;
        set => SetInt32(ZmqSocketOption.Immediate, value ? 1 : 0);
    }

    /// <summary>Act as a CURVE server: clients must know its public key (<c>ZMQ_CURVE_SERVER</c>).
    /// Set it, and <see cref="CurveSecretKey"/>, before binding.</summary>
    public bool CurveServer
    {
        get => GetInt32(ZmqSocketOption.CurveServer) != 0;
        set => SetInt32(ZmqSocketOption.CurveServer, value ? 1 : 0);
    }

    /// <summary>This socket's long-term CURVE public key in Z85 (<c>ZMQ_CURVE_PUBLICKEY</c>); a client
    /// sets it with <see cref="CurveSecretKey"/> and <see cref="CurveServerKey"/> before connecting.</summary>
    /// <exception cref="FormatException">Set to text that is not a 40-character Z85 key.</exception>
    public string CurvePublicKey
    {
        get => GetCurveKey(ZmqSocketOption.CurvePublicKey);
        set => SetCurveKey(ZmqSocketOption.CurvePublicKey, value);
    }

    /// <summary>This socket's long-term CURVE secret key in Z85 (<c>ZMQ_CURVE_SECRETKEY</c>).</summary>
    /// <exception cref="FormatException">Set to text that is not a 40-character Z85 key.</exception>
    public string CurveSecretKey
    {
        get => GetCurveKey(ZmqSocketOption.CurveSecretKey);
        set => SetCurveKey(ZmqSocketOption.CurveSecretKey, value);
    }

    /// <summary>On a CURVE client: the server's public key in Z85 (<c>ZMQ_CURVE_SERVERKEY</c>);
    /// setting it makes the socket a CURVE client.</summary>
    /// <exception cref="FormatException">Set to text that is not a 40-character Z85 key.</exception>
    public string CurveServerKey
    {
        get => GetCurveKey(ZmqSocketOption.CurveServerKey);
        set => SetCurveKey(ZmqSocketOption.CurveServerKey, value);
    }

    /// <summary>The ZAP domain sent to the authentication handler (<c>ZMQ_ZAP_DOMAIN</c>; empty by default).</summary>
    public string ZapDomain
    {
        get => GetString(ZmqSocketOption.ZapDomain);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            SetBytes(ZmqSocketOption.ZapDomain, Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>Whether a message can be received or sent right now without blocking (<c>ZMQ_EVENTS</c>).</summary>
    public ZmqPollEvents Events => (ZmqPollEvents)GetInt32(ZmqSocketOption.Events);

    /// <summary>
    /// The file descriptor (a <c>SOCKET</c> on Windows) libzmq signals when <see cref="Events"/> may
    /// have changed (<c>ZMQ_FD</c>), for integrating a socket into another event loop. It is
    /// edge-triggered and says nothing about which event: re-read <see cref="Events"/> and drain
    /// the socket each time it fires. Never read or write it.
    /// </summary>
    public unsafe nint FileDescriptor
    {
        get
        {
            ThrowIfDisposed();
            if (OperatingSystem.IsWindows())
            {
                nint socket = 0;
                GetOption(ZmqSocketOption.Fd, &socket, (nuint)sizeof(nint));
                return socket;
            }

            int fd = 0;
            GetOption(ZmqSocketOption.Fd, &fd, sizeof(int));
            return fd;
        }
    }

    /// <summary>The endpoint most recently bound or connected, resolved: after binding
    /// <c>tcp://127.0.0.1:*</c> it names the port chosen, e.g. <c>tcp://127.0.0.1:41234</c>
    /// (<c>ZMQ_LAST_ENDPOINT</c>). Empty before any bind or connect.</summary>
    public string LastEndpoint => GetString(ZmqSocketOption.LastEndpoint);

    /// <summary>On a SUB socket: receive messages whose first frame starts with <paramref name="prefix"/>
    /// (<c>ZMQ_SUBSCRIBE</c>); an empty prefix matches everything. Subscriptions are counted:
    /// each needs its own <see cref="Unsubscribe(ReadOnlySpan{byte})"/>.</summary>
    public void Subscribe(ReadOnlySpan<byte> prefix) => SetBytes(ZmqSocketOption.Subscribe, prefix);

    /// <summary>Subscribes to the UTF-8 bytes of <paramref name="prefix"/>; see <see cref="Subscribe(ReadOnlySpan{byte})"/>.</summary>
    public void Subscribe(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Subscribe(Encoding.UTF8.GetBytes(prefix));
    }

    /// <summary>On a SUB socket: removes one earlier subscription to <paramref name="prefix"/> (<c>ZMQ_UNSUBSCRIBE</c>).</summary>
    public void Unsubscribe(ReadOnlySpan<byte> prefix) => SetBytes(ZmqSocketOption.Unsubscribe, prefix);

    /// <summary>Unsubscribes from the UTF-8 bytes of <paramref name="prefix"/>; see <see cref="Unsubscribe(ReadOnlySpan{byte})"/>.</summary>
    public void Unsubscribe(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Unsubscribe(Encoding.UTF8.GetBytes(prefix));
    }

    /// <summary>Sets <see cref="CurvePublicKey"/> from the 32-byte binary key.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public void SetCurvePublicKey(ReadOnlySpan<byte> key) => SetCurveKey(ZmqSocketOption.CurvePublicKey, key);

    /// <summary>Sets <see cref="CurveSecretKey"/> from the 32-byte binary key.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public void SetCurveSecretKey(ReadOnlySpan<byte> key) => SetCurveKey(ZmqSocketOption.CurveSecretKey, key);

    /// <summary>Sets <see cref="CurveServerKey"/> from the 32-byte binary key.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public void SetCurveServerKey(ReadOnlySpan<byte> key) => SetCurveKey(ZmqSocketOption.CurveServerKey, key);

    private TimeSpan GetMilliseconds(ZmqSocketOption option)
    {
        int milliseconds = GetInt32(option);
        return milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);
    }

    private void SetMilliseconds(ZmqSocketOption option, TimeSpan value) =>
        SetInt32(option, ZmqMilliseconds.From(value, nameof(value)));

    private int GetInt32(ZmqSocketOption option) => GetValue<int>(option);

    private void SetInt32(ZmqSocketOption option, int value) => SetValue(option, value);

    private unsafe T GetValue<T>(ZmqSocketOption option)
        where T : unmanaged
    {
        ThrowIfDisposed();
        T value = default;
        GetOption(option, &value, (nuint)sizeof(T));
        return value;
    }

    private unsafe void SetValue<T>(ZmqSocketOption option, T value)
        where T : unmanaged
    {
        ThrowIfDisposed();
        SetOption(option, &value, (nuint)sizeof(T));
    }

    private unsafe byte[] GetBytes(ZmqSocketOption option, Span<byte> buffer)
    {
        ThrowIfDisposed();
        fixed (byte* bytes = buffer)
        {
            return buffer[..(int)GetOption(option, bytes, (nuint)buffer.Length)].ToArray();
        }
    }

    private unsafe void SetBytes(ZmqSocketOption option, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        fixed (byte* bytes = value)
        {
            SetOption(option, bytes, (nuint)value.Length);
        }
    }

    /// <summary>Reads a NUL-terminated string option, growing the buffer while libzmq reports it too
    /// small (EINVAL): endpoints have no fixed maximum length.</summary>
    private unsafe string GetString(ZmqSocketOption option)
    {
        ThrowIfDisposed();
        for (int capacity = 256; ; capacity *= 2)
        {
            byte[] buffer = new byte[capacity];
            nuint length = (nuint)capacity;
            fixed (byte* bytes = buffer)
            {
                if (LibZmq.zmq_getsockopt(_handle, option, bytes, &length) == 0)
                {
                    int text = buffer.AsSpan(0, (int)length).IndexOf((byte)0);
                    return Encoding.UTF8.GetString(buffer, 0, text < 0 ? (int)length : text);
                }
            }

            int errno = LibZmq.LastErrno();
            if (errno != ZmqErrno.EINVAL || capacity >= MaxStringOptionLength)
            {
                throw ZmqException.FromErrno(errno, $"Reading socket option {option}");
            }
        }
    }

    private string GetCurveKey(ZmqSocketOption option)
    {
        // Asking for 41 bytes makes libzmq return the key in Z85 with a terminating NUL.
        Span<byte> z85 = stackalloc byte[CurveKeyZ85Length + 1];
        byte[] key = GetBytes(option, z85);
        return Encoding.ASCII.GetString(key, 0, CurveKeyZ85Length);
    }

    private void SetCurveKey(ZmqSocketOption option, string z85Key)
    {
        ArgumentNullException.ThrowIfNull(z85Key);
        if (z85Key.Length != CurveKeyZ85Length)
        {
            throw new FormatException($"A Z85 CURVE key is {CurveKeyZ85Length} characters, not {z85Key.Length}.");
        }

        // Decoding here reports bad text as a FormatException rather than libzmq's bare EINVAL.
        SetCurveKey(option, Z85.Decode(z85Key));
    }

    private void SetCurveKey(ZmqSocketOption option, ReadOnlySpan<byte> key)
    {
        if (key.Length != CurveKeyLength)
        {
            throw new ArgumentException($"A binary CURVE key is {CurveKeyLength} bytes, not {key.Length}.", nameof(key));
        }

        SetBytes(option, key);
    }

    /// <returns>The option's length as libzmq reported it.</returns>
    private unsafe nuint GetOption(ZmqSocketOption option, void* value, nuint capacity)
    {
        nuint length = capacity;
        if (LibZmq.zmq_getsockopt(_handle, option, value, &length) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Reading socket option {option}");
        }

        return length;
    }

    private unsafe void SetOption(ZmqSocketOption option, void* value, nuint length)
    {
        if (LibZmq.zmq_setsockopt(_handle, option, value, length) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), $"Setting socket option {option}");
        }
    }
}
