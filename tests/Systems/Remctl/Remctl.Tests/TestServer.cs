using System;
using Remctl.Protocol;

namespace Remctl.Tests;

/// <summary>Starts an in-process <see cref="RemctlServer"/> on a free loopback port.</summary>
internal static class TestServer
{
    public static RemctlServer Start(Action<RemctlServer> configure, RemctlMsg.TagStyle replyTags = RemctlMsg.TagStyle.Long, string endpoint = "tcp://127.0.0.1:*", int maxArguments = 4096,
        long maxRequestBytes = 100L * 1024 * 1024)
    {
        var server = new RemctlServer(new RemctlServerOptions
        {
            ReplyTags = replyTags, MaxArguments = maxArguments, MaxRequestBytes = maxRequestBytes, Context = RawReq.Context,
        });
        try
        {
            configure(server);
            server.Start(endpoint);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The seed's backend (§2.9): checks nothing, writes the four chunks, returns 23.</summary>
    public static void MapSeed(RemctlServer server) => server.Map("foo", context =>
    {
        context.Out.Write("Here is some sample output\n");
        context.Err.Write("Error output\n");
        context.Err.Write("More err\n");
        context.Out.Write("Another line\n");
        return 23;
    });

    /// <summary>Echoes each argument after the subcommand, raw, as its own chunk on stream 1.</summary>
    public static void MapEcho(RemctlServer server) => server.Map("echo", context =>
    {
        for (var i = 1; i < context.Arguments.Count; i++)
            context.Out.Write(context.Arguments[i].Span);
        return 0;
    });
}
