using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Xunit;
using Zproto.Echo;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Engine;

public sealed class TraceTests : IDisposable
{
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Verbose_mode_traces_every_state_event_action_and_message_sent()
    {
        var logger = new ListLogger<EchoServer>();
        await using (var server = new EchoServer(new ServerOptions { Endpoints = { "inproc://trace" }, Context = _context, Verbose = true }, logger))
        {
            server.Start();
            using var peer = new RawPeer(_context, "inproc://trace");
            peer.Send(new EchoMsg.Hello { Name = "t" });
            peer.Expect<EchoMsg.HelloOk>();
        }
        var text = logger.Lines.Select(l => l.Text).ToArray();
        Assert.Contains(text, l => l.EndsWith(": start: HELLO", StringComparison.Ordinal));
        Assert.Contains(text, l => l.EndsWith("+ remember name", StringComparison.Ordinal));
        Assert.Contains(text, l => l.EndsWith("+ send HELLO-OK", StringComparison.Ordinal));
        Assert.Contains(text, l => l.EndsWith("> HELLO-OK", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unhandled_messages_and_failing_actions_are_logged_not_thrown()
    {
        var logger = new ListLogger<EchoServer>();
        await using var server = new EchoServer(new ServerOptions { Endpoints = { "inproc://trace-errors" }, Context = _context }, logger);
        server.Start();
        using var peer = new RawPeer(_context, "inproc://trace-errors");
        peer.Send(new EchoMsg.Hello { Name = "x" });
        peer.Expect<EchoMsg.HelloOk>();
        // WAIT-OK is a server message: 'ready' handles it through '*' (INVALID, terminate).
        peer.Send(new EchoMsg.WaitOk());
        peer.Expect<EchoMsg.Invalid>();
        peer.Send(new EchoMsg.Hello { Name = "again" });
        peer.Expect<EchoMsg.HelloOk>();
        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Error);
    }
}
