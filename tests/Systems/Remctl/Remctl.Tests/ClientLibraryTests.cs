using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Remctl.Protocol;
using Xunit;

namespace Remctl.Tests;

/// <summary><see cref="RemctlClient"/> (remctld's side) against the real server and against scripted backends.</summary>
public class ClientLibraryTests
{
    private static RemctlClientOptions Quick(int timeoutMs = 10_000, int retries = 0) =>
        new() { Timeout = TimeSpan.FromMilliseconds(timeoutMs), Retries = retries, User = "kula@TPROA.NET", Address = "204.11.35.93", Host = "keymaster.tproa.net" };

    /// <summary>A server with the seed's <c>foo</c> and a <c>hang</c> command that signals
    /// <paramref name="entered"/> and answers once <paramref name="release"/> is set (or after 20 s).</summary>
    private static RemctlServer StartHanging(ManualResetEventSlim release, ManualResetEventSlim? entered = null) => TestServer.Start(s =>
    {
        s.Map("hang", async _ =>
        {
            entered?.Set();
            await Task.Run(() => release.Wait(TimeSpan.FromSeconds(20)));
            return 0;
        });
        TestServer.MapSeed(s);
    });

    [Fact]
    public async Task RC01_client_sends_exactly_the_seed_request()
    {
        using var backend = new FakeBackend("RETURNCODE|0");
        await using var client = new RemctlClient(backend.Endpoint, Quick());

        await client.ExecuteAsync("test", ["foo", "bar", "baz"]);

        Assert.True(backend.Requests.TryDequeue(out var request));
        Assert.Equal(
            "ARGUMENT|3|foo|bar|baz|ENVIRONMENT|4|REMOTE_USER|kula@TPROA.NET|REMOTE_ADDR|204.11.35.93|REMOTE_HOST|keymaster.tproa.net|REMCTL_COMMAND|test",
            Frames.Show(request));
    }

    [Fact]
    public async Task Seed_exchange_through_the_library_client()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        await using var client = new RemctlClient(server.Endpoint!, Quick());

        var result = await client.ExecuteAsync("test", ["foo", "bar", "baz"]);

