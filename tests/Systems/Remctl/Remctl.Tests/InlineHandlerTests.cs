using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Remctl.Tests;

/// <summary>Routes that run their handler on the server's thread (<see cref="RemctlRoute.RunInline"/>):
/// where the handler runs, handlers that do not complete synchronously, failures, and the handler
/// slots they share with the pooled routes.</summary>
public class InlineHandlerTests
{
    /// <summary>The thread a handler runs on: the pool, or the server's owner thread (named after its machine).</summary>
    private static string Where() => Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name ?? "unnamed";

    private static int WriteWhere(RemctlContext context)
    {
        context.Out.Write(Where());
        return 0;
    }

    [Fact]
    public void An_inline_route_runs_on_the_server_thread_and_a_default_one_on_the_pool()
    {
        using var server = TestServer.Start(s =>
        {
            Assert.True(s.Map("inline", WriteWhere).RunInline().RunsInline);
            Assert.False(s.Map("pooled", WriteWhere).RunsInline);
        });

        Assert.Equal("OUTPUT|1|remctl_backend|RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|1|inline"));
        Assert.Equal("OUTPUT|1|pool|RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|1|pooled"));
    }

    [Fact]
    public void An_inline_handler_that_does_not_complete_synchronously_is_answered_when_it_completes()
    {
        using var server = TestServer.Start(s =>
        {
            s.Map("yield", async context =>
            {
                await Task.Yield();
                context.Out.Write("after a yield");
                return 3;
            }).RunInline();
            s.Map("delay", async context =>
            {
                context.Out.Write("before ");
                await Task.Delay(50);
                context.Out.Write("after");
                return 4;
            }).RunInline();
        });

        Assert.Equal("OUTPUT|1|after a yield|RETURNCODE|3", RawReq.Show(server.Endpoint!, "ARGUMENT|1|yield"));
        Assert.Equal("OUTPUT|1|before |OUTPUT|1|after|RETURNCODE|4", RawReq.Show(server.Endpoint!, "ARGUMENT|1|delay"));
    }

    [Fact]
    public void An_inline_handler_that_throws_costs_its_request_only()
    {
        using var server = TestServer.Start(s =>
        {
            s.Map("bug", new Func<RemctlContext, int>(_ => throw new InvalidOperationException("bug"))).RunInline();
            s.Map("denied", new Func<RemctlContext, int>(_ => throw new RemctlException(RemctlError.Access))).RunInline();
            s.Map("late-bug", async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("late bug");
            }).RunInline();
            TestServer.MapSeed(s);
        });

        Assert.Equal("ERRORCODE|1", RawReq.Show(server.Endpoint!, "ARGUMENT|1|bug"));
        Assert.Equal("ERRORCODE|6", RawReq.Show(server.Endpoint!, "ARGUMENT|1|denied"));
        Assert.Equal("ERRORCODE|1", RawReq.Show(server.Endpoint!, "ARGUMENT|1|late-bug"));
        Assert.EndsWith("RETURNCODE|23", RawReq.Show(server.Endpoint!, "ARGUMENT|1|foo"), StringComparison.Ordinal);
    }

    [Fact]
    public void Many_peers_each_get_their_own_inline_replies()
    {
        using var server = TestServer.Start(s => s.Map("echo", context =>
        {
            context.Out.Write(context.Arguments[1].Span);
            return 0;
        }).RunInline());

        var replies = Threads.Run(8, peer =>
        {
            for (var i = 0; i < 25; i++)
            {
                var reply = RawReq.Show(server.Endpoint!, $"ARGUMENT|2|echo|{peer}-{i}");
                if (reply != $"OUTPUT|1|{peer}-{i}|RETURNCODE|0")
                    return reply;
            }
            return "ok";
        });

        Assert.Equal(8, replies.Length);
        Assert.All(replies, reply => Assert.Equal("ok", reply));
    }

    [Fact]
    public async Task A_queued_inline_request_starts_when_the_slot_frees_and_completes_in_that_same_dispatch()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var entered = new ManualResetEventSlim();
        using var server = new RemctlServer(new RemctlServerOptions { MaxConcurrentHandlers = 1, Context = RawReq.Context });
        server.Map("hold", async _ =>
        {
            entered.Set();
            await release.Task;
            return 0;
        }).RunInline();
        server.Map("quick", _ => 7).RunInline();
        server.Start("tcp://127.0.0.1:*");

        var hold = Task.Factory.StartNew(() => RawReq.Show(server.Endpoint!, "ARGUMENT|1|hold"), TaskCreationOptions.LongRunning);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        var quick = Task.Factory.StartNew(() => RawReq.Show(server.Endpoint!, "ARGUMENT|1|quick"), TaskCreationOptions.LongRunning);
        // The one slot is taken: the second request waits in the queue, unanswered.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.Backend!.InFlight < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.Equal(2, server.Backend!.InFlight);
        Assert.False(quick.IsCompleted);

        release.SetResult();

        Assert.Equal("RETURNCODE|0", await hold.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("RETURNCODE|7", await quick.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
