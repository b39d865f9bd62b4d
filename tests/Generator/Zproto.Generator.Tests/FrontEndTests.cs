using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Zproto.Generator.Tests.Infrastructure;
using Xunit;

namespace Zproto.Generator.Tests;

/// <summary>
/// The two front ends of the one pipeline: the Roslyn generator (what <c>dotnet build</c> runs)
/// and the <c>zproto</c> CLI (run in-process here) give the same files and the same diagnostics,
/// at the same file, line and column.
/// </summary>
public sealed class FrontEndTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "zproto-frontends-" + Guid.NewGuid().ToString("N"));

    public FrontEndTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Cli_and_generator_produce_identical_files_and_diagnostics_for_every_model()
    {
        var paths = Repository.ModelFileNames.Select(Repository.ModelPath).ToArray();
        Assert.True(paths.Length >= 10, $"only {paths.Length} models in models/");

        var build = Build(paths);
        var output = Path.Combine(_directory, "out");
        var (code, stdout, stderr) = RunCli(["generate", .. paths, "-o", output]);
        Assert.True(code == 0, stderr);
        var cliFiles = Directory.GetFiles(output).ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
        var check = RunCli(["check", .. paths]);

        Assert.Equal(build.Files.Keys.Order(StringComparer.Ordinal), cliFiles.Keys.Order(StringComparer.Ordinal));
        Assert.All(build.Files, f => Assert.Equal(f.Value, cliFiles[f.Key]));
        // generate prints diagnostics to stderr (stdout lists files), check prints them to stdout.
        Assert.Equal(build.Diagnostics, Lines(stderr).Order(StringComparer.Ordinal));
        Assert.Equal(build.Diagnostics, Lines(check.Stdout).Order(StringComparer.Ordinal));
        Assert.True(cliFiles.Count >= paths.Length, $"{cliFiles.Count} files for {paths.Length} models");
        Assert.Equal(cliFiles.Count, Lines(stdout).Length);
    }

    // ---- the mistakes a new user makes, each reported at the model in both front ends -------------

    private const string Protocol = """
        <class name = "kv_msg" signature = "4">
            <message name = "GET" id = "1"><field name = "key" type = "string" /></message>
            <message name = "VALUE" id = "2"><field name = "data" type = "string" /></message>
            <message name = "PUT" id = "3"><field name = "key" type = "string" /></message>
        </class>
        """;

    [Fact]
    public void ZP2023_field_named_like_its_message_in_check_and_build_instead_of_CS0542()
    {
        var outcome = BothReport("ZP2023", (3, "name"), ("kv.xml", """
            <class name = "kv" signature = "4">
                <message name = "VALUE" id = "1">
                    <field name = "value" type = "number" size = "4" />
                </message>
            </class>
            """));

        Assert.DoesNotContain(outcome.CompilationDiagnostics, d => d.Id == "CS0542");
    }

    [Fact]
    public void ZP3012_client_event_that_is_a_typo_of_a_method_in_check_and_build()
    {
        BothReport("ZP3012", (3, "name"), ("kv_msg.xml", Protocol), ("kv_client.xml", """
            <class name = "kv_client" protocol_class = "kv_msg" script = "zproto_client_c">
                <state name = "start">
                    <event name = "gett"><action name = "send" message = "GET" /></event>
                    <event name = "*" />
                </state>
                <method name = "get" />
            </class>
            """));
    }

    [Fact]
    public void ZP3013_server_checked_alone_in_check_and_build()
    {
        BothReport("ZP3013", (1, "protocol_class"), ("kv_msg.xml", Protocol), ("kv_server.xml", """
            <class name = "kv_server" protocol_class = "kv_msg">
                <state name = "start">
                    <event name = "GET"><action name = "send" message = "VALUE" /></event>
                </state>
            </class>
            """));
    }

    [Fact]
    public void ZP3010_and_the_protocol_checks_of_the_same_file_in_one_run_of_check_and_build()
    {
        var client = ("kv_client.xml", """
            <class name = "kv_client" protocol_class = "kv_msg" script = "zproto_client_c">
                <state name = "start">
                    <event name = "get"><action name = "send" message = "FETCH" /></event>
                </state>
                <method name = "get"><accept reply = "SUCCESS" /></method>
            </class>
            """);
        BothReport("ZP3010", (5, "reply"), ("kv_msg.xml", Protocol), client);
        BothReport("ZP3003", (3, "message"), ("kv_msg.xml", Protocol), client);
    }

    [Fact]
    public void ZP2026_two_protocols_of_one_name_in_check_and_build()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "a"));
        Directory.CreateDirectory(Path.Combine(_directory, "b"));
        BothReport("ZP2026", (1, "name"), (Path.Combine("a", "kv_msg.xml"), Protocol), (Path.Combine("b", "kv_msg.xml"), Protocol.Replace("signature = \"4\"", "signature = \"5\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void ZP3021_lower_case_event_named_like_a_message_in_check_and_build()
    {
        BothReport("ZP3021", (4, "name"), ("kv_msg.xml", Protocol), ("kv_server.xml", """
            <class name = "kv_server" protocol_class = "kv_msg">
                <state name = "start">
                    <event name = "GET"><action name = "send" message = "VALUE" /></event>
                    <event name = "put" />
                    <event name = "*" />
                </state>
            </class>
            """));
    }

    [Fact]
    public void ZP2024_template_binding_typo_in_generate_and_build()
    {
        var template = Write("Summary.hbs", "// {{ClasName}}\n");
        var model = Write("kv_msg.xml", Protocol);

        var build = Build([model], [template]);
        var (code, _, stderr) = RunCli(["generate", model, "-t", template, "-o", Path.Combine(_directory, "out")]);

        var expected = $"{template}(1,6): error ZP2024:";
        Assert.Contains(build.Diagnostics, d => d.StartsWith(expected, StringComparison.Ordinal));
        Assert.Equal(1, code);
        Assert.Contains(Lines(stderr), d => d.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Zccp_models_with_bare_ampersands_build_clean_and_compile()
    {
        var directory = Path.Combine(Repository.Root, "tests", "Generator", "Zproto.Model.Tests", "Fixtures", "gsl");
        string[] names = ["zccp_msg.xml", "zccp_server.xml", "zccp_client.xml", "license.xml"];
        var texts = names.Select(n => new TestAdditionalText(Path.Combine(directory, n), File.ReadAllText(Path.Combine(directory, n)))).ToList();
        Assert.All(texts.Take(3), t => Assert.Contains("Command & Control", t.Text, StringComparison.Ordinal));

        var outcome = GeneratorHarness.Run(texts);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Equal(4, outcome.Sources.Length);
        Assert.Empty(outcome.CompilationDiagnostics);
    }

    [Fact]
    public void Roslyn_descriptors_have_the_models_title_and_message_format_for_every_id()
    {
        var all = global::Zproto.Model.Diagnostics.DiagnosticDescriptors.All.Concat(global::Zproto.Model.Machines.MachineDiagnostics.All).ToList();
        Assert.True(all.Count >= 45, $"only {all.Count} descriptors");

        foreach (var known in all)
        {
            var args = Enumerable.Range(0, 4).Select(i => (object)$"arg{i}").ToArray();
            var model = global::Zproto.Model.Diagnostics.ModelDiagnostic.Create(known, "m.xml", 2, 3, args);
            var d = ToRoslyn(model);

            Assert.Equal(known.Title, d.Descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(known.Format, d.Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(model.Message, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((1, 2), (d.Location.GetLineSpan().StartLinePosition.Line, d.Location.GetLineSpan().StartLinePosition.Character));
        }
    }

    /// <summary>
    /// Writes the models, runs both front ends, and checks that both report <paramref name="id"/>
    /// at the first <c>Token</c> on line <c>Line</c> of the model that has it, and nothing different.
    /// </summary>
    // Internal to the generator (whose polyfills would clash with the tests' if its internals were visible).
    private static Diagnostic ToRoslyn(global::Zproto.Model.Diagnostics.ModelDiagnostic model) =>
        (Diagnostic)typeof(ZprotoGenerator).GetMethod("ToRoslyn", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, [model])!;

    private GeneratorOutcome BothReport(string id, (int Line, string Token) at, params (string Name, string Text)[] models)
    {
        var paths = models.Select(m => Write(m.Name, m.Text)).ToArray();
        var build = Build(paths);
        var check = RunCli(["check", .. paths]);

        var index = Array.FindIndex(paths, p => build.Diagnostics.Any(d => d.StartsWith(p + "(", StringComparison.Ordinal) && d.Contains($" {id}: ", StringComparison.Ordinal)));
        Assert.True(index >= 0, $"no {id} in:\n{string.Join("\n", build.Diagnostics)}");
        var column = models[index].Text.Split('\n')[at.Line - 1].IndexOf(at.Token, StringComparison.Ordinal) + 1;
        var expected = $"{paths[index]}({at.Line},{column}): ";
        Assert.Contains(build.Diagnostics, d => d.StartsWith(expected, StringComparison.Ordinal) && d.Contains($" {id}: ", StringComparison.Ordinal));
        Assert.Contains(Lines(check.Stdout), d => d.StartsWith(expected, StringComparison.Ordinal) && d.Contains($" {id}: ", StringComparison.Ordinal));
        Assert.Equal(string.Join("\n", build.Diagnostics), string.Join("\n", Lines(check.Stdout).Order(StringComparer.Ordinal)));
        return build.Outcome;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private sealed record BuildResult(GeneratorOutcome Outcome, Dictionary<string, string> Files, List<string> Diagnostics);

    /// <summary>The generator over <paramref name="paths"/> as AdditionalFiles: its files and its diagnostics in the CLI's form, sorted.</summary>
    private static BuildResult Build(string[] paths, string[]? templates = null)
    {
        var texts = paths.Concat(templates ?? []).Select(p => new TestAdditionalText(p, File.ReadAllText(p)));
        var outcome = GeneratorHarness.Run(texts);
        Assert.Null(outcome.Run.Exception);
        var files = outcome.Sources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        var diagnostics = outcome.GeneratorDiagnostics.Select(Format).Order(StringComparer.Ordinal).ToList();
        return new BuildResult(outcome, files, diagnostics);
    }

    private static string Format(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        // The harness compiles with warnings as errors; the generator's own severity is the descriptor's.
        var severity = d.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning";
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static (int Code, string Stdout, string Stderr) RunCli(string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = global::Zproto.Cli.Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
