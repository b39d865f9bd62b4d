using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;
using Zproto.Echo;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>
/// A peer can send malformed frames at will, so with Debug off their path through the server (receive,
/// decode, count, decide not to log) must allocate nothing but the copies of the frames after the header
/// frame (which a decoded message would keep): the routing id and the header frame are read in place.
/// </summary>
public sealed class MalformedFloodAllocationTests(ITestOutputHelper output) : IDisposable
{
    private const int Peers = 4;
    private const int FramesPerPeer = 5_000;

    /// <summary>
    /// What the whole measurement may allocate on the engine thread beyond those frame copies: the two
    /// sampling commands themselves (completing a task whose continuation runs on the thread pool) and
    /// anything else paid once, not per frame. 16 KiB over 20,000 frames is under one byte a frame,
    /// while the smallest object (24 bytes) allocated per frame would be 480,000 bytes.
    /// </summary>
    private const long FixedAllowance = 16 * 1024;

    /// <summary>One message of each way the echo codec can reject, each a list of codec frames.</summary>
    private static readonly byte[][][] s_malformed =
    [
        [[1, 2, 3]],                                  // bad signature
        [[0xAA, 0xA7, 99]],                           // unknown message id
        [[0xAA, 0xA7, 3, 0, 0]],                      // ECHO cut short in its sequence
        [[0xAA, 0xA7, 5, 0]],                         // PING with a trailing octet
        [[0xAA, 0xA7, 1, 2, 0xC3, 0x28]],             // HELLO whose name is not UTF-8
        [[]],                                         // empty frame
        [[0xAA, 0xA7, 5], [7]],                       // PING with a frame it does not have
    ];

    private static readonly Dictionary<int, long> s_arrayBytes = [];
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp://127.0.0.1:*")]
    public async Task A_flood_of_malformed_frames_allocates_only_the_kept_frame_copies_on_the_engine_thread_when_debug_is_off(string transport)
    {
        var endpoint = transport == "inproc" ? $"inproc://malformed-flood-{Guid.NewGuid():N}" : transport;
        var logger = new ListLogger<EchoServer>(LogLevel.Information);
        await using var server = new EchoServer(new ServerOptions { Endpoints = { endpoint }, Context = _context }, logger);
        server.Start();
        var peers = Enumerable.Range(0, Peers).Select(i => Connect(server.Endpoints[0], i)).ToList();
        try
        {
            // One round of every kind first, so that what runs once (JIT, first-use type loads) is
            // paid before the measurement starts.
            foreach (var peer in peers)
                foreach (var message in s_malformed)
                    peer.SendMultipart(Frames(message));
            var warmUp = Peers * s_malformed.Length;
            WaitForMalformed(server, warmUp);

            var before = await server.Invoke(GC.GetAllocatedBytesForCurrentThread);
            // Sized once per kind: only the frames after the header frame are copied.
            var costs = s_malformed.Select(KeptBytes).ToArray();
            long expected = 0;
            for (var n = 0; n < FramesPerPeer; n++)
            {
                var kind = n % s_malformed.Length;
                for (var p = 0; p < Peers; p++)
                {
                    peers[p].SendMultipart(Frames(s_malformed[kind]));
                    expected += costs[kind];
                }
            }
            WaitForMalformed(server, warmUp + Peers * FramesPerPeer);
            var allocated = await server.Invoke(GC.GetAllocatedBytesForCurrentThread) - before;

            var extra = allocated - expected;
            output.WriteLine($"{transport}: {Peers * FramesPerPeer} malformed messages; engine thread allocated {allocated} bytes, " +
                $"{expected} of them the kept frame copies, {extra} beyond them ({(double)extra / (Peers * FramesPerPeer):F3} a message)");
            Assert.Equal(warmUp + Peers * FramesPerPeer, server.MalformedMessages);
            // Below the copies would mean the expectation counts frames the path no longer allocates.
            Assert.True(extra >= 0, $"the malformed path allocated {allocated} bytes, less than the {expected} bytes of kept frame copies");
            Assert.True(extra <= FixedAllowance,
                $"the malformed path allocated {extra} bytes beyond the {expected} bytes of kept frame copies " +
                $"({(double)extra / (Peers * FramesPerPeer):F1} a message; allowed {FixedAllowance} in all)");
            Assert.DoesNotContain(logger.Lines, line => line.Level < LogLevel.Information);
        }
        finally
        {
            foreach (var peer in peers)
                peer.Dispose();
        }
    }

    /// <summary>A DEALER with a known routing id, so the size of the routing id frame the server receives is known.</summary>
    private ZmqSocket Connect(string endpoint, int index)
    {
        var socket = new ZmqSocket(_context, ZmqSocketType.Dealer)
        {
            RoutingId = Encoding.ASCII.GetBytes($"flood-{index:D2}"),
            SendTimeout = TimeSpan.FromSeconds(30),
        };
        socket.Connect(endpoint);
        return socket;
    }

    private static ReadOnlyMemory<byte>[] Frames(byte[][] message) => message.Select(f => (ReadOnlyMemory<byte>)f).ToArray();

    /// <summary>
    /// What receiving <paramref name="message"/> may allocate: one array per frame after the header frame,
    /// copied out of libzmq for the message to keep (an empty frame is the shared empty array). The array
    /// sizes are measured on this thread rather than computed, so the runtime's object layout is not assumed.
    /// </summary>
    private static long KeptBytes(byte[][] message) => message.Skip(1).Sum(frame => ArrayBytes(frame.Length));

    private static long ArrayBytes(int length)
    {
        if (length == 0)
            return 0;
        if (!s_arrayBytes.TryGetValue(length, out var bytes))
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var array = new byte[length];
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(array);
            s_arrayBytes[length] = bytes;
        }
        return bytes;
    }

    private static void WaitForMalformed(EchoServer server, long count)
    {
        // Not a speed check: the deadline only turns a lost message into a failure instead of a hang.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (server.MalformedMessages < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the server counted {server.MalformedMessages} of {count} malformed messages");
            Thread.Sleep(10);
        }
    }
}
