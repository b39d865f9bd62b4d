namespace Zproto.Runtime.Zmq.Interop;

/// <summary>The zmq_setsockopt/zmq_getsockopt option ids the runtime uses (values from zmq.h).</summary>
internal enum ZmqSocketOption
{
    RoutingId = 5,
    Subscribe = 6,
    Unsubscribe = 7,
    Fd = 14,
    Events = 15,
    Linger = 17,
    ReconnectInterval = 18,
    ReconnectIntervalMax = 21,
    MaxMessageSize = 22,
    SendHighWatermark = 23,
    ReceiveHighWatermark = 24,
    ReceiveTimeout = 27,
    SendTimeout = 28,
    LastEndpoint = 32,
    RouterMandatory = 33,
    Immediate = 39,
    CurveServer = 47,
    CurvePublicKey = 48,
    CurveSecretKey = 49,
    CurveServerKey = 50,
    ZapDomain = 55,
    HeartbeatInterval = 75,
    HeartbeatTtl = 76,
    HeartbeatTimeout = 77,
}
