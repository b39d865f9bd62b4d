using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Zpipes.Tests.Infrastructure;

namespace Zpipes.Tests;

/// <summary>The zpipes command line against a zbroker process: binary safety, exit codes, and a large transfer through three processes.</summary>
[Collection(HeavyCollection.Name)]
public sealed class CliTests
{
    [Fact]
    public async Task Write_then_read_passes_every_byte_value_unchanged_and_stays_silent_when_redirected()
    {
        await using var broker = await BrokerProcess.StartAsync(1, "--bind", "tcp://127.0.0.1:*");
        var data = Enumerable.Range(0, 256).Select(i => (byte)i).Concat("\r\n\n\r\u001a"u8.ToArray()).Concat(Enumerable.Range(0, 256).Select(i => (byte)(255 - i))).ToArray();
        var reading = Programs.RunZpipesAsync(new[] { "--endpoint", broker.Endpoint, "read", "bin" });
        var (writeCode, writeOut, writeErr) = await Programs.RunZpipesAsync(new[] { "--endpoint", broker.Endpoint, "write", "bin" }, data);
        var (readCode, readOut, readErr) = await reading;
        Assert.Equal((0, ""), (writeCode, writeErr));
        Assert.Equal((0, ""), (readCode, readErr));
        Assert.Empty(writeOut);
        Assert.Equal(data, readOut);
    }

