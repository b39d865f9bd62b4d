using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Remctl;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Reliability.Tests;

/// <summary>remctl's handler cap, its bounded queue and its request size limit, counted exactly.</summary>
public sealed class RemctlLimitsTests : IDisposable
{
    private readonly ZmqContext _context = new();

    private static List<ReadOnlyMemory<byte>> Request(params string[] arguments)
    {
        // A DEALER speaks for a REQ peer by sending the empty delimiter itself.
        var frames = new List<ReadOnlyMemory<byte>> { Array.Empty<byte>(), "ARGUMENT"u8.ToArray(), Encoding.ASCII.GetBytes(arguments.Length.ToString()) };
        foreach (var argument in arguments)
            frames.Add(Encoding.UTF8.GetBytes(argument));
        frames.Add("ENVIRONMENT"u8.ToArray());
        frames.Add("0"u8.ToArray());
        return frames;
    }

    /// <summary>Sends one request from each of <paramref name="peers"/> DEALERs and returns the status of each reply ("RETURNCODE 0", "ERRORCODE 1").</summary>
    private List<string> SendFromPeers(string endpoint, int peers, string[] arguments, Action<List<string>>? onReply = null)
    {
        var sockets = new List<ZmqSocket>();
        var statuses = new List<string>();
        try
        {
            for (var i = 0; i < peers; i++)
            {
                var socket = new ZmqSocket(_context, ZmqSocketType.Dealer) { ReceiveTimeout = TimeSpan.FromSeconds(60) };
                sockets.Add(socket);
                socket.Connect(endpoint);
                socket.SendMultipart(Request(arguments));
            }
            var poller = new ZmqPoller();
            foreach (var socket in sockets)
                poller.Add(socket);
            var answered = new bool[peers];
            var frames = new List<byte[]>();
            while (statuses.Count < peers)
            {
                Assert.True(poller.Poll(TimeSpan.FromSeconds(60)) > 0, $"{peers - statuses.Count} requests unanswered after 60 s");
                for (var i = 0; i < peers; i++)
                {
                    if ((poller.GetReadyEvents(i) & ZmqPollEvents.In) == 0 || !sockets[i].TryReceiveMultipart(frames, dontWait: true))
                        continue;
                    Assert.False(answered[i], $"peer {i} got two replies");
                    answered[i] = true;
                    statuses.Add($"{Encoding.ASCII.GetString(frames[^2])} {Encoding.ASCII.GetString(frames[^1])}");
                    onReply?.Invoke(statuses);
                }
            }
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }
        return statuses;
    }

    [Fact]
    public async Task Three_hundred_concurrent_slow_requests_run_at_most_the_configured_number_at_once_and_all_are_answered()
    {
        var running = 0;
        var peak = 0;
        await using var server = new RemctlServer(new RemctlServerOptions { MaxConcurrentHandlers = 8, Context = _context });
        server.Map("slow", async context =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref running);
            return 0;
        });
        server.Start("tcp://127.0.0.1:*");
        var statuses = await Task.Run(() => SendFromPeers(server.Endpoint!, 300, ["slow"]));
        Assert.Equal(300, statuses.Count);
        Assert.All(statuses, s => Assert.Equal("RETURNCODE 0", s));
        Assert.InRange(peak, 1, 8);
    }

    [Fact]
    public async Task Requests_beyond_the_queue_get_errorcode_1_at_once_and_the_rest_run_when_slots_free()
    {
        using var release = new ManualResetEventSlim();
        await using var server = new RemctlServer(new RemctlServerOptions { MaxConcurrentHandlers = 4, MaxQueuedRequests = 6, Context = _context });
        server.Map("block", context =>
        {
            release.Wait(TimeSpan.FromSeconds(60));
            return 0;
        });
        server.Start("tcp://127.0.0.1:*");
        // Refusals come at once while every slot is blocked; only after all 20 are the slots freed.
        var statuses = await Task.Run(() => SendFromPeers(server.Endpoint!, 30, ["block"], onReply: replies =>
        {
            if (replies.Count == 20)
                release.Set();
        }));
        Assert.Equal(20, statuses.FindAll(s => s == "ERRORCODE 1").Count);
        Assert.Equal(10, statuses.FindAll(s => s == "RETURNCODE 0").Count);
        Assert.All(statuses.GetRange(0, 20), s => Assert.Equal("ERRORCODE 1", s));
    }

    [Fact]
    public async Task A_frame_over_the_request_limit_is_refused_by_libzmq_unbuffered_and_the_server_goes_on()
    {
        await using var server = new RemctlServer(new RemctlServerOptions { MaxRequestBytes = 64 * 1024, Context = _context });
        server.Map("ok", _ => 0);
        server.Start("tcp://127.0.0.1:*");
        await Task.Run(() =>
        {
            using (var big = new ZmqSocket(_context, ZmqSocketType.Dealer) { ReceiveTimeout = TimeSpan.FromSeconds(1) })
            {
                big.Connect(server.Endpoint!);
                big.SendMultipart(Request("ok", new string('x', 1024 * 1024)));
                // libzmq drops the connection at the frame header: no reply can come.
                Assert.False(big.TryReceiveMultipart(new List<byte[]>()));
            }
            Assert.Equal(["RETURNCODE 0"], SendFromPeers(server.Endpoint!, 1, ["ok"]));
        });
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    public void Dispose() => _context.Dispose();
}
