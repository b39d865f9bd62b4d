using System.IO;
using System.Linq;
using Xunit;
using Zproto.CodeGen.Pipeline;
using Zproto.CodeGen.Rendering;
using Zproto.Model.Diagnostics;
using Zproto.Model.Syntax;
using Zproto.Model.Tests.Support;

namespace Zproto.Model.Tests;

/// <summary>
/// zproto's XML dialect as GSL reads it: what GSL's loader tolerates that XML 1.0 does not, with
/// positions still those of the original text.
/// </summary>
public class GslXmlTests
{
    private static string Gsl => Path.Combine(Repository.Fixtures, "gsl");

    [Fact]
    public void Bare_ampersand_in_an_attribute_value_and_in_text_is_a_literal_ampersand()
    {
        var spec = Models.Clean("""
            <class name = "p" title = "Command & Control">
            Relays notifications & commands.
            <message name = "A" id = "1">Send & forget.</message>
            </class>
            """);

        Assert.Equal("Command & Control", spec.Title);
        Assert.Contains("notifications & commands", spec.Doc);
        Assert.Equal("Send & forget.", spec.Messages[0].Doc);
    }

    [Fact]
    public void Html_entity_names_decode_unknown_names_stay_literal_and_xml_forms_keep_their_meaning()
    {
        var spec = Models.Clean("""
            <class name = "p" title = "&copy; 2024 &amp; &lt;x&gt; &foo; &#38;">
            <message name = "A" id = "1" />
            </class>
            """);

        Assert.Equal("\u00A9 2024 & <x> &foo; &", spec.Title);
    }

    [Fact]
    public void Less_than_in_an_attribute_value_or_before_a_space_in_text_is_literal()
    {
        var spec = Models.Clean("""
            <class name = "p" title = "a <b> c">
            When a < b the message is dropped.
            <message name = "A" id = "1" />
            </class>
            """);

        Assert.Equal("a <b> c", spec.Title);
        Assert.Contains("When a < b the message", spec.Doc);
    }

    [Fact]
    public void Positions_after_a_rewritten_ampersand_are_those_of_the_original_text()
    {
        // The unknown type is on the same line as two bare '&': its column must not move.
        const string xml = "<class name = \"p\">\n<message name = \"a & b & c\" id = \"1\"><field name = \"x\" type = \"nope\" /></message>\n</class>\n";
        var column = xml.Split('\n')[1].IndexOf("type", System.StringComparison.Ordinal) + 1;

        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.UnknownType, "test.xml", (2, column));
    }

    [Fact]
    public void Malformed_xml_after_a_rewrite_is_still_ZP1001_at_the_original_column()
    {
        const string xml = "<class name = \"a & b\">\n  <message name = \"m\" id = \"1\" & />\n</class>\n";

        var result = Models.Parse(xml);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("ZP1001", d.Id);
        Assert.Equal(2, d.Line);
        Assert.InRange(d.Column, 1, xml.Split('\n')[1].Length + 1);
    }

    [Fact]
    public void Rewrite_leaves_well_formed_xml_untouched()
    {
        const string xml = "<class name = \"p\" title = \"a &amp; b\"><!-- & < --><![CDATA[ & < ]]></class>";

        var rewritten = GslXml.Rewrite(xml);

        Assert.True(rewritten.Unchanged);
        Assert.Same(xml, rewritten.Text);
    }

    private static readonly string[] s_zccp = ["zccp_msg.xml", "zccp_server.xml", "zccp_client.xml"];

    public static TheoryData<string> ZccpModels => new(s_zccp);

    [Theory]
    [MemberData(nameof(ZccpModels))]
    public void Zccp_models_with_bare_ampersands_check_clean(string fileName)
    {
        var path = Path.Combine(Gsl, fileName);
        var text = File.ReadAllText(path);
        Assert.Contains("Command & Control", text);

        var result = ModelParser.Parse(new ModelSource(path, text), DiskFiles.Instance);

        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        Assert.True(result.Spec is not null || result.Machine is not null);
    }

    [Fact]
    public void Zccp_models_generate_through_the_pipeline_with_no_diagnostic()
    {
        var inputs = s_zccp.Select(n => Path.Combine(Gsl, n))
            .Select(p => new ModelInput(p, File.ReadAllText(p), "")).ToList();
        Assert.Equal(3, inputs.Count);

        var result = GenerationPipeline.Run(inputs, DiskFiles.Instance, TemplateSet.BuiltIn, "");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            ["Zproto.Generated.ZccpMsg.Messages.g.cs", "Zproto.Generated.ZccpMsg.Codec.g.cs", "Zproto.Generated.ZccpServer.Server.g.cs", "Zproto.Generated.ZccpClient.Client.g.cs"],
            result.Files.Select(f => f.HintName));
        // XML documentation comments escape the ampersand again.
        Assert.Contains("Command &amp; Control", result.Files.First().Text);
    }
}
