using System;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// Socket monitor events (values from zmq.h). As flags they select what a <see cref="ZmqMonitor"/>
/// reports; each <see cref="ZmqMonitorEvent"/> carries exactly one. Transport events come from
/// tcp and ipc connections only, never from inproc.
/// </summary>
[Flags]
public enum ZmqMonitorEventType
{
    /// <summary>No event.</summary>
    None = 0,
    /// <summary>A connect succeeded. Value: the connection's file descriptor.</summary>
    Connected = 0x0001,
    /// <summary>A connect did not complete at once and is still in progress. Value: errno.</summary>
    ConnectDelayed = 0x0002,
    /// <summary>A reconnect was scheduled. Value: the reconnect interval in milliseconds.</summary>
    ConnectRetried = 0x0004,
    /// <summary>A bind succeeded. Value: the listening file descriptor.</summary>
    Listening = 0x0008,
    /// <summary>A bind failed. Value: errno.</summary>
    BindFailed = 0x0010,
    /// <summary>A connection was accepted. Value: the connection's file descriptor.</summary>
    Accepted = 0x0020,
    /// <summary>Accepting a connection failed. Value: errno.</summary>
    AcceptFailed = 0x0040,
    /// <summary>A connection's file descriptor was closed. Value: the descriptor.</summary>
    Closed = 0x0080,
    /// <summary>Closing a file descriptor failed. Value: errno.</summary>
    CloseFailed = 0x0100,
    /// <summary>A session was broken by the peer or the network. Value: the descriptor.</summary>
    Disconnected = 0x0200,
    /// <summary>Monitoring stopped; the last event of a monitor. Value: 0.</summary>
    MonitorStopped = 0x0400,
    /// <summary>The ZMTP handshake failed for an unspecified system reason. Value: errno.</summary>
    HandshakeFailedNoDetail = 0x0800,
    /// <summary>The ZMTP handshake, including any authentication, succeeded. Value: 0.</summary>
    HandshakeSucceeded = 0x1000,
    /// <summary>The ZMTP handshake failed on a protocol error. Value: a <c>ZMQ_PROTOCOL_ERROR_*</c> code.</summary>
    HandshakeFailedProtocol = 0x2000,
    /// <summary>Authentication failed. Value: the ZAP status code (300, 400 or 500).</summary>
    HandshakeFailedAuth = 0x4000,
    /// <summary>Every event (<c>ZMQ_EVENT_ALL</c>).</summary>
    All = 0xFFFF,
}
