using System.IO;
using Xunit;

namespace Zproto.Cli.Tests;

public class DiagramCommandTests
{
    private static string Model(string name) => Path.Combine(Repository.Models, name);

    [Fact]
    public void Mermaid_is_the_default_and_shows_states_transitions_and_superstates()
    {
        var result = Zproto.Run("diagram", Model("echo_server.xml"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.StartsWith("stateDiagram-v2\n", result.Stdout);
        Assert.Contains("[*] --> Start", result.Stdout);
        Assert.Contains("Start --> Ready : HELLO / send HELLO-OK", result.Stdout);
        Assert.Contains("state External {", result.Stdout);
    }

    [Fact]
    public void Dot_format_draws_superstates_as_clusters()
    {
        var result = Zproto.Run("diagram", "--format", "dot", Model("echo_client.xml"));
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("digraph EchoClient {", result.Stdout);
        Assert.Contains("subgraph cluster_Defaults {", result.Stdout);
        Assert.Contains("Start -> Connecting [label=\"connect / send HELLO\"];", result.Stdout);
    }

    [Fact]
    public void A_protocol_model_or_an_unknown_format_is_refused()
    {
        var protocol = Zproto.Run("diagram", Model("echo_msg.xml"));
        Assert.Equal(1, protocol.ExitCode);
        Assert.Contains("protocol model", protocol.Stderr);
        Assert.Equal(2, Zproto.Run("diagram", "--format", "svg", Model("echo_server.xml")).ExitCode);
    }
}
