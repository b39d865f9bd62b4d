using System.Linq;
using Xunit;
using Zproto.Model.Diagnostics;
using Zproto.Model.Syntax;
using Zproto.Model.Tests.Support;

namespace Zproto.Model.Tests;

/// <summary>&lt;include filename&gt; (XML) and <c>include:</c> (YAML), resolved through an in-memory file set.</summary>
public class IncludeTests
{
    [Fact]
    public void Xml_include_splices_a_fragment_of_several_elements_in_place()
    {
        const string main = """
            <class name = "p">
            <message name = "first" />
            <include filename = "more.xml" />
            <message name = "last" />
            </class>
            """;
        const string more = """
            <!-- a fragment: several top-level elements, no single root -->
            <message name = "second"><field name = "a" type = "string" /></message>
            <message name = "third" />
            <define name = "LIMIT" value = "10" />
            """;
        var spec = Models.Clean(main, "dir/p.xml", ("dir/more.xml", more));

        Assert.Equal(new[] { "first", "second", "third", "last" }, spec.Messages.Select(m => m.Name));
        Assert.Equal(new[] { 1, 2, 3, 4 }, spec.Messages.Select(m => m.Id));
        Assert.Equal("LIMIT", Assert.Single(spec.Defines).Name);
    }

    [Fact]
    public void Xml_include_inside_a_message_adds_fields_to_that_message()
    {
        const string main = """
            <class name = "p">
            <message name = "a"><include filename = "fields.xml" /></message>
            </class>
            """;
        var spec = Models.Clean(main, "p.xml", ("fields.xml", """<field name = "x" type = "string" /><field name = "y" />"""));

        Assert.Equal(new[] { "x", "y" }, spec.Messages[0].Fields.Select(f => f.Name));
    }

    [Fact]
    public void Include_paths_are_relative_to_the_including_file_at_every_level()
    {
        const string main = """<class name = "p"><include filename = "../common/messages.xml" /></class>""";
        const string messages = """<message name = "a" /><include filename = "deeper/more.xml" />""";
        const string more = """<message name = "b" />""";
        var files = new MemoryFiles(("models/common/messages.xml", messages), ("models/common/deeper/more.xml", more));

        var result = ModelParser.Parse(new ModelSource("models/protocols/p.xml", main), files);

        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        Assert.Equal(new[] { "a", "b" }, result.Spec!.Messages.Select(m => m.Name));
        Assert.Equal(new[] { "models/common/messages.xml", "models/common/deeper/more.xml" }, files.Requested);
    }

    [Fact]
    public void ZP1005_missing_xml_include_points_at_the_filename_attribute()
    {
        const string main = """
            <class name = "p">
            <message name = "a" />
                <include filename = "missing.xml" />
            </class>
            """;
        var result = Models.Parse(main, "models/p.xml");

        var d = Models.Only(result, DiagnosticDescriptors.IncludeNotFound, "models/p.xml", Models.At(main, "filename"));
        Assert.Equal("include file 'missing.xml' not found (looked for 'models/missing.xml')", d.Message);
    }

    [Fact]
    public void ZP1005_missing_yaml_include_points_at_the_file_name_scalar()
    {
        const string main = """
            class: p
            include:
              - present.yaml
              - missing.yaml
            """;
        var result = Models.Yaml(main, "p.yaml", ("present.yaml", "messages:\n  - name: a\n"));

        Models.Only(result, DiagnosticDescriptors.IncludeNotFound, "p.yaml", Models.At(main, "missing.yaml"));
    }

    [Fact]
    public void ZP1006_include_cycle_is_reported_at_the_include_that_closes_it()
    {
        const string main = """<class name = "p"><message name = "a" /><include filename = "b.xml" /></class>""";
        const string b = """
            <message name = "b" />
            <include filename = "c.xml" />
            """;
        const string c = """
            <message name = "c" />
              <include filename = "b.xml" />
            """;
        var result = Models.Parse(main, "p.xml", ("b.xml", b), ("c.xml", c));

        var d = Models.Only(result, DiagnosticDescriptors.IncludeCycle, "c.xml", Models.At(c, "filename"));
        Assert.Equal("include of 'b.xml' forms a cycle", d.Message);
    }

    [Fact]
    public void ZP1006_a_model_including_itself_is_a_cycle()
    {
        const string main = """<class name = "p"><message name = "a" /><include filename = "./p.xml" /></class>""";

        var result = Models.Parse(main, "dir/p.xml");

        Models.Only(result, DiagnosticDescriptors.IncludeCycle, "dir/p.xml", Models.At(main, "filename"));
    }

    [Fact]
    public void ZP1006_yaml_include_cycle_points_at_the_file_name_scalar()
    {
        const string a = "class: p\nmessages:\n  - name: a\ninclude: b.yaml\n";
        const string b = "include: [p.yaml]\n";

        var result = Models.Yaml(a, "p.yaml", ("b.yaml", b));

        Models.Only(result, DiagnosticDescriptors.IncludeCycle, "b.yaml", Models.At(b, "p.yaml"));
    }

    [Fact]
    public void The_same_fragment_may_be_included_twice_without_a_cycle()
    {
        const string main = """
            <class name = "p">
            <message name = "a"><include filename = "common.xml" /></message>
            <message name = "b"><include filename = "common.xml" /></message>
            </class>
            """;
        var spec = Models.Clean(main, "p.xml", ("common.xml", """<field name = "sequence" type = "number" size = "2" />"""));

        Assert.All(spec.Messages, m => Assert.Equal("sequence", Assert.Single(m.Fields).Name));
    }

    [Fact]
    public void ZP1007_include_without_filename_points_at_the_include_element()
    {
        const string main = """
            <class name = "p">
            <message name = "a" />
            <include />
            </class>
            """;
        var result = Models.Parse(main);

        Models.Only(result, DiagnosticDescriptors.MissingAttribute, "test.xml", Models.At(main, "include"));
    }

    [Fact]
    public void ZP1001_malformed_included_file_is_reported_in_that_file()
    {
        const string main = """<class name = "p"><message name = "a" /><include filename = "bad.xml" /></class>""";
        const string bad = "<message name = \"b\">\n  <field name = \"x\">\n</message>\n";

        var result = Models.Parse(main, "p.xml", ("bad.xml", bad));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("ZP1001", Severity.Error, "bad.xml", 3), (d.Id, d.Severity, d.File, d.Line));
        Assert.Null(result.Spec);
    }

    [Fact]
    public void Diagnostics_inside_an_included_file_point_into_that_file()
    {
        const string main = """<class name = "p"><message name = "a" id = "1" /><include filename = "more.xml" /></class>""";
        const string more = "\n<message name = \"b\" id = \"1\" />\n";

        var result = Models.Parse(main, "p.xml", ("more.xml", more));

        Models.Only(result, DiagnosticDescriptors.DuplicateMessageId, "more.xml", Models.At(more, "id"));
    }

    [Fact]
    public void Yaml_include_merges_the_included_mappings_entries()
    {
        const string main = """
            class: p
            include: [header.yaml, messages.yaml]
            """;
        const string header = "header:\n  - { name: sequence, type: number, size: 2 }\n";
        const string messages = "messages:\n  - name: a\n  - name: b\n";

        var spec = Models.Yaml(main, "p.yaml", ("header.yaml", header), ("messages.yaml", messages)).Spec!;

        Assert.Equal("sequence", Assert.Single(spec.Header).Name);
        Assert.Equal(new[] { "a", "b" }, spec.Messages.Select(m => m.Name));
    }
}
