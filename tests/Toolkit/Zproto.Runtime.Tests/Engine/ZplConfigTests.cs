using System;
using System.IO;
using System.Linq;
using Xunit;
using Zproto.Runtime.Configuration;
using Zproto.Runtime.Servers;

namespace Zproto.Runtime.Tests.Engine;

public class ZplConfigTests
{
    private const string Zbroker = """
        #   Default zbroker configuration
        #
        zpipes_server
            echo = "I: starting zpipes service"   # a quoted value with a comment
            bind
                endpoint = ipc://@/zpipes/local
                endpoint = tcp://127.0.0.1:5560
        server
            timeout = 10000     #   Client connection timeout
            background = 0
            workdir = .
        """;

    [Fact]
    public void Parses_zbroker_style_config_into_paths()
    {
        var config = ZplConfig.Parse(Zbroker);
        Assert.Equal("10000", config["server/timeout"]);
        Assert.Equal("I: starting zpipes service", config["zpipes_server/echo"]);
        Assert.Equal(new[] { "ipc://@/zpipes/local", "tcp://127.0.0.1:5560" }, config.All("zpipes_server/bind/endpoint").ToArray());
        Assert.Equal("", config["server"]);
        Assert.Null(config["server/missing"]);
    }

    [Fact]
    public void Server_options_take_timeout_verbose_and_bind_endpoints()
    {
        var options = new ServerOptions().Apply(ZplConfig.Parse(Zbroker + "\n    animate = 1\n"), "zpipes_server");
        Assert.Equal(TimeSpan.FromSeconds(10), options.ClientTimeout);
        Assert.True(options.Verbose);
        Assert.Equal(2, options.Endpoints.Count);
    }

    [Theory]
    [InlineData("server\n  timeout = 1\n", "multiple of 4")]
    [InlineData("server\n\ttimeout = 1\n", "tabs")]
    [InlineData("server\n        timeout = 1\n", "deeper")]
    [InlineData("name = \"unterminated\n", "unterminated")]
    public void Malformed_lines_are_reported_with_file_and_line(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ZplConfig.Parse(text, "zbroker.cfg"));
        Assert.Contains("zbroker.cfg(", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_non_numeric_timeout_is_a_clear_error()
    {
        var config = ZplConfig.Parse("server\n    timeout = soon\n");
        Assert.Throws<FormatException>(() => new ServerOptions().Apply(config, "x"));
    }

    [Fact]
    public void A_missing_file_names_the_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ZplConfig.Load("/nonexistent/zbroker.cfg"));
        Assert.Contains("/nonexistent/zbroker.cfg", error.Message);
    }
}
