namespace Zproto.Runtime.Zmq;

/// <summary>One event from a <see cref="ZmqMonitor"/>.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Value">The event's value; its meaning depends on <paramref name="Type"/> (a file
/// descriptor, an errno, an interval, a status code), see <see cref="ZmqMonitorEventType"/>.</param>
/// <param name="Endpoint">The endpoint it happened on, e.g. <c>tcp://127.0.0.1:41234</c>.</param>
public readonly record struct ZmqMonitorEvent(ZmqMonitorEventType Type, uint Value, string Endpoint);
