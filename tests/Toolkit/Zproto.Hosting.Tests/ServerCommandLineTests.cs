using System;
using Xunit;
using Zproto.Hosting;
using Zproto.Runtime.Servers;

namespace Zproto.Hosting.Tests;

/// <summary>The daemons' shared --bind/--timeout/--verbose switches over what a config file set.</summary>
public sealed class ServerCommandLineTests
{
    [Fact]
    public void Binds_AreAddedOnce_AfterTheFilesEndpoints()
    {
        var options = new ServerOptions();
        options.Endpoints.Add("inproc://from-file");
        options.ApplyCommandLine(new[] { "inproc://from-command-line", "inproc://from-file", "inproc://from-command-line" }, null, verbose: false);
        Assert.Equal(new[] { "inproc://from-file", "inproc://from-command-line" }, options.Endpoints);
    }

    [Fact]
    public void Timeout_OverridesTheFile_AndIsKeptWhenNotGiven()
    {
        var options = new ServerOptions { ClientTimeout = TimeSpan.FromSeconds(3) };
        options.ApplyCommandLine(Array.Empty<string>(), null, verbose: false);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ClientTimeout);
        options.ApplyCommandLine(Array.Empty<string>(), 250, verbose: false);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ClientTimeout);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void Timeout_MustBePositive(long milliseconds)
    {
        var error = Assert.Throws<FormatException>(() => new ServerOptions().ApplyCommandLine(Array.Empty<string>(), milliseconds, verbose: false));
        Assert.Contains("--timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_TurnsTracingOn_ButNeverOffWhatTheFileTurnedOn()
    {
        var quiet = new ServerOptions().ApplyCommandLine(Array.Empty<string>(), null, verbose: true);
        Assert.True(quiet.Verbose);
        var fromFile = new ServerOptions { Verbose = true }.ApplyCommandLine(Array.Empty<string>(), null, verbose: false);
        Assert.True(fromFile.Verbose);
    }
}
