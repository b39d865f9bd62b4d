using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zpipes.Protocol;
using Zpipes.Tests.Infrastructure;

namespace Zpipes.Tests;

/// <summary>Bad input and faults (§3.4b): garbage, unknown ids, out-of-sequence messages and vanished peers get the spec's answer or are dropped, and never disturb other pipes.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task Garbage_unknown_ids_and_truncated_frames_are_dropped_silently_and_other_pipes_flow()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        using var bad = broker.Dealer();
        writer.OpenWriter("good");
        reader.OpenReader("good");
        bad.SendRaw(new byte[] { 1, 2, 3 });                                  // bad signature
        bad.SendRaw(new byte[] { 0xAA, 0xA1, 0x10 });                         // another protocol's signature
        bad.SendRaw(new byte[] { 0xAA, 0xA0, 99 });                           // unknown id
        bad.SendRaw(new byte[] { 0xAA, 0xA0, 0x0C, 0, 0, 0, 9, 1, 2 });       // WRITE whose chunk runs past the frame
        bad.SendRaw(new byte[] { 0xAA, 0xA0, 0x01, 5, 0x61 });                // INPUT whose name runs past the frame
        bad.SendRaw(Array.Empty<byte>());                                     // empty frame
        bad.ExpectSilence(TimeSpan.FromMilliseconds(200));
        writer.WriteOk(Bytes.HelloWorld);
        Assert.Equal(Bytes.HelloWorld, reader.ReadOk(12));
        Assert.Equal(6, broker.Server.MalformedMessages);
        // The bad peer's session was never created: its first good message starts one.
        bad.Ping();
    }

    [Fact]
    public async Task Requests_out_of_sequence_get_invalid_and_drop_the_session()
    {
        await using var broker = TestBroker.Start();
        using var peer = broker.Dealer();
        peer.Read(12, 100);
        peer.ExpectBytes("AA A0 15");
        peer.Write(Bytes.HelloWorld, 100);
        peer.ExpectBytes("AA A0 15");
        peer.Send(new ZpipesMsg.Close());
        peer.ExpectBytes("AA A0 15");
        // Server-to-client messages sent to the server are just as invalid.
        peer.Send(new ZpipesMsg.ReadOk { Chunk = Bytes.HelloWorld });
        peer.ExpectBytes("AA A0 15");
        peer.Ping();
    }

    [Fact]
    public async Task Input_or_output_on_an_open_pipe_is_invalid_and_detaches_the_client()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var writer2 = broker.Dealer();
        writer.OpenWriter("p");
        writer.Send(new ZpipesMsg.Input { Pipename = "q" });
        writer.ExpectBytes("AA A0 15");
        // Detached on termination (the 2014 '*' path leaked the pipe): the name is free again.
        writer2.OpenWriter("p");
        Assert.Equal(1, await broker.Server.CountPipesAsync());
    }

    [Fact]
    public async Task Read_on_a_writer_and_write_on_a_reader_are_invalid_but_keep_the_session()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        writer.OpenWriter("p");
        reader.OpenReader("p");
        writer.Read(1, 100);
        writer.Expect<ZpipesMsg.Invalid>();
        reader.Write(Bytes.HelloWorld, 100);
        reader.Expect<ZpipesMsg.Invalid>();
        writer.WriteOk(Bytes.HelloWorld);
        Assert.Equal(Bytes.HelloWorld, reader.ReadOk(12));
    }

    [Fact]
    public async Task A_writer_attaching_while_the_reader_waits_is_no_crash_and_the_read_completes()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        reader.OpenReader("p");
        reader.Read(12, 0);
        writer.OpenWriter("p");
        reader.ExpectSilence(TimeSpan.FromMilliseconds(100));
        writer.WriteOk(Bytes.HelloWorld);
        Assert.Equal(Bytes.HelloWorld, reader.Expect<ZpipesMsg.ReadOk>().Chunk.ToArray());
    }

    [Fact]
    public async Task Close_clears_the_readers_queue()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        writer.OpenWriter("p");
        reader.OpenReader("p");
        writer.WriteOk(Bytes.HelloWorld);
        reader.Close();
        writer.Close();
        reader.OpenReader("p");
        writer.OpenWriter("p");
        reader.Read(12, 100);
        reader.Expect<ZpipesMsg.ReadTimeout>();
    }

    [Fact]
    public async Task A_writer_that_vanishes_mid_transfer_expires_and_the_reader_gets_the_rest_then_end()
    {
        await using var broker = TestBroker.Start(TimeSpan.FromSeconds(1));
        using var reader = broker.Dealer();
        var writer = broker.Dealer();
        reader.OpenReader("p");
        writer.OpenWriter("p");
        writer.WriteOk(Bytes.Ascii("partial"));
        reader.Read(100, 0);
        writer.Dispose();
        // The reader pings every 100 ms to stay alive (a 1 s timeout: ten-fold margin); the silent
        // writer expires and the read ends short.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ZpipesMsg.ReadOk? got = null;
        while (got is null && DateTime.UtcNow < deadline)
        {
            reader.Send(new ZpipesMsg.Ping());
            while (reader.Receive(TimeSpan.FromMilliseconds(100)) is { } reply)
            {
                if (reply is ZpipesMsg.ReadOk ok)
                    got = ok;
                else
                    Assert.IsType<ZpipesMsg.PingOk>(reply);
            }
        }
        Assert.NotNull(got);
        Assert.Equal("partial", Bytes.Text(got!.Chunk));
        reader.Read(1, 0);
        reader.ExpectAfterPings<ZpipesMsg.ReadEnd>();
    }

    [Fact]
    public async Task A_reader_that_vanishes_mid_transfer_expires_and_the_writer_gets_write_failed()
    {
        await using var broker = TestBroker.Start(TimeSpan.FromSeconds(1));
        using var writer = broker.Dealer();
        var reader = broker.Dealer();
        reader.OpenReader("p");
        writer.OpenWriter("p");
        writer.WriteOk(Bytes.HelloWorld);
        reader.Dispose();
        // The writer keeps itself alive with PINGs every 100 ms (a ten-fold margin on the 1 s
        // timeout) until the silent reader has expired, which takes the pipe off the broker.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await broker.Server.CountPipesAsync() != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the silent reader never expired");
            Thread.Sleep(100);
            writer.Ping();
        }
        writer.Write(Bytes.HelloWorld, 100);
        writer.Expect<ZpipesMsg.WriteFailed>();
        Assert.Equal(0, await broker.Server.CountPipesAsync());
    }

    [Fact]
    public async Task Pipes_are_independent_one_closing_or_failing_leaves_the_others_flowing()
    {
        await using var broker = TestBroker.Start();
        using var w1 = broker.Dealer();
        using var r1 = broker.Dealer();
        using var w2 = broker.Dealer();
        using var r2 = broker.Dealer();
        w1.OpenWriter("one");
        r1.OpenReader("one");
        w2.OpenWriter("two");
        r2.OpenReader("two");
        w1.WriteOk(Bytes.Ascii("first"));
        r1.Close();
        w1.Write(Bytes.HelloWorld);
        w1.Expect<ZpipesMsg.WriteFailed>();
        w1.SendRaw(new byte[] { 0xAA, 0xA0, 0xFF });
        w2.WriteOk(Bytes.Ascii("second"));
        Assert.Equal("second", Bytes.Text(r2.ReadOk(6)));
    }

    [Fact]
    public async Task A_client_pipelining_close_then_output_gets_a_new_pipe_not_the_old_reader()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        using var reader2 = broker.Dealer();
        writer.OpenWriter("p");
        reader.OpenReader("p");
        writer.Send(new ZpipesMsg.Close());
        writer.Send(new ZpipesMsg.Output { Pipename = "p" });
        writer.Expect<ZpipesMsg.CloseOk>();
        writer.Expect<ZpipesMsg.OutputOk>();
        reader2.OpenReader("p");
        writer.WriteOk(Bytes.HelloWorld);
        Assert.Equal(Bytes.HelloWorld, reader2.ReadOk(12));
        reader.Read(1, 100);
        reader.Expect<ZpipesMsg.ReadEnd>();
    }
}
