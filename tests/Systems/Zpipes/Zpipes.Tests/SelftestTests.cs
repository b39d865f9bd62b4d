using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Zpipes.Protocol;
using Zpipes.Tests.Infrastructure;

namespace Zpipes.Tests;

/// <summary>The dialogues of the 2014 zpipes_server_test, shared by the selftest tests and ZP-S05.</summary>
internal static class Selftests
{
    public const uint Timeout = 100;

    /// <summary>(b): three pipelined READs, PING, and the final INVALIDs.</summary>
    public static void Pipelining(RawDealer reader, RawDealer writer)
    {
        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        reader.Read(12, Timeout);
        reader.Read(12, Timeout);
        reader.Read(12, Timeout);
        reader.ExpectBytes("AA A0 0A");
        writer.WriteOk(Bytes.HelloWorld, Timeout);
        reader.ExpectBytes("AA A0 08 00 00 00 0C \"Hello, World\"");
        reader.Send(new ZpipesMsg.Ping());
        reader.ExpectBytes("AA A0 14");
        writer.Close();
        reader.ExpectBytes("AA A0 09");
        reader.Close();
        reader.Read(12, Timeout);
        reader.ExpectBytes("AA A0 15");
        reader.Send(new ZpipesMsg.Close());
        reader.ExpectBytes("AA A0 15");
    }
}

/// <summary>zpipes_server_test (a)–(i) and zpipes_client_test of the 2014 zbroker, step by step.</summary>
public sealed class SelftestTests
{
    private const uint Timeout = Selftests.Timeout;

