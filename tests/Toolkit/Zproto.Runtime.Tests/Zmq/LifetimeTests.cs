using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class LifetimeTests
{
    private static readonly Dictionary<string, Action<ZmqSocket>> s_socketMembers = new()
    {
        { "SocketType", s => _ = s.SocketType },
        { "Bind", s => s.Bind("inproc://x") },
        { "Unbind", s => s.Unbind("inproc://x") },
        { "Connect", s => s.Connect("inproc://x") },
        { "Disconnect", s => s.Disconnect("inproc://x") },
        { "TrySend", s => s.TrySend([1], more: false) },
        { "Send", s => s.Send([1]) },
        { "TrySendMultipart", s => s.TrySendMultipart(Frames.Of("a")) },
        { "SendMultipart", s => s.SendMultipart(Frames.Of("a")) },
        { "TryReceiveFrame", s => s.TryReceiveFrame(out _, out _, dontWait: true) },
        { "ReceiveFrame", s => s.ReceiveFrame(out _) },
        { "TryReceiveMultipart", s => s.TryReceiveMultipart(new List<byte[]>(), dontWait: true) },
        { "ReceiveMultipart", s => s.ReceiveMultipart() },
        { "Linger", s => s.Linger = TimeSpan.Zero },
        { "RoutingId", s => _ = s.RoutingId },
        { "CurveServerKey", s => _ = s.CurveServerKey },
        { "ZapDomain", s => _ = s.ZapDomain },
        { "LastEndpoint", s => _ = s.LastEndpoint },
        { "Events", s => _ = s.Events },
        { "FileDescriptor", s => _ = s.FileDescriptor },
        { "Subscribe", s => s.Subscribe("a") },
        { "Poller.Add", s => new ZmqPoller().Add(s) },
        { "Monitor", s => new ZmqMonitor(s).Dispose() },
    };

    public static TheoryData<string> SocketMembers => [.. s_socketMembers.Keys];

    [Theory]
    [MemberData(nameof(SocketMembers))]
    public void Socket_members_throw_object_disposed_after_dispose(string member)
    {
        using var context = new ZmqContext();
        var socket = new ZmqSocket(context, ZmqSocketType.Sub);
        socket.Dispose();
        socket.Dispose();

        Assert.Throws<ObjectDisposedException>(() => s_socketMembers[member](socket));
    }

    [Fact]
    public void Context_members_and_new_sockets_throw_object_disposed_after_dispose()
    {
        var context = new ZmqContext();
        context.Dispose();
        context.Dispose();

        Assert.Throws<ObjectDisposedException>(() => context.IoThreads);
        Assert.Throws<ObjectDisposedException>(() => context.MaxSockets = 10);
        Assert.Throws<ObjectDisposedException>(() => new ZmqSocket(context, ZmqSocketType.Pair));
    }

    [Fact]
    public void Polling_a_disposed_socket_throws_object_disposed()
    {
        using var context = new ZmqContext();
        var socket = new ZmqSocket(context, ZmqSocketType.Pull);
        var poller = new ZmqPoller();
        poller.Add(socket);
        socket.Dispose();

        Assert.Throws<ObjectDisposedException>(() => poller.Poll(TimeSpan.Zero));
    }

    [Fact]
    public async Task Context_dispose_with_open_sockets_and_zero_linger_returns_promptly()
    {
        var context = new ZmqContext();
        var server = new ZmqSocket(context, ZmqSocketType.Router) { Linger = TimeSpan.Zero };
        server.Bind("tcp://127.0.0.1:*");
        var client = new ZmqSocket(context, ZmqSocketType.Dealer) { Linger = TimeSpan.Zero };
        client.Connect(server.LastEndpoint);
        for (int i = 0; i < 100; i++)
        {
            client.Send(Frames.Utf8($"unread {i}"));
        }

        Task dispose = Task.Run(context.Dispose);
        Assert.True(await CompletesWithin(dispose, Frames.Patience), "Context.Dispose did not return.");

        // The sockets now only learn of the termination and close; the last close terminates the context.
        // A non-blocking send looks at the socket's command mailbox at most once per ~1 ms (libzmq throttles
        // command processing), so the first sends after the shutdown may still succeed: poll until one fails.
        Assert.True(SendFailsWithContextTerminated(client), "A send never reported the context's termination.");
        Task close = Task.Run(() =>
        {
            client.Dispose();
            server.Dispose();
        });
        Assert.True(await CompletesWithin(close, Frames.Patience), "Closing the last socket did not terminate the context.");
    }

    [Fact]
    public async Task Context_dispose_interrupts_a_blocked_receive_with_context_terminated()
    {
        var context = new ZmqContext();
        using var bound = new ManualResetEventSlim();
        Task<Exception?> receiver = Task.Factory.StartNew(
            () =>
            {
                // The socket lives and dies on this thread, its owner.
                using var pull = new ZmqSocket(context, ZmqSocketType.Pull);
                pull.Bind("inproc://blocked");
                bound.Set();
                try
                {
                    pull.TryReceiveFrame(out _, out _);
                    return null;
                }
                catch (Exception error)
                {
                    return error;
                }
            },
            TaskCreationOptions.LongRunning);
        Assert.True(bound.Wait(Frames.Patience));

        context.Dispose();

        Assert.True(await CompletesWithin(receiver, Frames.Patience), "The blocked receive was not interrupted.");
        var error = Assert.IsType<ZmqContextTerminatedException>(await receiver);
        Assert.Equal(156384712 + 53, error.Errno);
    }

    private static bool SendFailsWithContextTerminated(ZmqSocket socket)
    {
        long deadline = Environment.TickCount64 + (long)Frames.Patience.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            try
            {
                socket.TrySend(Frames.Utf8("late"), more: false);
            }
            catch (ZmqContextTerminatedException)
            {
                return true;
            }
            Thread.Sleep(2);
        }
        return false;
    }

    private static async Task<bool> CompletesWithin(Task task, TimeSpan bound) =>
        await Task.WhenAny(task, Task.Delay(bound)) == task;
}
