using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Zproto.Testing.Tests;

/// <summary>
/// <see cref="ZprotoModels"/> runs the real source generator with a project's settings, and
/// <see cref="GeneratedCode"/> checks what it produced.
/// </summary>
public sealed class GeneratedCodeTests
{
    private const string Model = """
        <class name = "shop_msg" signature = "4" title = "Shop protocol">
        A protocol of the tests.
        <message name = "BUY" id = "1">
        Buy something.
            <field name = "item" type = "string">What to buy</field>
        </message>
        </class>
        """;

    [Theory]
    [InlineData(null, null, "", "Zproto.Generated")]
    [InlineData(null, null, "My.App", "My.App")]
    [InlineData("From.Model", null, "My.App", "From.Model")]
    [InlineData("From.Model", "From.Item", "My.App", "From.Item")]
    public void The_namespace_follows_the_build_item_metadata_then_the_model_then_RootNamespace(string? modelNamespace, string? itemNamespace, string rootNamespace, string expected)
    {
        var model = modelNamespace is null ? Model : Model.Replace("title = \"Shop protocol\"", $"title = \"Shop protocol\" namespace = \"{modelNamespace}\"", StringComparison.Ordinal);
        var generated = new ZprotoModels().WithRootNamespace(rootNamespace).AddText("/virtual/shop_msg.xml", model, itemNamespace).Generate();

        Assert.Equal([$"{expected}.ShopMsg.Codec.g.cs", $"{expected}.ShopMsg.Messages.g.cs"], generated.Files.Select(f => f.HintName));
        Assert.Contains($"namespace {expected}", generated[$"{expected}.ShopMsg.Codec"], StringComparison.Ordinal);
        Assert.Empty(generated.Diagnostics);
    }

    [Fact]
    public void A_state_machine_is_generated_with_its_protocol_and_compiles_cleanly()
    {
        var generated = new ZprotoModels(TestPaths.Models).Add("echo_server.xml").Add("echo_msg.xml").Generate();

        Assert.Contains("Zproto.Generated.EchoServer.Server.g.cs", generated.Files.Select(f => f.HintName));
        generated.AssertCompiles();
    }

    [Fact]
    public void Every_model_of_the_repository_generates_code_that_compiles_cleanly()
    {
        var generated = new ZprotoModels().AddDirectory(TestPaths.Models).Generate();

        // A protocol model yields its messages and its codec, a state machine one file.
        var models = Directory.GetFiles(TestPaths.Models).Where(p => p.EndsWith(".xml", StringComparison.Ordinal) || p.EndsWith(".yaml", StringComparison.Ordinal)).ToArray();
        var machines = models.Count(p => File.ReadAllText(p).Contains("protocol_class", StringComparison.Ordinal));
        Assert.Equal(2 * (models.Length - machines) + machines, generated.Files.Length);
        Assert.True(generated.Files.Length >= 24, $"only {generated.Files.Length} files generated from models/");
        Assert.Empty(generated.Compile());
    }

    [Fact]
    public void The_compile_check_names_each_diagnostic_and_the_generated_line()
    {
        // A template that renders an extra file with an undocumented public class and a nullable
        // warning (the compiler treats *.g.cs as generated code, where nullable is off unless enabled).
        var generated = new ZprotoModels()
            .AddText("/virtual/shop_msg.xml", Model)
            .AddText("/virtual/Extra.hbs", "#nullable enable\nnamespace {{Namespace}};\npublic class Extra { public string Name = null; }\n")
            .Generate();

        var e = Assert.Throws<GeneratedCodeException>(() => generated.AssertCompiles());

        Assert.Equal(["CS1591", "CS8625"], generated.Compile().Select(d => d.Id).Distinct().Order());
        Assert.Contains("Error CS8625", e.Message, StringComparison.Ordinal);
        Assert.Contains("    public class Extra { public string Name = null; }", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_errors_fail_the_snapshot_check_before_any_comparison()
    {
        var generated = new ZprotoModels().AddText("/virtual/bad_msg.xml", Model.Replace("id = \"1\"", "id = \"x\"", StringComparison.Ordinal)).Generate();

        Assert.Empty(generated.Files);
        var e = Assert.Throws<GeneratedCodeException>(() => generated.VerifySnapshots(Path.Combine(Path.GetTempPath(), "never-written-" + Guid.NewGuid().ToString("N"))));
        Assert.Contains("bad_msg.xml(", e.Message, StringComparison.Ordinal);
        Assert.Contains("Error ZP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_paths_start_at_the_calling_source_file_and_a_wrong_one_says_where_it_looked()
    {
        var generated = new ZprotoModels().Add("../../../models/zpipes_msg.xml").Generate();
        Assert.Equal(2, generated.Files.Length);

        var e = Assert.Throws<FileNotFoundException>(() => new ZprotoModels().Add("Models/none.xml"));
        Assert.Contains(Path.Combine(TestPaths.SourceDirectory, "Models", "none.xml"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generating_nothing_is_an_error()
    {
        Assert.Throws<InvalidOperationException>(() => new ZprotoModels().Generate());
    }
}
