using System.IO;
using System.Linq;
using Xunit;
using Zproto.CodeGen.Binding;
using Zproto.CodeGen.Rendering;
using Zproto.Model;
using Zproto.Model.Syntax;

namespace Zproto.Cli.Tests;

/// <summary><c>zproto generate</c>: the source generator's files, by the same hint names and text.</summary>
public class GenerateCommandTests
{
    internal static ParseResult Parse(string model) =>
        ModelParser.Parse(new ModelSource(model, File.ReadAllText(model)), NoIncludes.Instance);

    /// <summary>
    /// What the source generator emits for <paramref name="model"/> into <paramref name="namespace"/>:
    /// a codec's parts, or a state machine bound to its protocol from /models.
    /// </summary>
    internal static GeneratedFile[] GeneratorOutput(string model, string @namespace, TemplateSet? templates = null)
    {
        var result = Parse(model);
        Assert.False(result.HasErrors);
        if (result.Machine is { } machine)
        {
            var protocol = Directory.GetFiles(Repository.Models).Select(Parse).Single(p => p.Spec is { } s && Naming.Key(s.Name) == Naming.Key(machine.ProtocolClass)).Spec!;
            return [TemplateRenderer.RenderMachine(MachineBinder.Bind(machine, protocol, @namespace, @namespace), templates ?? TemplateSet.BuiltIn)];
        }
        return TemplateRenderer.Render(Binder.Bind(result.Spec!, @namespace), templates ?? TemplateSet.BuiltIn).ToArray();
    }

    internal static void AssertDirectoryHolds(string directory, GeneratedFile[] expected)
    {
        Assert.Equal(expected.Select(f => f.HintName).Order(), Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        foreach (var file in expected)
            Assert.Equal(file.Text, File.ReadAllText(Path.Combine(directory, file.HintName)));
    }

    [Theory]
    [MemberData(nameof(CheckCommandTests.Models), MemberType = typeof(CheckCommandTests))]
    public void Generate_writes_the_source_generator_files_under_the_default_namespace(string model)
    {
        using var temp = new TempDirectory();
        var result = Zproto.Run("generate", Repository.Model(model), "-o", temp.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stderr);
        var expected = GeneratorOutput(Repository.Model(model), "Zproto.Generated");
        AssertDirectoryHolds(temp.Path, expected);
        Assert.Equal(expected.Select(f => Path.Combine(temp.Path, f.HintName)), result.StdoutLines);
        Assert.All(Directory.GetFiles(temp.Path), f => Assert.NotEqual(0xEF, File.ReadAllBytes(f)[0])); // no BOM
    }

    [Fact]
    public void Generate_uses_the_given_namespace_for_several_models()
    {
        using var temp = new TempDirectory();
        var result = Zproto.Run("generate", Repository.Model("zccp_msg.xml"), Repository.Model("remctl_msg.yaml"), "--namespace", "My.Protocols", "-o", temp.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        AssertDirectoryHolds(temp.Path, [
            .. GeneratorOutput(Repository.Model("zccp_msg.xml"), "My.Protocols"),
            .. GeneratorOutput(Repository.Model("remctl_msg.yaml"), "My.Protocols"),
        ]);
    }

    [Fact]
    public void Generate_renders_a_user_template_as_an_extra_file_named_after_it()
    {
        using var temp = new TempDirectory();
        var template = temp.File("Summary.hbs", "// {{ModelName}} is {{Namespace}}.{{ClassName}}\n");
        var output = Path.Combine(temp.Path, "out");
        var result = Zproto.Run("generate", Repository.Model("zpipes_msg.xml"), "-o", output, "--template", template);
        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = GeneratorOutput(Repository.Model("zpipes_msg.xml"), "Zproto.Generated", TemplateSet.WithOverrides([new TemplateSource("Summary", File.ReadAllText(template))]));
        AssertDirectoryHolds(output, expected);
        Assert.Equal("// zpipes_msg is Zproto.Generated.ZpipesMsg\n", File.ReadAllText(Path.Combine(output, "Zproto.Generated.ZpipesMsg.Summary.g.cs")));
    }

    [Fact]
    public void Generate_writes_nothing_when_any_model_has_errors()
    {
        using var temp = new TempDirectory();
        var bad = temp.File("bad_msg.xml", TestModels.DuplicateId);
        var output = Path.Combine(temp.Path, "out");
        var result = Zproto.Run("generate", Repository.Model("zpipes_msg.xml"), bad, "-o", output);
        Assert.Equal(1, result.ExitCode);
        Assert.False(Directory.Exists(output));
        Assert.Empty(result.Stdout);
        Assert.Contains(result.StderrLines, l => l.StartsWith(bad + "(", System.StringComparison.Ordinal) && l.Contains(": error ZP", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_rejects_a_namespace_that_is_not_an_identifier_path()
    {
        using var temp = new TempDirectory();
        var result = Zproto.Run("generate", Repository.Model("zpipes_msg.xml"), "-o", temp.Path, "--namespace", "My.class");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StderrLines);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Generate_without_an_output_directory_is_a_usage_error()
    {
        var result = Zproto.Run("generate", Repository.Model("zpipes_msg.xml"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output", Assert.Single(result.StderrLines));
    }

    private sealed class NoIncludes : IModelFileResolver
    {
        public static readonly NoIncludes Instance = new();

        public string? TryRead(string path) => null;
    }
}