    [Fact]
    public async Task A_basic_write_timeout_read_timeout_write_read_zero_read_and_closes()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        writer.OpenWriter("test pipe");
        writer.Write(Bytes.HelloWorld, Timeout);
        writer.Expect<ZpipesMsg.WriteTimeout>();
        reader.OpenReader("test pipe");
        reader.Read(12, Timeout);
        reader.Expect<ZpipesMsg.ReadTimeout>();
        writer.WriteOk(Bytes.HelloWorld, 0);
        Assert.Equal(Bytes.HelloWorld, reader.ReadOk(12, Timeout));
        reader.Read(0, Timeout);
        reader.Expect<ZpipesMsg.ReadEnd>();
        writer.Close();
        reader.Read(12, Timeout);
        reader.Expect<ZpipesMsg.ReadEnd>();
        reader.Close();
    }

    [Fact]
    public async Task B_pipelined_reads_are_served_in_order_and_ping_is_answered_between_them()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        Selftests.Pipelining(reader, writer);
    }

    [Fact]
    public async Task C_close_answers_the_pending_read_then_closes_then_the_queued_read_is_invalid()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        reader.Read(12, Timeout);
        reader.Read(12, Timeout);
        reader.Send(new ZpipesMsg.Ping());
        reader.Expect<ZpipesMsg.PingOk>();
        reader.Send(new ZpipesMsg.Close());
        reader.Expect<ZpipesMsg.ReadFailed>();
        reader.Expect<ZpipesMsg.CloseOk>();
        reader.Expect<ZpipesMsg.Invalid>();
        writer.Close();
    }

    [Fact]
    public async Task D_reads_of_any_size_after_the_writer_closed_end_short_then_with_read_end()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        writer.OpenWriter("test pipe");
        reader.OpenReader("test pipe");
        writer.WriteOk(Bytes.HelloWorld, Timeout);
        writer.Close();
        Assert.Equal("H", Bytes.Text(reader.ReadOk(1, Timeout)));
        Assert.Equal("el", Bytes.Text(reader.ReadOk(2, Timeout)));
        Assert.Equal("lo,", Bytes.Text(reader.ReadOk(3, Timeout)));
        Assert.Equal(" Wo", Bytes.Text(reader.ReadOk(3, Timeout)));
        Assert.Equal("rld", Bytes.Text(reader.ReadOk(100, Timeout)));
        reader.Read(100, Timeout);
        reader.Expect<ZpipesMsg.ReadEnd>();
    }

    [Fact]
    public async Task E_expired_clients_get_no_reply_then_invalid_and_their_data_is_gone()
    {
        // The 2014 test's 200 ms expiry scaled to 1 s: each client must stay alive across its own
        // messages below (the last one waits out a 100 ms read timeout), which a loaded machine
        // stretched past 200 ms. Silences of two timeouts still expire both.
        var expiry = TimeSpan.FromSeconds(1);
        await using var broker = TestBroker.Start(expiry);
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        reader.OpenReader("test pipe");
        reader.Read(12, 0);
        reader.ExpectSilence(2 * expiry);
        reader.Read(12, 0);
        reader.Expect<ZpipesMsg.Invalid>();

        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        writer.WriteOk(Bytes.HelloWorld, Timeout);
        Thread.Sleep(2 * expiry);
        reader.OpenReader("test pipe");
        writer.OpenWriter("test pipe");
        reader.Read(12, Timeout);
        // Not in the 2014 test: keeps the writer from expiring while the read times out.
        writer.Ping();
        reader.Expect<ZpipesMsg.ReadTimeout>();
        reader.Close();
        writer.Close();
    }

    [Fact]
    public async Task F_a_new_writer_on_the_name_feeds_a_new_reader_while_the_old_reader_drains_its_queue()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        using var reader2 = broker.Dealer();
        writer.OpenWriter("test pipe");
        reader.OpenReader("test pipe");
        writer.WriteOk(Bytes.HelloWorld, Timeout);
        writer.Close();
        writer.OpenWriter("test pipe");
        Assert.Equal(Bytes.HelloWorld, reader.ReadOk(12, Timeout));
        reader2.OpenReader("test pipe");
        writer.WriteOk(Bytes.HelloWorld, Timeout);
        reader.Read(0, Timeout);
        reader.Expect<ZpipesMsg.ReadEnd>();
        Assert.Equal(Bytes.HelloWorld, reader2.ReadOk(12, Timeout));
        writer.Close();
        reader.Close();
        reader2.Read(0, Timeout);
        reader2.Expect<ZpipesMsg.ReadEnd>();
        reader2.Read(0, Timeout);
        reader2.Expect<ZpipesMsg.ReadEnd>();
        reader2.Close();
    }

    [Fact]
    public async Task G_write_after_the_reader_closed_fails()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        writer.OpenWriter("test pipe");
        reader.OpenReader("test pipe");
        writer.WriteOk(Bytes.HelloWorld, Timeout);
        Assert.Equal(Bytes.HelloWorld, reader.ReadOk(12, Timeout));
        reader.Close();
        writer.Write(Bytes.HelloWorld, Timeout);
        writer.Expect<ZpipesMsg.WriteFailed>();
        writer.Close();
    }

    [Fact]
    public async Task H_a_pipe_has_one_writer_and_one_reader()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var writer2 = broker.Dealer();
        using var reader = broker.Dealer();
        using var reader2 = broker.Dealer();
        writer.OpenWriter("test pipe");
        writer2.Send(new ZpipesMsg.Output { Pipename = "test pipe" });
        writer2.Expect<ZpipesMsg.OutputFailed>();
        reader.OpenReader("test pipe");
        reader2.Send(new ZpipesMsg.Input { Pipename = "test pipe" });
        reader2.Expect<ZpipesMsg.InputFailed>();
        writer.Close();
        reader.Close();
    }

    [Fact]
    public async Task I_a_waiting_read_of_1000_gets_the_12_bytes_when_the_writer_closes()
    {
        await using var broker = TestBroker.Start();
        using var writer = broker.Dealer();
        using var reader = broker.Dealer();
        writer.OpenWriter("test pipe");
        reader.OpenReader("test pipe");
        writer.WriteOk(Bytes.HelloWorld, Timeout);
        reader.Read(1000, 0);
        writer.Close();
        Assert.Equal(Bytes.HelloWorld, reader.Expect<ZpipesMsg.ReadOk>().Chunk.ToArray());
        reader.Read(0, Timeout);
        reader.Expect<ZpipesMsg.ReadEnd>();
        reader.Close();
    }

    [Fact]
    public async Task Client_test_eagain_before_data_reads_recut_short_at_the_end_and_ebadf_for_write_on_a_reader()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "test pipe", options);
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "test pipe", options);
        var data = new byte[50];
        var early = await Assert.ThrowsAsync<ZpipesTimeoutException>(() => reader.ReadAsync(data.AsMemory(0, 6), TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ZpipesException.EAGAIN, early.Errno);
        foreach (var chunk in new[] { "CHUNK1", "CHUNK2", "CHUNK3" })
            await writer.WriteAsync(Bytes.Ascii(chunk), TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, await reader.ReadAsync(data.AsMemory(0, 1), TimeSpan.FromMilliseconds(100)));
        Assert.Equal(10, await reader.ReadAsync(data.AsMemory(0, 10), TimeSpan.FromMilliseconds(100)));
        Assert.Equal("HUNK1CHUNK", Bytes.Text(data.AsMemory(0, 10)));
        await writer.DisposeAsync();
        Assert.Equal(7, await reader.ReadAsync(data, TimeSpan.FromMilliseconds(100)));
        Assert.Equal("2CHUNK3", Bytes.Text(data.AsMemory(0, 7)));
        Assert.Equal(0, await reader.ReadAsync(data, TimeSpan.FromMilliseconds(100)));
        var invalid = await Assert.ThrowsAsync<ZpipesInvalidException>(() => reader.WriteAsync(Bytes.HelloWorld, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ZpipesException.EBADF, invalid.Errno);
    }
}
