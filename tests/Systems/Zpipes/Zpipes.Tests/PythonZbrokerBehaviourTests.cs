using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Zpipes.Tests.Infrastructure;

namespace Zpipes.Tests;

/// <summary>The behaviours python-zbroker's tests (2014) checked, through the client library.</summary>
public sealed class PythonZbrokerBehaviourTests
{
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Write_without_a_reader_blocks_until_one_attaches()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "pipe", options);
        var write = writer.WriteAsync(Bytes.Ascii("data"));
        await Task.Delay(Blocked);
        Assert.False(write.IsCompleted);
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "pipe", options);
        await write.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("data", Bytes.Text(await reader.ReadAsync(4)));
    }

    [Fact]
    public async Task Read_without_a_writer_blocks_until_one_writes()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "pipe", options);
        var read = reader.ReadAsync(4);
        await Task.Delay(Blocked);
        Assert.False(read.IsCompleted);
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "pipe", options);
        await writer.WriteAsync(Bytes.Ascii("data"));
        Assert.Equal("data", Bytes.Text(await read.WaitAsync(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task Read_without_data_blocks()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "pipe", options);
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "pipe", options);
        var read = reader.ReadAsync(1);
        await Task.Delay(Blocked);
        Assert.False(read.IsCompleted);
        await writer.WriteAsync(Bytes.Ascii("x"));
        Assert.Equal("x", Bytes.Text(await read.WaitAsync(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task A_four_byte_write_reads_as_four_single_bytes()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        await using var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "pipe", options);
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "pipe", options);
        await writer.WriteAsync(Bytes.Ascii("abcd"));
        var bytes = new StringBuilder();
        for (var i = 0; i < 4; i++)
            bytes.Append(Bytes.Text(await reader.ReadAsync(1)));
        Assert.Equal("abcd", bytes.ToString());
    }

    [Fact]
    public async Task A_thousand_writes_then_close_read_back_as_a_thousand_lines()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "pipe", options);
        var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "pipe", options);
        for (var i = 0; i < 1000; i++)
            await writer.WriteAsync(Bytes.Ascii($"line {i}\n"));
        await writer.CloseAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync(1000) is { IsEmpty: false } data)
            text.Append(Bytes.Text(data));
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"line {i}"), lines);
    }

    [Fact]
    public async Task After_both_sides_close_the_pipe_is_flushed()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "pipe", options);
        var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "pipe", options);
        await writer.WriteAsync(Bytes.Ascii("old data"));
        await writer.CloseAsync();
        await reader.CloseAsync();
        await using var writer2 = await Zpipe.OpenWriterAsync(broker.Endpoint, "pipe", options);
        await using var reader2 = await Zpipe.OpenReaderAsync(broker.Endpoint, "pipe", options);
        await writer2.WriteAsync(Bytes.Ascii("new"));
        await writer2.CloseAsync();
        Assert.Equal("new", Bytes.Text(await reader2.ReadAsync(100)));
        Assert.True((await reader2.ReadAsync(100)).IsEmpty);
    }

    [Fact]
    public async Task Writes_123_456_789_then_close_read_in_threes_then_empty()
    {
        await using var broker = TestBroker.Start();
        var options = broker.ClientOptions();
        await using var reader = await Zpipe.OpenReaderAsync(broker.Endpoint, "pipe", options);
        var writer = await Zpipe.OpenWriterAsync(broker.Endpoint, "pipe", options);
        foreach (var s in new[] { "123", "456", "789" })
            await writer.WriteAsync(Bytes.Ascii(s));
        await writer.CloseAsync();
        Assert.Equal("123", Bytes.Text(await reader.ReadAsync(3)));
        Assert.Equal("456", Bytes.Text(await reader.ReadAsync(3)));
        Assert.Equal("789", Bytes.Text(await reader.ReadAsync(3)));
        Assert.Equal("", Bytes.Text(await reader.ReadAsync(3)));
    }
}