        Assert.Equal("Here is some sample output\nAnother line\n", Encoding.UTF8.GetString(result.Stdout));
        Assert.Equal("Error output\nMore err\n", Encoding.UTF8.GetString(result.Stderr));
        Assert.Equal(23, result.ReturnCode);
        Assert.Equal(23, result.ExitStatus);
        Assert.Null(result.ErrorCode);
        Assert.Equal([1L, 2, 2, 1], result.Output.Select(o => o.Stream));
    }

    [Fact]
    public async Task Short_tag_requests_and_replies_work_end_to_end()
    {
        using var server = TestServer.Start(TestServer.MapSeed, RemctlMsg.TagStyle.Short);
        await using var client = new RemctlClient(server.Endpoint!, Quick() with { RequestTags = RemctlMsg.TagStyle.Short });
        var result = await client.ExecuteAsync("test", ["foo"]);
        Assert.Equal(23, result.ReturnCode);
    }

    [Fact]
    public async Task Error_codes_come_back_with_their_standard_texts()
    {
        using var server = TestServer.Start(s => s.Map("admin", _ => 0).AllowUsers("root@TPROA.NET"));
        await using var client = new RemctlClient(server.Endpoint!, Quick());

        var denied = await client.ExecuteAsync("test", ["admin"]);
        Assert.Equal(6, denied.ErrorCode);
        Assert.Equal("Access denied", denied.ErrorMessage);
        Assert.Equal(255, denied.ExitStatus);

        var unknown = await client.ExecuteAsync("test", ["nope"]);
        Assert.Equal("Unknown command", unknown.ErrorMessage);
    }

    [Fact]
    public async Task Fifty_MiB_of_output_arrives_intact()
    {
        const int size = 50 * 1024 * 1024;
        var payload = new byte[size];
        new Random(1234).NextBytes(payload);
        using var server = TestServer.Start(s => s.Map("big", context =>
        {
            context.Out.Write(payload);
            return 0;
        }));
        await using var client = new RemctlClient(server.Endpoint!, Quick(timeoutMs: 60_000));

        var result = await client.ExecuteAsync("test", ["big"]);

        var output = Assert.Single(result.Output);
        Assert.True(output.Data.Span.SequenceEqual(payload));
    }

    [Fact]
    public async Task RC15_binary_argument_through_the_client()
    {
        using var server = TestServer.Start(TestServer.MapEcho);
        await using var client = new RemctlClient(server.Endpoint!, Quick());
        byte[] binary = [0x00, 0xFF, 0x41];
        var result = await client.ExecuteAsync("test", [Frames.Utf8("echo"), binary]);
        Assert.Equal(binary, result.Stdout);
    }

    [Fact]
    public void Twenty_concurrent_library_clients_each_get_their_own_reply()
    {
        using var server = TestServer.Start(s => s.Map("whoami", async context =>
        {
            await Task.Delay(Random.Shared.Next(1, 20));
            context.Out.Write($"{context.User} {context.GetString(1)}");
            return 0;
        }));

        var outputs = Threads.Run(20, i =>
        {
            using var client = new RemctlClient(server.Endpoint!, Quick() with { User = $"user{i}" });
            return Enumerable.Range(0, 5)
                .Select(round => Encoding.UTF8.GetString(client.ExecuteAsync("test", ["whoami", $"{i}.{round}"]).GetAwaiter().GetResult().Stdout))
                .ToArray();
        });

        for (var i = 0; i < 20; i++)
            Assert.Equal(Enumerable.Range(0, 5).Select(round => $"user{i} {i}.{round}"), outputs[i]);
    }

    [Fact]
    public async Task RC12_backend_down_gives_unreachable_then_the_same_client_works_once_it_is_up()
    {
        var endpoint = RawReq.UnboundEndpoint();
        // The same timeout bounds the exchange once the server is up, so it must outlast a loaded
        // machine's scheduling stalls (300 ms did not); while the backend is down it only sets how
        // long the two failed attempts take.
        await using var client = new RemctlClient(endpoint, Quick(timeoutMs: 2_000, retries: 1));

        var down = await Assert.ThrowsAsync<RemctlUnreachableException>(() => client.ExecuteAsync("test", ["foo"]));
        Assert.Equal(2, down.Attempts);
        Assert.Contains($"backend not reachable at {endpoint}", down.Message, StringComparison.Ordinal);

        using var server = TestServer.Start(TestServer.MapSeed, endpoint: endpoint);
        // A REQ socket whose reply never came refuses to send again (EFSM): this works only because
        // the client closed it and made a new one.
        var up = await client.ExecuteAsync("test", ["foo"]);
        Assert.Equal(23, up.ReturnCode);
    }

    [Fact]
    public async Task Retry_on_a_new_socket_reaches_a_backend_that_comes_up_late()
    {
        var endpoint = RawReq.UnboundEndpoint();
        // Thirty attempts of a second: the backend comes up during the third, and the attempts left
        // after that have room for a loaded machine's stalls.
        await using var client = new RemctlClient(endpoint, Quick(timeoutMs: 1_000, retries: 30));
        var pending = client.ExecuteAsync("test", ["foo"]);
        // Nothing listens yet, so nothing can have completed it; the wait only lets attempts fail.
        await Task.Delay(2_500);
        Assert.False(pending.IsCompleted);

        using var server = TestServer.Start(TestServer.MapSeed, endpoint: endpoint);

        Assert.Equal(23, (await pending).ReturnCode);
    }

    [Theory]
    [InlineData("OUTPUT|1|x")]
    [InlineData("R|abc")]
    [InlineData("R|1|O|1|y")]
    [InlineData("O|1")]
    [InlineData("OUTPUT|one|x|R|0")]
    [InlineData("ENVIRONMENT|0")]
    public async Task RC11_malformed_reply_is_a_protocol_error_and_the_client_goes_on(string reply)
    {
        var replies = new[] { reply, "R|0" };
        var next = 0;
        using var backend = new FakeBackend(_ => Frames.Of(replies[Interlocked.Increment(ref next) - 1]));
        await using var client = new RemctlClient(backend.Endpoint, Quick());

        await Assert.ThrowsAsync<RemctlProtocolException>(() => client.ExecuteAsync("test", ["foo"]));
        Assert.Equal(0, (await client.ExecuteAsync("test", ["foo"])).ReturnCode);
    }

    [Fact]
    public async Task Cancelling_a_wait_frees_the_client_for_the_next_command()
    {
        using var release = new ManualResetEventSlim();
        using var server = StartHanging(release);
        await using var client = new RemctlClient(server.Endpoint!, Quick());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ExecuteAsync("test", ["hang"], cancel.Token));
        Assert.Equal(23, (await client.ExecuteAsync("test", ["foo"])).ReturnCode);
        release.Set();
    }

    [Fact]
    public void Synchronous_execute_gets_the_seed_reply()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        using var client = new RemctlClient(server.Endpoint!, Quick());

        var result = client.Execute("test", ["foo", "bar", "baz"]);

        Assert.Equal("Here is some sample output\nAnother line\n", Encoding.UTF8.GetString(result.Stdout));
        Assert.Equal(23, result.ReturnCode);
    }

    [Fact]
    public void Synchronous_and_asynchronous_commands_on_one_client_from_many_threads_each_get_their_own_reply()
    {
        using var server = TestServer.Start(TestServer.MapEcho);
        using var client = new RemctlClient(server.Endpoint!, Quick());

        var mismatches = Threads.Run(6, thread =>
        {
            var wrong = 0;
            for (var i = 0; i < 20; i++)
            {
                var argument = $"{thread}-{i}";
                var result = i % 2 == 0
                    ? client.Execute("test", ["echo", argument])
                    : client.ExecuteAsync("test", ["echo", argument]).GetAwaiter().GetResult();
                if (Encoding.UTF8.GetString(result.Stdout) != argument)
                    wrong++;
            }
            return wrong;
        });

        Assert.Equal(6, mismatches.Length);
        Assert.All(mismatches, wrong => Assert.Equal(0, wrong));
    }

    [Fact]
    public void Synchronous_execute_to_a_backend_that_is_down_is_unreachable_after_its_retries()
    {
        using var client = new RemctlClient(RawReq.UnboundEndpoint(), Quick(timeoutMs: 200, retries: 1));
        var down = Assert.Throws<RemctlUnreachableException>(() => client.Execute("test", ["foo"]));
        Assert.Equal(2, down.Attempts);
    }

    [Fact]
    public void Cancelling_a_synchronous_wait_frees_the_client_for_the_next_command()
    {
        using var release = new ManualResetEventSlim();
        using var server = StartHanging(release);
        using var client = new RemctlClient(server.Endpoint!, Quick());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.ThrowsAny<OperationCanceledException>(() => client.Execute("test", ["hang"], cancel.Token));
        Assert.Equal(23, client.Execute("test", ["foo"]).ReturnCode);
        release.Set();
    }

    [Fact]
    public async Task Disposing_the_client_ends_a_synchronous_wait_with_ObjectDisposedException()
    {
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        using var server = StartHanging(release, entered);
        var client = new RemctlClient(server.Endpoint!, Quick());
        var waiting = Task.Factory.StartNew(() => client.Execute("test", ["hang"]), TaskCreationOptions.LongRunning);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));

        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Throws<ObjectDisposedException>(() => client.Execute("test", ["hang"]));
        release.Set();
    }

    [Fact]
    public async Task Commands_after_dispose_are_refused()
    {
        var client = new RemctlClient("tcp://127.0.0.1:1", Quick());
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ExecuteAsync("test", ["foo"]));
    }

    [Fact]
    public void Exit_status_follows_the_stock_client()
    {
        static RemctlResult With(RemctlMsg.Reply.StatusChoice status) => new(new RemctlMsg.Reply { Status = status });
        Assert.Equal(0, With(new RemctlMsg.Reply.ReturnCode { Code = 256 }).ExitStatus);
        Assert.Equal(255, With(new RemctlMsg.Reply.ReturnCode { Code = 255 }).ExitStatus);
        Assert.Equal(255, With(new RemctlMsg.Reply.ReturnCode { Code = -1 }).ExitStatus);
        Assert.Equal(255, With(new RemctlMsg.Reply.ErrorCode { Code = 1 }).ExitStatus);
        Assert.Equal("Unknown error", With(new RemctlMsg.Reply.ErrorCode { Code = 42 }).ErrorMessage);
        Assert.Equal("No help defined for command", RemctlErrors.Message(RemctlError.NoHelp));
    }
}
