using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Zproto.Cli.Tests;

/// <summary>
/// <c>zproto scaffold</c>: its stubs and the generated half compile together, warning-free, with no
/// CS8795 left (every action has its body); the doc comments name the states and events.
/// </summary>
public sealed class ScaffoldCommandTests
{
    [Theory]
    [InlineData("echo_server.xml", "echo_msg.xml", 5)]
    [InlineData("echo_client.xml", "echo_msg.xml", 10)]
    [InlineData("zpipes_server.xml", "zpipes_msg.xml", 0)]
    [InlineData("zpipes_client.xml", "zpipes_msg.xml", 0)]
    public void Scaffolded_actions_compile_with_the_generated_half(string machine, string protocol, int minimumActions)
    {
        using var temp = new TempDirectory();
        var generated = Path.Combine(temp.Path, "generated");
        var generate = Zproto.Run("generate", Repository.Model(machine), Repository.Model(protocol), "-o", generated, "-n", "Scaffolded");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var scaffold = Zproto.Run("scaffold", Repository.Model(machine), "-n", "Scaffolded");
        Assert.True(scaffold.ExitCode == 0, scaffold.ToString());

        var stubs = scaffold.Stdout.Split('\n').Count(l => l.TrimStart().StartsWith("private partial ", StringComparison.Ordinal));
        Assert.True(stubs >= Math.Max(1, minimumActions), $"{stubs} stubs:\n{scaffold.Stdout}");

        var sources = Directory.GetFiles(generated, "*.cs").Select(File.ReadAllText).Append(scaffold.Stdout);
        var diagnostics = Compile(sources).Where(d => d.Severity != DiagnosticSeverity.Hidden).ToList();
        Assert.True(diagnostics.Count == 0, string.Join('\n', diagnostics) + "\n" + scaffold.Stdout);
        Assert.DoesNotContain("ArgumentsAs", scaffold.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("RequestAs", scaffold.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Stubs_have_the_typed_signatures_the_generator_declares()
    {
        var server = Zproto.Run("scaffold", Repository.Model("echo_server.xml"));
        var client = Zproto.Run("scaffold", Repository.Model("echo_client.xml"));

        Assert.True(server.ExitCode == 0, server.ToString());
        Assert.True(client.ExitCode == 0, client.ToString());
        // Typed request, composer returning the message it sends, typed message, method arguments.
        Assert.Contains("private partial void RememberName(Client client, EchoMsg.Hello request)", server.Stdout, StringComparison.Ordinal);
        Assert.Contains("private partial EchoMsg.EchoOk ComposeEchoOk(Client client, EchoMsg.Echo request)", server.Stdout, StringComparison.Ordinal);
        Assert.Contains("private partial void SignalEchoed(EchoMsg.EchoOk message)", client.Stdout, StringComparison.Ordinal);
        Assert.Contains("private partial EchoMsg.Echo ComposeEcho(RoundTripArguments arguments)", client.Stdout, StringComparison.Ordinal);
        Assert.Contains("private partial void ConnectToServer(ConnectArguments arguments)", client.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_doc_comment_names_every_state_and_event_that_runs_the_action()
    {
        var result = Zproto.Run("scaffold", Repository.Model("echo_client.xml"));

        Assert.True(result.ExitCode == 0, result.ToString());
        // "signal success" runs in three states; ECHO's composer runs for the RoundTripAsync call.
        var success = Section(result.Stdout, "SignalSuccess");
        Assert.Contains("state 'connecting', event 'HELLO-OK'", success, StringComparison.Ordinal);
        Assert.Contains("state 'connected', event 'WAIT-OK'", success, StringComparison.Ordinal);
        Assert.Contains("state 'disconnecting', event 'GOODBYE-OK'", success, StringComparison.Ordinal);
        var echo = Section(result.Stdout, "ComposeEcho");
        Assert.Contains("state 'connected', event 'round trip'", echo, StringComparison.Ordinal);
        Assert.Contains("(the RoundTripAsync call)", echo, StringComparison.Ordinal);
        // Superstates: an action of 'defaults' runs in every state that inherits it.
        Assert.Contains("also in 'connecting', 'connected', 'disconnecting', which inherit it", Section(result.Stdout, "SignalServerLost"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_protocol_model_or_an_existing_output_file_is_refused()
    {
        using var temp = new TempDirectory();
        var existing = temp.File("EchoServer.cs", "// mine");

        var protocol = Zproto.Run("scaffold", Repository.Model("echo_msg.xml"));
        var overwrite = Zproto.Run("scaffold", Repository.Model("echo_server.xml"), "-o", existing);

        Assert.Equal(1, protocol.ExitCode);
        Assert.Contains("not a server or client model", Assert.Single(protocol.StderrLines), StringComparison.Ordinal);
        Assert.Equal(1, overwrite.ExitCode);
        Assert.Contains("never overwrites", Assert.Single(overwrite.StderrLines), StringComparison.Ordinal);
        Assert.Equal("// mine", File.ReadAllText(existing));
    }

    /// <summary>The doc comment and stub of one action.</summary>
    private static string Section(string text, string method)
    {
        var end = text.IndexOf($" {method}(", StringComparison.Ordinal);
        Assert.True(end >= 0, $"no stub {method}:\n{text}");
        var start = text.LastIndexOf("/// <summary>", end, StringComparison.Ordinal);
        return text[start..end];
    }

    /// <summary>Compiles as a strict consumer project: nullable, warnings as errors, docs diagnosed.</summary>
    private static System.Collections.Immutable.ImmutableArray<Diagnostic> Compile(System.Collections.Generic.IEnumerable<string> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var compilation = CSharpCompilation.Create("Scaffolded",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, $"s{i}.cs", Encoding.UTF8)),
            trusted.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error, warningLevel: 9999));
        return compilation.GetDiagnostics();
    }
}
