using System;
using System.Collections.Generic;
using System.Linq;
using Zproto.Runtime.Zmq;

namespace Remctl.Tests;

/// <summary>
/// remctld's wire behaviour without any of our client code: a plain REQ (or DEALER) socket that
/// sends frames and returns the reply frames. Each call creates, uses and closes its socket on the
/// calling thread, as libzmq requires.
/// </summary>
internal static class RawReq
{
    private static readonly Lazy<ZmqContext> s_context = new(() => new ZmqContext());

    public static ZmqContext Context => s_context.Value;

    /// <summary>Sends <paramref name="request"/> on a fresh REQ socket and returns the reply's frames.</summary>
    public static List<byte[]> Exchange(string endpoint, IEnumerable<byte[]> request, int timeoutMs = 10_000)
    {
        using var socket = new ZmqSocket(Context, ZmqSocketType.Req) { ReceiveTimeout = TimeSpan.FromMilliseconds(timeoutMs) };
        socket.Connect(endpoint);
        socket.SendMultipart(Frames.Memory(request));
        return socket.ReceiveMultipart();
    }

    /// <summary>Sends the frames exactly as given from a DEALER (no envelope added) and returns the reply.</summary>
    public static List<byte[]> DealerExchange(string endpoint, IEnumerable<byte[]> frames, int timeoutMs = 10_000)
    {
        using var socket = new ZmqSocket(Context, ZmqSocketType.Dealer) { ReceiveTimeout = TimeSpan.FromMilliseconds(timeoutMs) };
        socket.Connect(endpoint);
        socket.SendMultipart(Frames.Memory(frames));
        return socket.ReceiveMultipart();
    }

    /// <summary>The '|' notation of the reply to <paramref name="request"/>.</summary>
    public static string Show(string endpoint, string request) => Frames.Show(Exchange(endpoint, Frames.Of(request)));

    /// <summary>
    /// An endpoint nothing listens on, for tests that start a server on it later. An abstract ipc
    /// name with a unique suffix, not a port that was free a moment ago: another process on this
    /// machine could take such a port in the meantime and answer (or refuse) in the server's place.
    /// </summary>
    public static string UnboundEndpoint() => $"ipc://@remctl-test-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public static bool SameFrames(IEnumerable<byte[]> expected, IEnumerable<byte[]> actual) =>
        expected.Count() == actual.Count() && expected.Zip(actual).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
}
