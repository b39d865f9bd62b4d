using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zpipes.Protocol;
using Zpipes.Tests.Infrastructure;

namespace Zpipes.Tests;

/// <summary>
/// The ZPIPES acceptance scenarios of systems.md §3.11 that need no cluster (ZP-S01..S12, S15), on
/// raw DEALER sockets with the exact bytes of §3.3 wherever the spec gives them.
/// </summary>
public sealed class AcceptanceScenarioTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task ZP_S01_output_frame_gets_exactly_one_output_ok_frame()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        var output = Bytes.Hex("AA A0 04 09 \"test pipe\"");
        Assert.Equal(output, ZpipesMsg.EncodeFrames(new ZpipesMsg.Output { Pipename = "test pipe" })[0].ToArray());
        writer.SendRaw(output);
        writer.ExpectBytes("AA A0 05");
        writer.ExpectSilence(Short);
    }

    [Fact]
    public async Task ZP_S02_write_without_reader_times_out_after_the_timeout()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        writer.OpenWriter("test pipe");
        var write = Bytes.Hex("AA A0 0C 00 00 00 0C \"Hello, World\" 00 00 00 64");
        Assert.Equal(write, ZpipesMsg.EncodeFrames(new ZpipesMsg.Write { Chunk = Bytes.HelloWorld, Timeout = 100 })[0].ToArray());
        var watch = Stopwatch.StartNew();
        writer.SendRaw(write);
        writer.ExpectBytes("AA A0 0E");
        // Not before the 100 ms timeout; the upper bound only tells "timed out" from "hung", with room for a loaded machine.
        Assert.InRange(watch.ElapsedMilliseconds, 95, 10_000);
    }

    [Fact]
    public async Task ZP_S03_reads_are_cut_across_writes_and_end_short_then_empty()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        foreach (var chunk in new[] { "CHUNK1", "CHUNK2", "CHUNK3" })
            writer.WriteOk(Bytes.Ascii(chunk));
        reader.Read(1);
        reader.ExpectBytes("AA A0 08 00 00 00 01 \"C\"");
        Assert.Equal("HUNK1CHUNK", Bytes.Text(reader.ReadOk(10)));
        writer.Close();
        reader.Read(50);
        reader.ExpectBytes("AA A0 08 00 00 00 07 \"2CHUNK3\"");
        reader.Read(50);
        reader.ExpectBytes("AA A0 09");
    }

    [Fact]
    public async Task ZP_S04_zero_read_answers_read_end_even_with_data_pending_and_keeps_the_data()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        writer.WriteOk(Bytes.HelloWorld);
        reader.Read(0);
        reader.ExpectBytes("AA A0 09");
        Assert.Equal(Bytes.HelloWorld, reader.ReadOk(12));
    }

    [Fact]
    public async Task ZP_S05_pipelined_reads_and_ping_reproduce_selftest_b()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        Selftests.Pipelining(reader, writer);
    }

    [Fact]
    public async Task ZP_S06_close_overtakes_pending_reads()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        reader.Read(12, 100);
        reader.Read(12, 100);
        reader.Send(new ZpipesMsg.Ping());
        reader.Send(new ZpipesMsg.Close());
        reader.ExpectBytes("AA A0 14");
        reader.Expect<ZpipesMsg.ReadFailed>();
        Assert.Equal((byte)0x0B, reader.LastFrame[2]);
        reader.ExpectBytes("AA A0 11");
        reader.ExpectBytes("AA A0 15");
        writer.Close();
    }

    [Fact]
    public async Task ZP_S07_second_writer_and_second_reader_are_refused_and_the_first_keep_working()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var writer2 = broker.Dealer();
        using var reader = broker.Dealer();
        using var reader2 = broker.Dealer();
        writer.OpenWriter("test pipe");
        writer2.Send(new ZpipesMsg.Output { Pipename = "test pipe" });
        writer2.Expect<ZpipesMsg.OutputFailed>();
        Assert.Equal(new byte[] { 0xAA, 0xA0, 0x06 }, writer2.LastFrame[..3]);
        reader.OpenReader("test pipe");
        reader2.Send(new ZpipesMsg.Input { Pipename = "test pipe" });
        reader2.Expect<ZpipesMsg.InputFailed>();
        Assert.Equal(new byte[] { 0xAA, 0xA0, 0x03 }, reader2.LastFrame[..3]);
        writer.WriteOk(Bytes.HelloWorld);
        Assert.Equal(Bytes.HelloWorld, reader.ReadOk(12));
        // The refused clients were dropped: their next request starts a fresh session.
        writer2.Send(new ZpipesMsg.Write { Chunk = Bytes.HelloWorld });
        writer2.Expect<ZpipesMsg.Invalid>();
    }

    [Fact]
    public async Task ZP_S08_write_after_the_reader_closed_fails_and_close_still_succeeds()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        writer.OpenWriter("test pipe");
        reader.OpenReader("test pipe");
        reader.Close();
        writer.Write(Bytes.HelloWorld);
        writer.Expect<ZpipesMsg.WriteFailed>();
        Assert.Equal(new byte[] { 0xAA, 0xA0, 0x0F }, writer.LastFrame[..3]);
        writer.Send(new ZpipesMsg.Close());
        writer.ExpectBytes("AA A0 11");
    }

    [Fact]
    public async Task ZP_S09_pending_read_gets_the_short_remainder_when_the_writer_closes()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        writer.OpenWriter("test pipe");
        reader.OpenReader("test pipe");
        writer.WriteOk(Bytes.HelloWorld);
        reader.Read(1000, 0);
        reader.ExpectSilence(TimeSpan.FromMilliseconds(100));
        writer.Close();
        reader.ExpectBytes("AA A0 08 00 00 00 0C \"Hello, World\"");
        reader.Read(12);
        reader.ExpectBytes("AA A0 09");
    }

    [Fact]
    public async Task ZP_S10_expiry_erases_the_pipe_contents()
    {
        // A 1 s expiry, not 200 ms: both clients must stay alive across their opening messages,
        // which a loaded machine stretched past 200 ms; two timeouts of silence then expire both.
        var expiry = TimeSpan.FromSeconds(1);
        await using var broker = TestBroker.Start(expiry);
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        writer.WriteOk(Bytes.HelloWorld);
        Thread.Sleep(2 * expiry);
        reader.Read(12, 100);
        reader.ExpectBytes("AA A0 15");
        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        reader.Read(12, 100);
        reader.ExpectBytes("AA A0 0A");
    }

    [Fact]
    public async Task ZP_S11_pings_keep_a_waiting_reader_alive_past_the_server_timeout()
    {
        // Pings every 100 ms against a 1 s timeout, for three timeouts: a ten-fold margin, so a
        // loaded machine that holds a ping back a few hundred milliseconds does not expire the reader.
        await using var broker = TestBroker.Start(TimeSpan.FromSeconds(1));
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        reader.OpenReader("test pipe");
        reader.Read(12, 0);
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 3000)
        {
            Thread.Sleep(100);
            reader.Ping();
        }
        writer.OpenWriter("test pipe");
        writer.WriteOk(Bytes.HelloWorld);
        Assert.Equal(Bytes.HelloWorld, reader.Expect<ZpipesMsg.ReadOk>().Chunk.ToArray());
    }

    [Fact]
    public async Task ZP_S12_read_timeout_survives_pings()
    {
        await using var broker = TestBroker.Start();
        using var reader = broker.Dealer();
        reader.OpenReader("test pipe");
        var watch = Stopwatch.StartNew();
        reader.Read(12, 500);
        var timedOutAt = PingUntil<ZpipesMsg.ReadTimeout>(reader, watch);
        Assert.True(timedOutAt >= 480, $"READ-TIMEOUT after {timedOutAt} ms, before its 500 ms deadline");
    }

    [Fact]
    public async Task ZP_S12_write_timeout_survives_pings()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        writer.OpenWriter("test pipe");
        var watch = Stopwatch.StartNew();
        writer.Write(Bytes.HelloWorld, 400);
        var timedOutAt = PingUntil<ZpipesMsg.WriteTimeout>(writer, watch);
        Assert.True(timedOutAt >= 380, $"WRITE-TIMEOUT after {timedOutAt} ms, before its 400 ms deadline");
    }

    /// <summary>
    /// PINGs every 100 ms, draining the PING-OKs, until <typeparamref name="T"/> arrives; returns when
    /// (ms on <paramref name="watch"/>). The PINGs go on for up to 10 s: a request deadline that a PING
    /// reset would never pass, so the answer arriving at all is the proof. No upper bound on when: a
    /// loaded machine delays it by any amount.
    /// </summary>
    private static long PingUntil<T>(RawDealer dealer, Stopwatch watch) where T : ZpipesMsg.Message
    {
        while (watch.ElapsedMilliseconds < 10_000)
        {
            Thread.Sleep(100);
            dealer.Send(new ZpipesMsg.Ping());
            while (dealer.Receive(TimeSpan.FromMilliseconds(20)) is { } reply)
            {
                if (reply is T)
                    return watch.ElapsedMilliseconds;
                Assert.IsType<ZpipesMsg.PingOk>(reply);
            }
        }
        throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} in 10 s of PINGs: they reset the deadline");
    }

    [Fact]
    public async Task ZP_S15_client_api_errors_map_to_the_c_clients_errnos()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "test pipe", options);

        var invalid = await Assert.ThrowsAsync<ZpipesInvalidException>(() => reader.WriteAsync(Bytes.HelloWorld, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ZpipesException.EBADF, invalid.Errno);

        var timedOut = await Assert.ThrowsAsync<ZpipesTimeoutException>(() => reader.ReadAsync(12, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ZpipesException.EAGAIN, timedOut.Errno);

        var pending = reader.ReadAsync(12);
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);
        await reader.CloseAsync();
        var failed = await Assert.ThrowsAsync<ZpipesFailedException>(() => pending);
        Assert.Equal(ZpipesException.EINTR, failed.Errno);
    }
}