    /// <summary>
    /// 16 MiB in CI; <c>ZPIPES_CLI_TEST_MIB=256</c> runs the full-size transfer of
    /// docs/benchmarks-zpipes.md. With the default window (READs and WRITEs in flight) and with one
    /// request at a time.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public async Task A_large_file_through_writer_broker_and_reader_processes_arrives_with_the_same_sha256(string? window)
    {
        var mebibytes = int.TryParse(Environment.GetEnvironmentVariable("ZPIPES_CLI_TEST_MIB"), out var m) && m > 0 ? m : 16;
        var size = mebibytes * 1024L * 1024;
        var windowArgs = window is null ? Array.Empty<string>() : new[] { "--window", window };
        var file = Path.Combine(Path.GetTempPath(), $"zpipes-{mebibytes}mib-{Guid.NewGuid():N}.bin");
        try
        {
            byte[] expected;
            await using (var output = File.Create(file))
            {
                var random = new Random(20141001);
                var block = new byte[1024 * 1024];
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                for (long written = 0; written < size; written += block.Length)
                {
                    random.NextBytes(block);
                    hash.AppendData(block);
                    await output.WriteAsync(block);
                }
                expected = hash.GetHashAndReset();
            }
            await using var broker = await BrokerProcess.StartAsync(1, "--bind", "tcp://127.0.0.1:*");
            using var reader = Programs.Start(Programs.ZpipesDll, windowArgs.Concat(new[] { "-e", broker.Endpoint, "read", "big" }).ToArray());
            using var writer = Programs.Start(Programs.ZpipesDll, windowArgs.Concat(new[] { "-e", broker.Endpoint, "write", "big" }).ToArray(), redirectInput: true);
            var readerErr = reader.StandardError.ReadToEndAsync();
            var writerErr = writer.StandardError.ReadToEndAsync();
            var hashing = Task.Run(async () =>
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[256 * 1024];
                long total = 0;
                int n;
                while ((n = await reader.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    total += n;
                }
                return (hash.GetHashAndReset(), total);
            });
            await using (var input = File.OpenRead(file))
                await input.CopyToAsync(writer.StandardInput.BaseStream);
            writer.StandardInput.Close();
            var (actual, total) = await hashing.WaitAsync(TimeSpan.FromSeconds(90));
            await writer.WaitForExitAsync();
            await reader.WaitForExitAsync();
            Assert.Equal((0, ""), (writer.ExitCode, await writerErr));
            Assert.Equal((0, ""), (reader.ExitCode, await readerErr));
            Assert.Equal(size, total);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
            Assert.Equal(0, (await broker.StopAsync()).ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Exit_codes_say_what_failed()
    {
        await using var broker = await BrokerProcess.StartAsync(1, "--bind", "tcp://127.0.0.1:*");
        var e = new[] { "--endpoint", broker.Endpoint };

        // 3: a read with --timeout and no data; a write with --timeout and no reader.
        var read = await Programs.RunZpipesAsync(e.Concat(new[] { "--timeout", "200", "read", "idle" }));
        Assert.Equal(3, read.ExitCode);
        Assert.Contains("READ-TIMEOUT", read.Stderr);
        var write = await Programs.RunZpipesAsync(e.Concat(new[] { "--timeout", "200", "write", "lonely" }), new byte[] { 1, 2, 3 });
        Assert.Equal(3, write.ExitCode);
        Assert.Contains("WRITE-TIMEOUT", write.Stderr);

        // 1: the pipe already has a reader.
        await using (var first = await Zpipe.OpenReaderAsync(broker.Endpoint, "taken"))
        {
            var second = await Programs.RunZpipesAsync(e.Concat(new[] { "read", "taken" }));
            Assert.Equal(1, second.ExitCode);
            Assert.Contains("pipe already has a reader", second.Stderr);
        }

        // 2: usage.
        Assert.Equal(2, (await Programs.RunZpipesAsync(e)).ExitCode);
        Assert.Equal(2, (await Programs.RunZpipesAsync(e.Concat(new[] { "--timeout", "-5", "read", "x" }))).ExitCode);
        Assert.Equal(2, (await Programs.RunZpipesAsync(new[] { "--endpoint", "tcp://x", "--broker", "y", "read", "x" })).ExitCode);
        Assert.Equal(2, (await Programs.RunZpipesAsync(new[] { "frobnicate" })).ExitCode);
    }

    [Fact]
    public async Task An_unreachable_broker_exits_3_within_the_receive_timeout()
    {
        // An abstract ipc name nothing binds, unlike a port that was free a moment ago, which another
        // process on this machine could take in the meantime.
        var endpoint = $"ipc://@zpipes-nothing-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var watch = Stopwatch.StartNew();
        var result = await Programs.RunZpipesAsync(new[] { "--endpoint", endpoint, "--receive-timeout", "500", "read", "p" });
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("did not answer", result.Stderr);
        // Process start included, which a loaded machine stretches to seconds; a client that waited
        // for the broker instead of giving up would be stopped at RunZpipesAsync's 30 s limit.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), $"zpipes took {watch.Elapsed}");
    }

    [Fact]
    public async Task Sigint_interrupts_a_blocked_reader_with_exit_130_and_frees_the_pipe_at_the_broker()
    {
        await using var broker = await BrokerProcess.StartAsync(1, "--bind", "tcp://127.0.0.1:*");
        // --verbose traces each message the reader sends. Its first READ ("> read") proves it holds
        // the pipe and is blocked: a probe that tries to open the pipe too could take it first and
        // make the reader fail to open.
        using var reader = Programs.Start(Programs.ZpipesDll, new[] { "-e", broker.Endpoint, "--verbose", "read", "waiting" });
        var stderr = new StringBuilder();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pump = Task.Run(async () =>
        {
            while (await reader.StandardError.ReadLineAsync() is { } line)
            {
                lock (stderr)
                    stderr.AppendLine(line);
                if (line.EndsWith("> read", StringComparison.Ordinal))
                    blocked.TrySetResult();
            }
            blocked.TrySetException(new Xunit.Sdk.XunitException($"the zpipes reader ended before it sent READ:\n{stderr}"));
        });
        // A process start on a loaded machine can take many seconds.
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Programs.Signal(reader, Programs.SIGINT);
        await reader.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await pump.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(130, reader.ExitCode);
        Assert.Contains("interrupted", stderr.ToString());
        await using var next = await Zpipe.OpenReaderAsync(broker.Endpoint, "waiting");
    }
}
