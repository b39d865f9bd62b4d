using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Remctl.Protocol;
using Xunit;

namespace Remctl.Tests;

/// <summary>The backend at the wire level: a raw REQ socket, as remctld would use, sends exact frames
/// and the reply frames are compared byte for byte.</summary>
public class ServerWireTests
{
    private const string SeedRequest =
        "ARGUMENT|3|foo|bar|baz|ENVIRONMENT|4|REMOTE_USER|kula@TPROA.NET|REMOTE_ADDR|204.11.35.93|REMOTE_HOST|keymaster.tproa.net|REMCTL_COMMAND|test";

    private const string SeedReply =
        "OUTPUT|1|Here is some sample output\n|OUTPUT|2|Error output\n|OUTPUT|2|More err\n|OUTPUT|1|Another line\n|RETURNCODE|23";

    [Fact]
    public void Seed_exchange_long_form_is_byte_for_byte_the_spec()
    {
        RemctlContext? seen = null;
        using var server = TestServer.Start(s => s.Map("foo", context =>
        {
            seen = context;
            context.Out.Write("Here is some sample output\n");
            context.Err.Write("Error output\n");
            context.Err.Write("More err\n");
            context.Out.Write("Another line\n");
            return 23;
        }));

        var request = Frames.Of(SeedRequest);
        Assert.Equal(15, request.Length);
        var reply = RawReq.Exchange(server.Endpoint!, request);

        Assert.Equal(14, reply.Count);
        Assert.True(RawReq.SameFrames(Frames.Of(SeedReply), reply), Frames.Show(reply));
        Assert.NotNull(seen);
        Assert.Equal(["foo", "bar", "baz"], seen.Arguments.Select(a => Encoding.UTF8.GetString(a.Span)));
        Assert.Equal("foo", seen.Subcommand);
        Assert.Equal(["bar", "baz"], seen.Parameters);
        Assert.Equal("kula@TPROA.NET", seen.User);
        Assert.Equal("204.11.35.93", seen.Environment.Address);
        Assert.Equal("keymaster.tproa.net", seen.Environment.Host);
        Assert.Equal("test", seen.Environment.Command);
        Assert.Equal(["REMOTE_USER", "REMOTE_ADDR", "REMOTE_HOST", "REMCTL_COMMAND"], seen.Environment.Items.Select(i => i.Name));
    }

    [Fact]
    public void Seed_exchange_short_form_is_byte_for_byte_the_spec()
    {
        using var server = TestServer.Start(TestServer.MapSeed, RemctlMsg.TagStyle.Short);
        var request = SeedRequest.Replace("ARGUMENT|", "A|", StringComparison.Ordinal).Replace("ENVIRONMENT|", "E|", StringComparison.Ordinal);
        Assert.StartsWith("A|3|foo|bar|baz|E|4|", request, StringComparison.Ordinal);

        var reply = RawReq.Exchange(server.Endpoint!, Frames.Of(request));

        var expected = "O|1|Here is some sample output\n|O|2|Error output\n|O|2|More err\n|O|1|Another line\n|R|23";
        Assert.True(RawReq.SameFrames(Frames.Of(expected), reply), Frames.Show(reply));
    }

