using System;
using System.IO;
using Xunit;
using Zbroker;

namespace Reliability.Tests;

/// <summary>Where zbroker's pipe limit comes from: --pipe-limit, else the ZPL file, else 8 MiB; and the frame limit it implies.</summary>
public sealed class PipeLimitSettingsTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"reliability-{Guid.NewGuid():N}.cfg");

    private string Config(string limit)
    {
        File.WriteAllText(_config, $"zpipes_server\n    pipe\n        limit = {limit}\n    bind\n        endpoint = tcp://127.0.0.1:*\n");
        return _config;
    }

    [Fact]
    public void The_default_is_8_MiB_and_frames_may_be_one_chunk_plus_1_KiB()
    {
        var settings = new BrokerSettings { Binds = ["tcp://127.0.0.1:*"] };
        Assert.Equal(8L * 1024 * 1024, settings.ToPipeLimit());
        Assert.Equal(8L * 1024 * 1024 + 1024, settings.ToServerOptions().MaxMessageSize);
    }

    [Fact]
    public void The_file_sets_it_and_the_command_line_overrides_the_file()
    {
        var file = new BrokerSettings { ConfigFile = Config("65536") };
        Assert.Equal(65536, file.ToPipeLimit());
        Assert.Equal(65536 + 1024, file.ToServerOptions().MaxMessageSize);
        Assert.Equal(4096, (file with { PipeLimitBytes = 4096 }).ToPipeLimit());
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("-5")]
    public void A_limit_that_is_not_a_positive_number_of_bytes_is_a_format_error(string limit)
    {
        var error = Assert.Throws<FormatException>(() => new BrokerSettings { ConfigFile = Config(limit) }.ToPipeLimit());
        Assert.Contains("pipe", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_config);
}
