namespace Zproto.Runtime.Zmq.Interop;

/// <summary>The zmq_ctx_set/zmq_ctx_get option ids the runtime uses (values from zmq.h).</summary>
internal enum ZmqContextOption
{
    IoThreads = 1,
    MaxSockets = 2,
    Blocky = 70,
}