    [Theory]
    [InlineData("A|3|foo|bar|baz|ENVIRONMENT|1|REMCTL_COMMAND|test")]
    [InlineData("ARGUMENT|3|foo|bar|baz|E|1|REMCTL_COMMAND|test")]
    [InlineData("ARGUMENT|3|foo|bar|baz")]
    public void Requests_with_mixed_tags_or_no_environment_are_accepted(string request)
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        Assert.Equal(SeedReply, RawReq.Show(server.Endpoint!, request));
    }

    [Fact]
    public void RC03_short_request_is_served_like_the_long_one()
    {
        using var server = TestServer.Start(s => s.Map("foo", context =>
        {
            context.Out.Write($"{context.Environment.Command}\n");
            return 0;
        }));
        Assert.Equal("OUTPUT|1|test\n|RETURNCODE|0", RawReq.Show(server.Endpoint!, "A|1|foo|E|1|REMCTL_COMMAND|test"));
        Assert.Equal("OUTPUT|1|test\n|RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|1|foo|ENVIRONMENT|1|REMCTL_COMMAND|test"));
    }

    [Fact]
    public void RC04_argument_E_and_environment_value_E_are_read_by_position()
    {
        RemctlContext? seen = null;
        using var server = TestServer.Start(s => s.MapFallback(context =>
        {
            seen = context;
            return ValueTask.FromResult(0);
        }));

        Assert.Equal("RETURNCODE|0", RawReq.Show(server.Endpoint!, "A|1|E|E|1|X|E"));

        Assert.NotNull(seen);
        Assert.Equal("E", Assert.Single(seen.Arguments.Select(a => Encoding.UTF8.GetString(a.Span))));
        var variable = Assert.Single(seen.Environment.Items);
        Assert.Equal(("X", "E"), (variable.Name, variable.Value));
    }

    [Theory]
    [InlineData(RemctlMsg.TagStyle.Long)]
    [InlineData(RemctlMsg.TagStyle.Short)]
    public void Arguments_and_output_spelling_tags_round_trip(RemctlMsg.TagStyle style)
    {
        string[] literal = ["E", "R", "O", "A", "ARGUMENT", "ENVIRONMENT", "OUTPUT", "RETURNCODE", "ERRORCODE", "1", ""];
        using var server = TestServer.Start(TestServer.MapEcho, style);
        var request = new RemctlMsg.Request
        {
            Arguments = [Frames.Utf8("echo"), .. literal.Select(l => (ReadOnlyMemory<byte>)Frames.Utf8(l))],
            Environment = [new() { Name = "E", Value = "R" }, new() { Name = "REMCTL_COMMAND", Value = "E" }],
        };

        var reply = RawReq.Exchange(server.Endpoint!, RemctlMsg.EncodeFrames(request, style).Select(f => f.ToArray()));

        Assert.True(RemctlMsg.TryDecodeReply(Frames.Memory(reply), out var decoded, out var error), error.Message);
        // The empty argument writes nothing: empty chunks are not sent.
        Assert.Equal(literal.Where(l => l.Length > 0), decoded.Output.Select(o => Encoding.UTF8.GetString(o.Data.Span)));
        Assert.All(decoded.Output, o => Assert.Equal(1, o.Stream));
        Assert.Equal(0, Assert.IsType<RemctlMsg.Reply.ReturnCode>(decoded.Status).Code);
    }

    [Fact]
    public void RC15_binary_argument_bytes_arrive_intact()
    {
        byte[]? seen = null;
        using var server = TestServer.Start(s => s.Map("store", context =>
        {
            seen = context.Arguments[^1].ToArray();
            context.Out.Write(context.Arguments[^1].Span);
            return 0;
        }));
        byte[] binary = [0x00, 0xFF, 0x41];

        var reply = RawReq.Exchange(server.Endpoint!, [.. Frames.Of("ARGUMENT|2|store"), binary, .. Frames.Of("ENVIRONMENT|0")]);

        Assert.Equal(binary, seen);
        Assert.Equal(binary, reply[2]);
    }

    [Fact]
    public void Unknown_subcommand_is_ERRORCODE_5_and_the_server_keeps_serving()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        Assert.Equal("ERRORCODE|5", RawReq.Show(server.Endpoint!, "ARGUMENT|1|nope|ENVIRONMENT|0"));
        Assert.Equal(SeedReply, RawReq.Show(server.Endpoint!, SeedRequest));
    }

    [Fact]
    public void Access_policy_refusal_is_ERRORCODE_6_and_the_server_keeps_serving()
    {
        var ran = 0;
        using var server = TestServer.Start(s => s.Map("foo", _ => Interlocked.Increment(ref ran)).AllowUsers("kula@TPROA.NET"));
        Assert.Equal("ERRORCODE|6", RawReq.Show(server.Endpoint!, "ARGUMENT|1|foo|ENVIRONMENT|1|REMOTE_USER|mallory@TPROA.NET"));
        Assert.Equal("ERRORCODE|6", RawReq.Show(server.Endpoint!, "ARGUMENT|1|foo|ENVIRONMENT|0"));
        Assert.Equal(0, ran);
        Assert.Equal("RETURNCODE|1", RawReq.Show(server.Endpoint!, "ARGUMENT|1|foo|ENVIRONMENT|1|REMOTE_USER|kula@TPROA.NET"));
    }

    [Fact]
    public void Policies_can_use_address_and_host()
    {
        using var server = TestServer.Start(s => s.Map("foo", _ => 0).Require(env => env.Address == "127.0.0.1" && env.Host is not null));
        Assert.Equal("RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|1|foo|ENVIRONMENT|2|REMOTE_ADDR|127.0.0.1|REMOTE_HOST|localhost"));
        Assert.Equal("ERRORCODE|6", RawReq.Show(server.Endpoint!, "ARGUMENT|1|foo|ENVIRONMENT|1|REMOTE_ADDR|127.0.0.1"));
    }

    [Fact]
    public void Handler_exception_is_ERRORCODE_1_after_its_output_and_the_server_keeps_serving()
    {
        using var server = TestServer.Start(s =>
        {
            s.Map("boom", int (context) =>
            {
                context.Out.Write("partial\n");
                throw new InvalidOperationException("handler bug");
            });
            s.Map("boom-async", async context =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async handler bug");
            });
            TestServer.MapSeed(s);
        });
        Assert.Equal("OUTPUT|1|partial\n|ERRORCODE|1", RawReq.Show(server.Endpoint!, "ARGUMENT|1|boom|ENVIRONMENT|0"));
        Assert.Equal("ERRORCODE|1", RawReq.Show(server.Endpoint!, "ARGUMENT|1|boom-async|ENVIRONMENT|0"));
        Assert.Equal(SeedReply, RawReq.Show(server.Endpoint!, SeedRequest));
    }

    [Fact]
    public void RemctlException_sends_its_code_even_one_remctl_does_not_define()
    {
        using var server = TestServer.Start(s =>
        {
            s.Map("nohelp", int (_) => throw new RemctlException(RemctlError.NoHelp));
            s.Map("odd", int (_) => throw new RemctlException(42));
        }, RemctlMsg.TagStyle.Short);
        Assert.Equal("E|10", RawReq.Show(server.Endpoint!, "A|1|nohelp"));
        Assert.Equal("E|42", RawReq.Show(server.Endpoint!, "A|1|odd"));
    }

    [Theory]
    [InlineData("ARGUMENT|5|a|b")]
    [InlineData("hello")]
    [InlineData("ARGUMENT")]
    [InlineData("ARGUMENT|x|foo")]
    [InlineData("ARGUMENT|-1")]
    [InlineData("ARGUMENT|01|foo")]
    [InlineData("ENVIRONMENT|0|ARGUMENT|1|foo")]
    [InlineData("ARGUMENT|1|foo|ENVIRONMENT|2|REMOTE_USER|x")]
    [InlineData("ARGUMENT|1|foo|ENVIRONMENT|0|extra")]
    [InlineData("OUTPUT|1|x|RETURNCODE|0")]
    [InlineData("argument|1|foo")]
    public void RC13_malformed_request_is_ERRORCODE_4_and_the_server_keeps_serving(string request)
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        Assert.Equal("ERRORCODE|4", RawReq.Show(server.Endpoint!, request));
        Assert.Equal(SeedReply, RawReq.Show(server.Endpoint!, SeedRequest));
    }

    [Fact]
    public void Environment_that_is_not_UTF8_is_ERRORCODE_4()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        var reply = RawReq.Exchange(server.Endpoint!, [.. Frames.Of("ARGUMENT|1|foo|ENVIRONMENT|1|REMOTE_USER"), [0xC3, 0x28]]);
        Assert.Equal("ERRORCODE|4", Frames.Show(reply));
    }

    [Fact]
    public void Garbage_binary_frames_are_ERRORCODE_4()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        var reply = RawReq.Exchange(server.Endpoint!, [[0xFF, 0x00, 0x13], [], [0x80]]);
        Assert.Equal("ERRORCODE|4", Frames.Show(reply));
    }

    [Fact]
    public void Request_without_delimiter_gets_ERRORCODE_4_on_its_routing_id_and_the_server_keeps_serving()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        // A DEALER adds no envelope: the backend sees no empty delimiter after the routing id.
        var reply = RawReq.DealerExchange(server.Endpoint!, Frames.Of(SeedRequest));
        Assert.Equal("ERRORCODE|4", Frames.Show(reply));
        Assert.Equal(SeedReply, RawReq.Show(server.Endpoint!, SeedRequest));
    }

    [Fact]
    public void Dealer_that_adds_the_delimiter_is_served_like_a_REQ()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        var reply = RawReq.DealerExchange(server.Endpoint!, [[], .. Frames.Of(SeedRequest)]);
        Assert.Equal("|" + SeedReply, Frames.Show(reply));
    }

    [Fact]
    public void Empty_request_body_is_ERRORCODE_4()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        var reply = RawReq.DealerExchange(server.Endpoint!, [[]]);
        Assert.Equal("|ERRORCODE|4", Frames.Show(reply));
    }

    [Fact]
    public void No_subcommand_without_EMPTY_or_ALL_route_is_ERRORCODE_5()
    {
        using var server = TestServer.Start(TestServer.MapSeed);
        Assert.Equal("ERRORCODE|5", RawReq.Show(server.Endpoint!, "ARGUMENT|0|ENVIRONMENT|1|REMCTL_COMMAND|test"));
    }

    [Fact]
    public void No_subcommand_goes_to_EMPTY_else_to_ALL()
    {
        using var withEmpty = TestServer.Start(s =>
        {
            s.MapEmpty(_ => ValueTask.FromResult(7));
            s.MapFallback(_ => ValueTask.FromResult(8));
        });
        Assert.Equal("RETURNCODE|7", RawReq.Show(withEmpty.Endpoint!, "ARGUMENT|0"));
        Assert.Equal("RETURNCODE|8", RawReq.Show(withEmpty.Endpoint!, "ARGUMENT|1|anything"));
        // EMPTY and ALL are route names, not subcommands a client can call by name.
        Assert.Equal("RETURNCODE|8", RawReq.Show(withEmpty.Endpoint!, "ARGUMENT|1|EMPTY"));

        using var fallbackOnly = TestServer.Start(s => s.MapFallback(context => ValueTask.FromResult(context.Subcommand is null ? 9 : 10)));
        Assert.Equal("RETURNCODE|9", RawReq.Show(fallbackOnly.Endpoint!, "ARGUMENT|0"));
    }

    [Fact]
    public void NUL_in_the_subcommand_is_ERRORCODE_4_but_NUL_in_other_arguments_passes()
    {
        using var server = TestServer.Start(TestServer.MapEcho);
        Assert.Equal("ERRORCODE|4", Frames.Show(RawReq.Exchange(server.Endpoint!, [.. Frames.Of("ARGUMENT|1"), [(byte)'e', 0, (byte)'o']])));
        var reply = RawReq.Exchange(server.Endpoint!, [.. Frames.Of("ARGUMENT|2|echo"), [0x61, 0x00, 0x62]]);
        Assert.Equal(new byte[] { 0x61, 0x00, 0x62 }, reply[2]);
    }

    [Fact]
    public void Four_thousand_ninety_six_arguments_arrive_and_one_more_is_ERRORCODE_7()
    {
        using var server = TestServer.Start(s => s.Map("count", context =>
        {
            context.Out.Write($"{context.Arguments.Count} {context.GetString(4095)}");
            return 0;
        }));
        var arguments = new[] { "count" }.Concat(Enumerable.Range(1, 4095).Select(i => $"arg{i}")).ToArray();
        var request = new[] { "ARGUMENT", "4096" }.Concat(arguments).Select(Frames.Utf8);

        Assert.Equal("OUTPUT|1|4096 arg4095|RETURNCODE|0", Frames.Show(RawReq.Exchange(server.Endpoint!, request)));

        var tooMany = new[] { "ARGUMENT", "4097" }.Concat(arguments).Append("one more").Select(Frames.Utf8);
        Assert.Equal("ERRORCODE|7", Frames.Show(RawReq.Exchange(server.Endpoint!, tooMany)));
    }

    [Fact]
    public void Output_on_unusual_streams_and_empty_writes()
    {
        using var server = TestServer.Start(s => s.Map("streams", context =>
        {
            context.Stream(3).Write("x");
            context.Out.Write("");
            context.Stream(0).Write("zero");
            context.Err.WriteLine("line");
            return 256;
        }));
        Assert.Equal("OUTPUT|3|x|OUTPUT|0|zero|OUTPUT|2|line\n|RETURNCODE|256", RawReq.Show(server.Endpoint!, "ARGUMENT|1|streams"));
    }

    [Fact]
    public void Writes_after_the_handler_completed_are_refused()
    {
        RemctlContext? kept = null;
        using var server = TestServer.Start(s => s.Map("late", context =>
        {
            kept = context;
            return 0;
        }));
        Assert.Equal("RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|1|late"));
        Assert.Throws<InvalidOperationException>(() => kept!.Out.Write("too late"));
    }

    [Fact]
    public async Task Handlers_run_concurrently_and_each_reply_reaches_its_requester()
    {
        using var release = new SemaphoreSlim(0);
        using var server = TestServer.Start(s =>
        {
            s.Map("slow", async context =>
            {
                await release.WaitAsync(TimeSpan.FromSeconds(20));
                context.Out.Write("slow done");
                return 1;
            });
            s.Map("fast", _ => 2);
        });

        var slow = Task.Run(() => RawReq.Show(server.Endpoint!, "ARGUMENT|1|slow"));
        // The fast request completes while the slow one is still inside its handler.
        Assert.Equal("RETURNCODE|2", await Task.Run(() => RawReq.Show(server.Endpoint!, "ARGUMENT|1|fast")));
        Assert.False(slow.IsCompleted);
        release.Release();
        Assert.Equal("OUTPUT|1|slow done|RETURNCODE|1", await slow);
    }

    [Fact]
    public void Twenty_concurrent_raw_clients_each_get_their_own_reply()
    {
        using var server = TestServer.Start(s => s.Map("whoami", async context =>
        {
            // Finish in a scrambled order, so replies overtake each other.
            await Task.Delay(Random.Shared.Next(1, 30));
            context.Out.Write($"{context.User}:{context.GetString(1)}");
            return context.GetString(1).Length;
        }));

        var counts = Threads.Run(20, i =>
        {
            for (var round = 0; round < 5; round++)
            {
                var token = $"client{i}-round{round}-" + new string('x', i);
                var reply = RawReq.Show(server.Endpoint!, $"ARGUMENT|2|whoami|{token}|ENVIRONMENT|1|REMOTE_USER|user{i}");
                Assert.Equal($"OUTPUT|1|user{i}:{token}|RETURNCODE|{token.Length}", reply);
            }
            return 5;
        });

        Assert.All(counts, count => Assert.Equal(5, count));
    }

    [Fact]
    public void Inproc_endpoint_in_a_shared_context_is_served()
    {
        using var server = TestServer.Start(TestServer.MapSeed, endpoint: "inproc://remctl-wire-test");
        Assert.Equal("inproc://remctl-wire-test", server.Endpoint);
        Assert.Equal(SeedReply, RawReq.Show(server.Endpoint!, SeedRequest));
    }

    [Fact]
    public async Task Dispose_waits_for_running_handlers_and_their_replies_go_out()
    {
        using var entered = new SemaphoreSlim(0);
        var server = TestServer.Start(s => s.Map("slow", async context =>
        {
            entered.Release();
            await Task.Delay(300);
            context.Out.Write("finished");
            return 0;
        }));
        var reply = Task.Run(() => RawReq.Show(server.Endpoint!, "ARGUMENT|1|slow"));
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)));

        await server.DisposeAsync();

        Assert.Equal("OUTPUT|1|finished|RETURNCODE|0", await reply);
    }

    [Fact]
    public void Map_rejects_bad_names_duplicates_and_late_routes()
    {
        using var server = new RemctlServer(new RemctlServerOptions { Context = RawReq.Context });
        Assert.Throws<ArgumentException>(() => server.Map("", _ => 0));
        Assert.Throws<ArgumentException>(() => server.Map("a\0b", _ => 0));
        server.Map("a", _ => 0);
        Assert.Throws<ArgumentException>(() => server.Map("a", _ => 0));
        server.Start("tcp://127.0.0.1:*");
        Assert.Throws<InvalidOperationException>(() => server.Map("b", _ => 0));
    }
}
