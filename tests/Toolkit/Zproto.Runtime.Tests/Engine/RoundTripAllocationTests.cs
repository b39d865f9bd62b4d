using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
using Zproto.Echo;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>
/// The engine's share of a request/reply: with frames read in place, an ECHO round trip allocates on the
/// server's owner thread only what the protocol itself needs — the decoded ECHO (its record and the
/// body's copy) and the ECHO-OK the action builds — and nothing per message in the engine.
/// </summary>
public sealed class RoundTripAllocationTests(ITestOutputHelper output) : IDisposable
{
    private const int Messages = 2_000;

    /// <summary>What the measurement may allocate beyond the protocol's objects: the two sampling commands
    /// (a task and its continuation each) and what is paid once. 16 KiB over 2,000 round trips is 8 bytes
    /// a message, below the smallest object (24 bytes) allocated per message.</summary>
    private const long FixedAllowance = 16 * 1024;

    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task An_echo_round_trip_allocates_only_the_decoded_request_and_the_reply_on_the_server_thread()
    {
        await using var server = new EchoServer(new ServerOptions { Endpoints = { $"inproc://round-trip-allocation-{Guid.NewGuid():N}" }, Context = _context });
        server.Start();
        using var peer = new ZmqSocket(_context, ZmqSocketType.Dealer) { ReceiveTimeout = TimeSpan.FromSeconds(30), SendHighWatermark = 0, ReceiveHighWatermark = 0 };
        peer.Connect(server.Endpoints[0]);
        peer.SendMultipart(EchoMsg.EncodeFrames(new EchoMsg.Hello { Name = "allocation" }));
        using var reply = new ZmqMessageBuffer();
        Assert.True(reply.TryReceive(peer));
        var echo = EchoMsg.EncodeFrames(new EchoMsg.Echo { Sequence = 9, Body = new byte[16] });
        // Round trips before the measurement pay for what runs once (JIT, first-use type loads, the expiry timer).
        RoundTrips(peer, reply, echo, 200);

        var before = await server.Invoke(GC.GetAllocatedBytesForCurrentThread);
        RoundTrips(peer, reply, echo, Messages);
        var allocated = await server.Invoke(GC.GetAllocatedBytesForCurrentThread) - before;

        var expected = Messages * ProtocolBytes(echo);
        var extra = allocated - expected;
        output.WriteLine($"{Messages} round trips: server thread allocated {allocated} bytes, {expected} of them the decoded requests and the replies, {extra} beyond them");
        Assert.True(extra >= 0, $"the server allocated {allocated} bytes, less than the {expected} bytes of decoded requests and replies");
        Assert.True(extra <= FixedAllowance, $"the engine allocated {extra} bytes beyond the protocol's objects ({(double)extra / Messages:F1} a round trip)");
    }

    private static void RoundTrips(ZmqSocket peer, ZmqMessageBuffer reply, ReadOnlyMemory<byte>[] echo, int count)
    {
        for (var i = 0; i < count; i++)
            peer.SendMultipart(echo);
        for (var i = 0; i < count; i++)
        {
            Assert.True(reply.TryReceive(peer), $"reply {i} of {count} did not arrive");
            Assert.True(EchoMsg.TryDecode(reply[0], out var message, out _) && message is EchoMsg.EchoOk { Sequence: 9 });
        }
    }

    /// <summary>What decoding the ECHO and building the ECHO-OK allocate, measured on this thread (the layout
    /// of records and arrays is the runtime's, not assumed).</summary>
    private static long ProtocolBytes(ReadOnlyMemory<byte>[] echo)
    {
        var frames = new List<ReadOnlyMemory<byte>>(echo);
        long bytes = 0;
        for (var i = 0; i < 2; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.True(EchoMsg.TryDecode(frames, out var message, out _));
            var request = (EchoMsg.Echo)message;
            var answer = new EchoMsg.EchoOk { Sequence = request.Sequence, Body = request.Body };
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(answer);
        }
        return bytes;
    }
}
