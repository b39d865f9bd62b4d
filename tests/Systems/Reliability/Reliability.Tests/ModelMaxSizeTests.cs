using System;
using System.Threading.Tasks;
using Xunit;
using Zbroker;
using Zpipes.Protocol;
using Zproto.Runtime.Servers;
using Zproto.Runtime.Zmq;
using Zproto.Soak;

namespace Reliability.Tests;

/// <summary>The model's <c>max_size</c> is a server's default <c>ZMQ_MAXMSGSIZE</c>; ServerOptions overrides it.</summary>
public sealed class ModelMaxSizeTests : IDisposable
{
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void The_zpipes_model_states_the_largest_chunk_plus_1_KiB_and_servers_take_it_unless_overridden()
    {
        Assert.Equal(8 * 1024 * 1024 + 1024, ZpipesMsg.MaxSize);
        Assert.Equal(ZpipesMsg.MaxSize, ZpipesServer.EffectiveMaxMessageSize(new ServerOptions()));
        Assert.Equal(4096, ZpipesServer.EffectiveMaxMessageSize(new ServerOptions { MaxMessageSize = 4096 }));
        Assert.Equal(-1, ZpipesServer.EffectiveMaxMessageSize(new ServerOptions { MaxMessageSize = -1 }));
    }

    [Fact]
    public async Task A_server_with_default_options_refuses_a_frame_over_the_model_max_size_unread_and_serves_one_that_fits()
    {
        await using var server = new ZpipesServer(new ServerOptions
        {
            // libzmq checks the size in its stream decoder, so tcp; inproc hands messages over whole.
            Endpoints = { "tcp://127.0.0.1:*" },
            Context = _context,
        });
        server.Start();
        var endpoint = server.Endpoints[0];
        await Task.Run(() =>
        {
            // WRITE's frame 0 is 11 octets of header plus the chunk; each pipe has its reader open,
            // so a WRITE the broker took in would be answered WRITE-OK at once.
            using var bigReader = new PipeDealer(_context, endpoint);
            bigReader.OpenReader("big");
            using (var big = new PipeDealer(_context, endpoint))
            {
                big.OpenWriter("big");
                big.Send(new ZpipesMsg.Write { Chunk = new byte[ZpipesMsg.MaxSize - 10], Timeout = 0 });   // one octet over
                Assert.Null(big.TryReceive(TimeSpan.FromMilliseconds(500)));
            }
            using var reader = new PipeDealer(_context, endpoint);
            reader.OpenReader("fits");
            using var fits = new PipeDealer(_context, endpoint);
            fits.OpenWriter("fits");
            fits.Send(new ZpipesMsg.Write { Chunk = new byte[ZpipesMsg.MaxSize - 11], Timeout = 0 });
            fits.Expect<ZpipesMsg.WriteOk>(TimeSpan.FromSeconds(30));
            reader.Send(new ZpipesMsg.Read { Size = ZpipesMsg.MaxSize - 11, Timeout = 0 });
            Assert.Equal(ZpipesMsg.MaxSize - 11, reader.Expect<ZpipesMsg.ReadOk>(TimeSpan.FromSeconds(30)).Chunk.Length);
        });
        Assert.Equal(0, server.MalformedMessages);
    }
}
