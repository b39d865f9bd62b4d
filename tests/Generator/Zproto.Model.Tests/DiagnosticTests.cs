using System;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using Xunit;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Tests.Support;

namespace Zproto.Model.Tests;

/// <summary>
/// One test (at least) per descriptor the model checks can report, each on a small inline model,
/// asserting id, severity, file, line and column. Test names start with the id they prove; a test
/// below checks that no descriptor is left without one.
/// </summary>
public class DiagnosticTests
{
    private const string File = "test.xml";

    // ---- ZP1xxx: syntax and files ---------------------------------------------------------------

    [Fact]
    public void ZP1001_malformed_xml_is_reported_at_the_xml_exceptions_line_and_column()
    {
        const string xml = "<class name = \"p\">\n  <message name = \"a\">\n    <field name = \"x\" />\n</class>\n";
        var expected = Assert.Throws<XmlException>(() => XDocument.Parse(xml));

        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.MalformedXml, File, (expected.LineNumber, expected.LinePosition));
        Assert.Equal((4, 3), (d.Line, d.Column));
        Assert.StartsWith("malformed XML: ", d.Message);
        Assert.DoesNotContain("Line 4", d.Message);
    }

    [Fact]
    public void ZP1001_unclosed_attribute_quote_is_malformed_xml()
    {
        var result = Models.Parse("<class name = \"p>\n</class>\n");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("ZP1001", d.Id);
        Assert.Null(result.Spec);
    }

    [Fact]
    public void ZP1002_malformed_yaml_is_reported_at_the_yaml_exceptions_mark()
    {
        const string yaml = "class: p\nmessages:\n  - name: a\n   bad: [\n";
        YamlDotNet.Core.YamlException? expected = null;
        try
        {
            new YamlDotNet.RepresentationModel.YamlStream().Load(new System.IO.StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            expected = e;
        }
        Assert.NotNull(expected);

        var result = Models.Yaml(yaml);

        var d = Models.Only(result, DiagnosticDescriptors.MalformedYaml, "test.yaml", ((int)expected!.Start.Line, (int)expected.Start.Column));
        Assert.Equal(4, d.Line);
    }

    [Fact]
    public void ZP1002_yaml_document_that_is_not_a_mapping_is_reported_at_its_start()
    {
        var result = Models.Yaml("- class: p\n- messages: []\n");

        Models.Only(result, DiagnosticDescriptors.MalformedYaml, "test.yaml", (1, 1));
    }

    [Fact]
    public void ZP1002_yaml_list_key_holding_a_mapping_points_at_the_mapping()
    {
        const string yaml = "class: p\nheader:\n  name: sequence\nmessages:\n  - name: a\n";

        var result = Models.Yaml(yaml);

        var d = Models.Only(result, DiagnosticDescriptors.MalformedYaml, "test.yaml", Models.At(yaml, "name: sequence"));
        Assert.Contains("'header' takes a list", d.Message);
    }

    [Fact]
    public void ZP1002_yaml_list_key_holding_text_points_at_the_text()
    {
        const string yaml = "class: p\nmessages: hello\n";

        var result = Models.Yaml(yaml);

        Models.Single(result, DiagnosticDescriptors.MalformedYaml, "test.yaml", Models.At(yaml, "hello"));
    }

    [Fact]
    public void ZP1002_yaml_doc_holding_a_list_points_at_the_list()
    {
        const string yaml = "class: p\nmessages:\n  - name: a\n    doc: [x]\n";

        var result = Models.Yaml(yaml);

        Models.Only(result, DiagnosticDescriptors.MalformedYaml, "test.yaml", Models.At(yaml, "[x]"));
    }

    [Fact]
    public void ZP1002_yaml_duplicate_key_is_malformed()
    {
        var result = Models.Yaml("class: p\nclass: q\nmessages:\n  - name: a\n");

        Assert.Equal("ZP1002", Assert.Single(result.Diagnostics).Id);
        Assert.Null(result.Spec);
    }

    [Fact]
    public void ZP1003_unknown_field_attribute_is_a_warning_at_the_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                <field name = "x" type = "string" colour = "red" />
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.UnknownAttribute, File, Models.At(xml, "colour"));
        Assert.Equal("field 'x' has no attribute 'colour'; it is ignored", d.Message);
    }

    [Fact]
    public void ZP1003_unknown_yaml_key_is_a_warning_at_its_value()
    {
        const string yaml = "class: p\nmessages:\n  - name: a\n    colour: red\n";

        var result = Models.Yaml(yaml);

        Models.Only(result, DiagnosticDescriptors.UnknownAttribute, "test.yaml", Models.At(yaml, "red"));
    }

    [Fact]
    public void ZP1003_unknown_attributes_of_define_enum_value_and_type_are_warnings()
    {
        const string xml = """
            <class name = "p">
            <define name = "X" value = "1" a1 = "" />
            <enum name = "e" a2 = ""><value name = "v" value = "1" a3 = "" /></enum>
            <type name = "t" a4 = ""><field name = "f" /></type>
            <message name = "a" />
            </class>
            """;
        var result = Models.Parse(xml);

        Assert.Equal(
            new[] { Models.At(xml, "a1"), Models.At(xml, "a2"), Models.At(xml, "a3"), Models.At(xml, "a4") },
            result.Diagnostics.Select(d => (d.Line, d.Column)));
        Assert.All(result.Diagnostics, d => Assert.Equal(("ZP1003", Severity.Warning), (d.Id, d.Severity)));
        Assert.NotNull(result.Spec);
    }

    [Fact]
    public void ZP1004_unknown_element_is_a_warning_at_the_element()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                <fields name = "x" />
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.UnknownElement, File, Models.At(xml, "fields"));
        Assert.Equal("element <fields> is not part of the model language here; it is ignored", d.Message);
    }

    [Fact]
    public void ZP1004_unknown_yaml_list_key_is_a_warning_at_the_key()
    {
        const string yaml = "class: p\nmessages:\n  - name: a\nwidgets:\n  - name: start\n";

        var result = Models.Yaml(yaml);

        Models.Only(result, DiagnosticDescriptors.UnknownElement, "test.yaml", Models.At(yaml, "widgets"));
    }

    [Fact]
    public void ZP1007_message_without_name_points_at_the_message_element()
    {
        const string xml = """
            <class name = "p">
            <message name = "a" />
              <message id = "2" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.MissingAttribute, File, Models.At(xml, "message", 2));
        Assert.Equal("<message> needs a 'name' attribute", d.Message);
    }

    [Fact]
    public void ZP1007_text_frame_section_without_tag_points_at_the_section()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "req" direction = "request">
                <section name = "args" repeat = "counted"><field name = "arg" type = "frame" /></section>
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.MissingAttribute, File, Models.At(xml, "section"));
        Assert.Equal("section 'args' needs a 'tag' attribute", d.Message);
    }

    [Fact]
    public void ZP1007_text_frame_message_without_direction_points_at_the_message()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "req"><section name = "a" tag = "A"><field name = "x" type = "string" /></section></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.MissingAttribute, File, Models.At(xml, "message"));
    }

    [Fact]
    public void ZP1008_non_numeric_message_id_points_at_the_id_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a" id = "one" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.InvalidAttribute, File, Models.At(xml, "id"));
        Assert.Equal("message 'a': id must be a number", d.Message);
    }

    [Fact]
    public void ZP1008_unknown_framing_points_at_the_framing_attribute()
    {
        const string xml = """<class name = "p" framing = "udp"><message name = "a" /></class>""";

        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.InvalidAttribute, File, Models.At(xml, "framing"));
    }

    [Fact]
    public void ZP1009_root_element_other_than_class_points_at_the_root()
    {
        const string xml = "<?xml version = \"1.0\"?>\n<protocol name = \"p\" />\n";

        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NotAModel, File, (2, 2));
        Assert.Equal("the root element must be <class>, not <protocol>", d.Message);
    }

    // ---- ZP2xxx: codec semantics ----------------------------------------------------------------

    [Fact]
    public void ZP2001_duplicate_message_id_points_at_the_second_id_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "WRITE" id = "7" />
            <message name = "READ" id = "7" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.DuplicateMessageId, File, Models.At(xml, "id", 2));
        Assert.Equal("message 'READ' reuses id 7 already used by 'WRITE'", d.Message);
    }

    [Fact]
    public void ZP2001_explicit_id_equal_to_a_default_id_points_at_the_explicit_id()
    {
        const string xml = """
            <class name = "p">
            <message name = "a" />
            <message name = "b" id = "1" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.DuplicateMessageId, File, Models.At(xml, "id"));
    }

    [Fact]
    public void ZP2001_duplicate_yaml_id_points_at_the_second_id_value()
    {
        const string yaml = "class: p\nmessages:\n  - name: a\n    id: 1\n  - name: b\n    id: 1\n";

        var result = Models.Yaml(yaml);

        // YamlDotNet marks are 1-based: line 6, column 9 is the '1' after "    id: ".
        Models.Only(result, DiagnosticDescriptors.DuplicateMessageId, "test.yaml", (6, 9));
    }

    [Fact]
    public void ZP2002_duplicate_message_name_compares_case_spaces_and_hyphens_alike()
    {
        const string xml = """
            <class name = "p">
            <message name = "input ok" />
            <message name = "INPUT-OK" />
            </class>
            """;
        var result = Models.Parse(xml);

        // One problem, one diagnostic: no ZP2021 on top for the identical identifiers.
        var d = Models.Only(result, DiagnosticDescriptors.DuplicateMessageName, File, Models.At(xml, "name", 3));
        Assert.Equal("message 'INPUT-OK' has the same name as message 'input ok'", d.Message);
    }

    [Fact]
    public void ZP2003_duplicate_field_name_points_at_the_second_name_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                <field name = "pipe name" type = "string" />
                <field name = "pipe_name" type = "string" />
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.DuplicateFieldName, File, Models.At(xml, "name = \"pipe_name\""));
        Assert.Equal("message 'a' has two fields named 'pipe_name'", d.Message);
    }

    [Fact]
    public void ZP2003_duplicate_header_field_is_reported_once_not_once_per_message()
    {
        const string xml = """
            <class name = "p">
            <header>
                <field name = "sequence" size = "2" />
                <field name = "sequence" size = "2" />
            </header>
            <message name = "a" />
            <message name = "b" />
            <message name = "c" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.DuplicateFieldName, File, Models.At(xml, "name", 3));
        Assert.Equal("the <header> has two fields named 'sequence'", d.Message);
    }

    [Fact]
    public void ZP2003_message_field_named_like_a_header_field_points_at_the_message_field()
    {
        const string xml = """
            <class name = "p">
            <header><field name = "sequence" size = "2" /></header>
            <message name = "a"><field name = "sequence" type = "string" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        // Only ZP2003: a field-type conflict with the header would say the same thing twice.
        Models.Only(result, DiagnosticDescriptors.DuplicateFieldName, File, Models.At(xml, "name", 4));
    }

    [Fact]
    public void ZP2004_field_type_conflict_points_at_the_type_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "READ"><field name = "size" type = "number" size = "4" /></message>
            <message name = "WRITE"><field name = "size" type = "number" size = "2" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.FieldTypeConflict, File, Models.At(xml, "type", 2));
        Assert.Equal("field 'size' is number size 2 here but number size 4 in message 'READ'; a field name must have one type and size in a protocol", d.Message);
    }

    [Fact]
    public void ZP2004_field_type_conflict_of_a_default_typed_field_points_at_the_field()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "reason" type = "string" /></message>
            <message name = "b"><field name = "reason" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.FieldTypeConflict, File, Models.At(xml, "field", 2));
    }

    [Fact]
    public void ZP2005_unknown_type_points_at_the_type_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "x" type = "strnig" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.UnknownType, File, Models.At(xml, "type"));
        Assert.Equal("field 'x' has unknown type 'strnig'", d.Message);
    }

    [Fact]
    public void ZP2005_unknown_list_item_type_points_at_the_item_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "x" type = "list" item = "thing" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.UnknownType, File, Models.At(xml, "item"));
    }

    [Fact]
    public void ZP2005_unknown_yaml_type_points_at_the_type_value()
    {
        const string yaml = "class: p\nmessages:\n  - name: a\n    fields:\n      - name: x\n        type: strnig\n";

        var result = Models.Yaml(yaml);

        Models.Only(result, DiagnosticDescriptors.UnknownType, "test.yaml", Models.At(yaml, "strnig"));
    }

    [Fact]
    public void ZP2006_msg_field_not_last_points_at_the_msg_field()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                <field name = "content" type = "msg" />
                <field name = "trailer" type = "string" />
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.MsgNotLast, File, Models.At(xml, "field"));
        Assert.Equal("field 'content' of type msg must be the last field of message 'a'", d.Message);
    }

    [Fact]
    public void ZP2007_number_size_other_than_1_2_4_8_points_at_the_size_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "n" type = "number" size = "3" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadNumberSize, File, Models.At(xml, "size"));
        Assert.Equal("field 'n' has size 3; a number is 1, 2, 4 or 8 octets", d.Message);
    }

    [Fact]
    public void ZP2008_octets_without_size_points_at_the_field()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "flags" type = "octets" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadOctetsSize, File, Models.At(xml, "field"));
    }

    [Fact]
    public void ZP2008_octets_of_size_zero_points_at_the_size_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "flags" type = "octets" size = "0" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadOctetsSize, File, Models.At(xml, "size"));
        Assert.Equal("octets field 'flags' needs a positive size, not '0'", d.Message);
    }

    [Fact]
    public void ZP2009_string_constant_of_256_utf8_octets_points_at_the_value_attribute()
    {
        // 128 two-octet characters: 128 chars, but 256 octets of UTF-8.
        var value = new string('é', 128);
        var xml = $"""
            <class name = "p">
            <message name = "a"><field name = "banner" type = "string" value = "{value}" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.StringConstantTooLong, File, Models.At(xml, "value"));
        Assert.Equal("constant of field 'banner' is 256 UTF-8 octets; a string holds at most 255", d.Message);
    }

    [Fact]
    public void ZP2009_string_constant_of_255_utf8_octets_is_accepted()
    {
        var value = new string('é', 126) + "€"; // 252 + 3 = 255 octets
        var xml = $"""<class name = "p"><message name = "a"><field name = "banner" type = "string" value = "{value}" /></message></class>""";

        var spec = Models.Clean(xml);

        Assert.Equal(value, spec.Messages[0].Fields[0].Value);
    }

    [Fact]
    public void ZP2009_longstr_constant_may_be_longer_than_255_octets()
    {
        var xml = $"""<class name = "p"><message name = "a"><field name = "banner" type = "longstr" value = "{new string('é', 200)}" /></message></class>""";

        Models.Clean(xml);
    }

    [Fact]
    public void ZP2010_number_constant_that_does_not_fit_points_at_the_value_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "version" type = "number" size = "1" value = "256" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadConstant, File, Models.At(xml, "value"));
        Assert.Equal("field 'version': constant '256' is not an unsigned number that fits in 8 bits", d.Message);
    }

    [Fact]
    public void ZP2010_constant_on_a_chunk_points_at_the_value_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "c" type = "chunk" value = "x" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadConstant, File, Models.At(xml, "value"));
    }

    [Fact]
    public void ZP2011_signature_over_255_points_at_the_signature_attribute()
    {
        const string xml = """
            <class name = "p"
                signature = "256">
            <message name = "a" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadSignature, File, Models.At(xml, "signature"));
        Assert.Contains("'256'", d.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("15")]
    [InlineData("42")]
    [InlineData("255")]
    public void ZP2011_signatures_that_fit_an_octet_are_accepted(string signature)
    {
        var spec = Models.Clean($"""<class name = "p" signature = "{signature}"><message name = "a" /></class>""");

        Assert.Equal(int.Parse(signature, System.Globalization.CultureInfo.InvariantCulture), spec.Signature);
    }

    [Fact]
    public void ZP2012_message_id_over_255_points_at_the_id_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a" id = "256" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadMessageId, File, Models.At(xml, "id"));
        Assert.Equal("message 'a' has id 256; ids are 0 to 255", d.Message);
    }

    [Fact]
    public void ZP2012_message_id_wider_than_a_4_bit_discriminator_points_at_the_id_attribute()
    {
        const string xml = """
            <class name = "p" framing = "datagram">
            <header><field name = "command" bits = "4" discriminator = "1" /><field name = "rest" bits = "4" /></header>
            <message name = "a" id = "15" />
            <message name = "b" id = "16" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadMessageId, File, Models.At(xml, "id", 2));
        Assert.EndsWith("ids are 0 to 15", d.Message);
    }

    [Fact]
    public void ZP2013_bit_fields_not_filling_whole_octets_point_at_the_first_bits_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                <field name = "version" bits = "4" />
                <field name = "flags" bits = "3" />
                <field name = "length" size = "2" />
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadBits, File, Models.At(xml, "bits"));
        Assert.Equal("field 'version': bit fields from here to 'flags' total 7 bits; a run of bit fields must fill whole octets", d.Message);
    }

    [Fact]
    public void ZP2013_bit_run_at_the_end_of_a_message_must_fill_whole_octets()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "x" size = "2" /><field name = "y" bits = "12" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadBits, File, Models.At(xml, "bits"));
    }

    [Fact]
    public void ZP2013_bit_width_out_of_range_points_at_the_bits_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "x" bits = "65" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadBits, File, Models.At(xml, "bits"));
    }

    [Fact]
    public void ZP2013_header_bits_with_a_discriminator_must_fill_octets_on_their_own()
    {
        // Without the check, message a's 4 bits would complete the header's run, but with a
        // discriminator the header is decoded before the message (and its fields) is known.
        const string xml = """
            <class name = "p" framing = "datagram">
            <header><field name = "command" bits = "4" discriminator = "1" /></header>
            <message name = "a"><field name = "low" bits = "4" /></message>
            <message name = "b"><field name = "low" bits = "4" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadBits, File, Models.At(xml, "bits"));
        Assert.Contains("with a discriminator", d.Message);
    }

    [Fact]
    public void ZP2013_bad_header_bit_run_is_reported_once_not_once_per_message()
    {
        const string xml = """
            <class name = "p">
            <header><field name = "version" bits = "3" /></header>
            <message name = "a" />
            <message name = "b" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadBits, File, Models.At(xml, "bits"));
    }

    [Fact]
    public void ZP2014_rest_of_frame_field_not_last_points_at_the_length_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                <field name = "address" type = "string" length = "rest" />
                <field name = "port" size = "2" />
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.RestNotLast, File, Models.At(xml, "length"));
        Assert.Equal("field 'address' runs to the end of the frame, so it must be the last field of message 'a'", d.Message);
    }

    [Fact]
    public void ZP2014_rest_of_frame_field_may_be_followed_by_frames_of_their_own()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                <field name = "address" type = "chunk" length = "rest" />
                <field name = "body" type = "frame" />
                <field name = "content" type = "msg" />
            </message>
            </class>
            """;
        Models.Clean(xml);
    }

    [Fact]
    public void ZP2015_two_discriminators_point_at_the_second_discriminator_attribute()
    {
        const string xml = """
            <class name = "p" framing = "datagram">
            <header>
                <field name = "kind" bits = "4" discriminator = "1" />
                <field name = "command" bits = "4" discriminator = "1" />
            </header>
            <message name = "a" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadDiscriminator, File, Models.At(xml, "discriminator", 2));
        Assert.Equal("field 'command': a header has at most one discriminator ('kind' is one)", d.Message);
    }

    [Fact]
    public void ZP2015_discriminator_outside_the_header_points_at_the_discriminator_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "kind" discriminator = "1" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadDiscriminator, File, Models.At(xml, "discriminator"));
    }

    [Fact]
    public void ZP2015_constant_discriminator_points_at_the_value_attribute()
    {
        const string xml = """
            <class name = "p">
            <header><field name = "kind" discriminator = "1" value = "3" /></header>
            <message name = "a" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadDiscriminator, File, Models.At(xml, "value"));
    }

    [Fact]
    public void ZP2016_frame_field_in_a_datagram_protocol_points_at_the_type_attribute()
    {
        const string xml = """
            <class name = "p" framing = "datagram">
            <message name = "a"><field name = "body" type = "frame" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.FramingConflict, File, Models.At(xml, "type"));
        Assert.Contains("needs a frame of its own, which a datagram does not have", d.Message);
    }

    [Fact]
    public void Max_size_on_frames_and_text_frames_is_the_largest_frame_and_no_framing_conflict()
    {
        var frames = Models.Clean("""<class name = "p" max_size = "512"><message name = "a" /></class>""");
        var text = Models.Clean("""
            <class name = "t" framing = "text-frames" max_size = "104857600">
                <message name = "req" direction = "request"><section name = "argument" tag = "ARGUMENT"><field name = "value" type = "string" /></section></message>
            </class>
            """);

        Assert.Equal((Framing.Frames, 512), (frames.Framing, frames.MaxSize));
        Assert.Equal((Framing.TextFrames, 104857600), (text.Framing, text.MaxSize));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("lots")]
    [InlineData("2147483648")]
    public void ZP2040_max_size_that_is_not_a_positive_32_bit_number_of_octets_points_at_the_attribute(string value)
    {
        var xml = $"""<class name = "p" max_size = "{value}"><message name = "a" /></class>""";

        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadMaxSize, File, Models.At(xml, "max_size"));
        Assert.Contains($"'{value}'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZP2040_max_size_in_yaml_is_checked_the_same_way()
    {
        const string yaml = "class: p\nmax_size: many\nmessages:\n  - name: a\n";

        var result = Models.Yaml(yaml);

        Models.Only(result, DiagnosticDescriptors.BadMaxSize, "test.yaml", Models.At(yaml, "many"));
    }

    [Fact]
    public void ZP2041_max_size_below_a_messages_fixed_part_names_the_message_and_its_octets()
    {
        // KEY: the 3-octet prefix, a 4-octet number and 100 octets = at least 107 octets.
        const string xml = """
            <class name = "p" max_size = "100">
                <message name = "small"><field name = "n" type = "number" size = "4" /></message>
                <message name = "key"><field name = "n" type = "number" size = "4" /><field name = "k" type = "octets" size = "100" /></message>
            </class>
            """;

        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.MaxSizeTooSmall, File, Models.At(xml, "max_size"));
        Assert.Contains("'key'", d.Message, StringComparison.Ordinal);
        Assert.Contains("107 octets", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_utf8_is_read_from_xml_and_yaml_and_utf16_is_the_default()
    {
        Assert.True(Models.Clean("""<class name = "p" strings = "utf8"><message name = "a" /></class>""").Utf8Strings);
        Assert.True(Models.Clean("class: p\nstrings: UTF8\nmessages:\n  - name: a\n", "test.yaml").Utf8Strings);
        Assert.False(Models.Clean("""<class name = "p" strings = "utf16"><message name = "a" /></class>""").Utf8Strings);
        Assert.False(Models.Clean("""<class name = "p"><message name = "a" /></class>""").Utf8Strings);
    }

    [Fact]
    public void Strings_with_another_value_is_ZP1008_at_the_attribute()
    {
        var xml = """<class name = "p" strings = "utf32"><message name = "a" /></class>""";

        var d = Models.Only(Models.Parse(xml), DiagnosticDescriptors.InvalidAttribute, File, Models.At(xml, "strings"));
        Assert.Contains("utf16 or utf8", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZP2050_strings_utf8_on_a_text_frames_protocol_is_ignored_with_a_warning()
    {
        var xml = """
            <class name = "t" framing = "text-frames" strings = "utf8">
                <message name = "req" direction = "request"><section name = "argument" tag = "ARGUMENT"><field name = "value" type = "string" /></section></message>
            </class>
            """;

        var result = Models.Parse(xml);

        Models.Single(result, DiagnosticDescriptors.Utf8StringsIgnored, File, Models.At(xml, "strings"));
        Assert.False(result.Spec!.Utf8Strings);
    }

    [Fact]
    public void ZP2041_does_not_fire_when_every_message_can_fit()
    {
        var spec = Models.Clean("""
            <class name = "p" max_size = "107">
                <message name = "key"><field name = "n" type = "number" size = "4" /><field name = "k" type = "octets" size = "100" /></message>
            </class>
            """);

        Assert.Equal(107, spec.MaxSize);
    }

    [Fact]
    public void ZP2016_header_in_a_text_frames_protocol_points_at_the_header()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <header><field name = "version" type = "number" /></header>
            <message name = "req" direction = "request"><section name = "a" tag = "A"><field name = "x" type = "string" /></section></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.FramingConflict, File, Models.At(xml, "header"));
    }

    [Fact]
    public void ZP2016_text_frame_field_of_a_binary_type_points_at_the_type_attribute()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "req" direction = "request"><section name = "a" tag = "A"><field name = "x" type = "uuid" /></section></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.FramingConflict, File, Models.At(xml, "type"));
    }

    [Fact]
    public void ZP2016_text_frame_field_with_a_size_points_at_the_size_attribute()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "req" direction = "request"><section name = "a" tag = "A"><field name = "x" type = "number" size = "4" /></section></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.FramingConflict, File, Models.At(xml, "size"));
    }

    [Fact]
    public void ZP2017_type_declared_twice_points_at_the_second_name_attribute()
    {
        const string xml = """
            <class name = "p">
            <type name = "person"><field name = "a" type = "string" /></type>
            <type name = "Person"><field name = "b" type = "string" /></type>
            <message name = "m" />
            </class>
            """;
        var result = Models.Parse(xml);

        // One diagnostic: the identical C# names are the same problem, not a ZP2021 as well.
        var d = Models.Only(result, DiagnosticDescriptors.DuplicateDeclaration, File, Models.At(xml, "name", 4));
        Assert.Equal("type 'Person' is declared twice", d.Message);
    }

    [Fact]
    public void ZP2017_define_declared_twice_points_at_the_second_name_attribute()
    {
        const string xml = """
            <class name = "p">
            <define name = "PORT" value = "1" />
            <define name = "port" value = "2" />
            <message name = "m" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.DuplicateDeclaration, File, Models.At(xml, "name", 3));
    }

    [Fact]
    public void ZP2018_duplicate_enum_value_points_at_the_second_value_attribute()
    {
        const string xml = """
            <class name = "p">
            <enum name = "colour">
                <value name = "red" value = "1" />
                <value name = "rouge" value = "1" />
            </enum>
            <message name = "m" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadEnum, File, Models.At(xml, "value = \"1\"", 2));
        Assert.Equal("enum 'colour': value 1 is used twice", d.Message);
    }

    [Fact]
    public void ZP2018_enum_value_too_large_for_its_size_points_at_the_value_attribute()
    {
        const string xml = """
            <class name = "p">
            <enum name = "colour" size = "1"><value name = "red" value = "256" /></enum>
            <message name = "m" />
            </class>
            """;
        var result = Models.Parse(xml);

        // The enum is then also empty, which is reported at the enum.
        Assert.Contains(result.Diagnostics, d => d.Id == "ZP2018" && (d.Line, d.Column) == Models.At(xml, "value = "));
        Assert.Null(result.Spec);
    }

    [Fact]
    public void ZP2019_tag_reused_in_a_message_points_at_the_reusing_attribute()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "req" direction = "request">
                <section name = "arguments" tag = "ARGUMENT" alias = "A" repeat = "counted"><field name = "arg" type = "frame" /></section>
                <section name = "address" tag = "ADDRESS" alias = "A"><field name = "host" type = "string" /></section>
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadSection, File, Models.At(xml, "alias", 2));
        Assert.Equal("message 'req': alias 'A' of section 'address' is already used by section 'arguments'", d.Message);
    }

    [Fact]
    public void ZP2019_choice_alternative_reusing_a_tag_points_at_its_tag_attribute()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "rep" direction = "reply">
                <section name = "output" tag = "OUTPUT" repeat = "repeated"><field name = "data" type = "frame" /></section>
                <section name = "status" repeat = "choice">
                    <section name = "done" tag = "DONE"><field name = "code" type = "number" /></section>
                    <section name = "again" tag = "OUTPUT"><field name = "code" type = "number" /></section>
                </section>
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadSection, File, Models.At(xml, "tag", 3));
    }

    [Fact]
    public void ZP2019_choice_with_one_alternative_points_at_the_choice()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "rep" direction = "reply">
                <section name = "status" repeat = "choice">
                    <section name = "done" tag = "DONE"><field name = "code" type = "number" /></section>
                </section>
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.BadSection, File, Models.At(xml, "section"));
        Assert.Equal("section 'status': a choice needs at least two alternatives", d.Message);
    }

    [Fact]
    public void ZP2019_optional_repeated_section_points_at_the_optional_attribute()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "rep" direction = "reply">
                <section name = "output" tag = "OUTPUT" repeat = "repeated" optional = "1"><field name = "data" type = "frame" /></section>
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.BadSection, File, Models.At(xml, "optional"));
    }

    [Fact]
    public void ZP2020_class_without_messages_is_a_warning_at_the_class()
    {
        const string xml = """<class name = "p"><define name = "X" value = "1" /></class>""";

        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NoMessages, File, (1, 2));
        Assert.Equal("class 'p' defines no messages", d.Message);
    }

    [Fact]
    public void ZP2020_yaml_positions_are_one_based_so_the_document_starts_at_line_1_column_1()
    {
        var result = Models.Yaml("class: p\ntitle: t\n");

        Models.Only(result, DiagnosticDescriptors.NoMessages, "test.yaml", (1, 1));
    }

    [Fact]
    public void ZP2021_message_names_that_become_the_same_identifier_point_at_the_second_name()
    {
        const string xml = """
            <class name = "p">
            <message name = "HELLO OK" />
            <message name = "HelloOk" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 3));
        Assert.Equal("messages 'HELLO OK' and 'HelloOk' both become 'HelloOk'", d.Message);
    }

    [Theory]
    [InlineData("message id", "MessageId")]
    [InlineData("equals", "Equals")]
    [InlineData("to-string", "ToString")]
    [InlineData("GET TYPE", "GetType")]
    public void ZP2021_field_named_like_a_generated_member_points_at_its_name(string field, string identifier)
    {
        var xml = $"""
            <class name = "p">
            <message name = "a"><field name = "{field}" type = "string" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 3));
        Assert.Equal($"field '{field}' in message 'a' would become '{identifier}', which every generated message already has; rename it", d.Message);
    }

    [Fact]
    public void ZP2021_field_named_message_name_clashes_with_every_messages_name_property()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "message name" type = "string" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 3));
    }

    [Fact]
    public void ZP2021_field_named_topic_clashes_only_in_a_pubsub_protocol()
    {
        const string pubsub = """
            <class name = "p" pubsub = "1">
            <message name = "a"><field name = "topic" type = "string" /></message>
            </class>
            """;
        var result = Models.Parse(pubsub);

        Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(pubsub, "name", 3));
        Models.Clean(pubsub.Replace(" pubsub = \"1\"", "", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ENCODE")]
    [InlineData("try decode")]
    [InlineData("GET-NAME")]
    [InlineData("max size")]
    [InlineData("all frames")]
    public void ZP2021_message_named_like_a_codec_member_points_at_its_name(string message)
    {
        var xml = $"""
            <class name = "p">
            <message name = "{message}" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 2));
    }

    [Fact]
    public void ZP2021_enum_values_that_become_the_same_identifier_point_at_the_second_name()
    {
        const string xml = """
            <class name = "p">
            <enum name = "colour"><value name = "dark red" value = "1" /><value name = "DarkRed" value = "2" /></enum>
            <message name = "a" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"DarkRed\""));
        Assert.Equal("value 'DarkRed' and value 'dark red' in enum 'colour' both become 'DarkRed'", d.Message);
    }

    [Fact]
    public void ZP2021_defines_that_become_the_same_identifier_point_at_the_second_name()
    {
        const string xml = """
            <class name = "p">
            <define name = "BAD REQUEST" value = "400" />
            <define name = "BadRequest" value = "401" />
            <message name = "a" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"BadRequest\""));
    }

    [Fact]
    public void ZP2021_sections_that_become_the_same_identifier_point_at_the_second_name()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "req" direction = "request">
                <section name = "env" tag = "ENV" repeat = "counted"><field name = "n" type = "string" /><field name = "v" type = "string" /></section>
                <section name = "env item" tag = "X"><field name = "x" type = "string" /></section>
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        // "env" has two fields, so its items are records named EnvItem: the second section's property.
        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"env item\""));
        Assert.Equal("section 'env item' and the item type of section 'env' in message 'req' both become 'EnvItem'", d.Message);
    }

    [Fact]
    public void ZP2021_choice_alternative_named_like_a_section_points_at_the_alternative()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "rep" direction = "reply">
                <section name = "output" tag = "OUTPUT" repeat = "repeated"><field name = "data" type = "frame" /></section>
                <section name = "status" repeat = "choice">
                    <section name = "output" tag = "DONE"><field name = "code" type = "number" /></section>
                    <section name = "failed" tag = "FAILED"><field name = "code" type = "number" /></section>
                </section>
            </message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"output\"", 2));
    }

    [Fact]
    public void ZP2021_fields_that_become_the_same_identifier_point_at_the_second_name()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "public key" type = "chunk" /><field name = "PublicKey" type = "chunk" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 4));
    }

    [Theory]
    [InlineData("LOG", "DECODE LOG")]
    [InlineData("DECODE LOG", "LOG")]
    public void ZP2021_message_named_like_another_messages_decoder_points_at_that_message(string first, string second)
    {
        var xml = $"""
            <class name = "p">
            <message name = "{first}" />
            <message name = "{second}" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"DECODE LOG\""));
        Assert.Equal("message 'DECODE LOG' would become 'DecodeLog', the name of the method that decodes message 'LOG'; rename one of them", d.Message);
    }

    [Theory]
    [InlineData("""<message name = "get note tags item length" />""", "message 'get note tags item length' would become 'GetNoteTagsItemLength', the name of the method that measures an item of list 'tags' in message 'note'")]
    [InlineData("""<type name = "WriteNoteTagsItem"><field name = "x" type = "string" /></type>""", "type 'WriteNoteTagsItem' would become 'WriteNoteTagsItem', the name of the method that writes an item of list 'tags' in message 'note'")]
    [InlineData("""<message name = "try-read-note-tags-item" />""", "message 'try-read-note-tags-item' would become 'TryReadNoteTagsItem', the name of the method that reads an item of list 'tags' in message 'note'")]
    public void ZP2021_declaration_named_like_a_list_item_method_points_at_the_declaration(string declaration, string message)
    {
        var xml = $"""
            <class name = "p">
            <message name = "note"><field name = "tags" type = "list" item = "string" /></message>
            {declaration}
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 4));
        Assert.Equal(message + "; rename one of them", d.Message);
    }

    [Fact]
    public void ZP2021_list_item_methods_of_a_composite_list_are_named_down_the_path()
    {
        // The list 'xs' of 'box' in field 'b' of message 'n' reads its items with TryReadNBXsItem.
        const string xml = """
            <class name = "p">
            <type name = "box"><field name = "xs" type = "list" item = "string" /></type>
            <message name = "n"><field name = "b" type = "box" /></message>
            <message name = "try read n b xs item" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"try read n b xs item\""));
        Assert.Equal("message 'try read n b xs item' would become 'TryReadNBXsItem', the name of the method that reads an item of list 'xs' in message 'n'; rename one of them", d.Message);
    }

    [Fact]
    public void ZP2021_lists_whose_item_methods_share_a_name_point_at_the_second_list_once()
    {
        // 'A' + 'b c' and 'A B' + 'c' both make GetABCItemLength, WriteABCItem and TryReadABCItem.
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "b c" type = "list" item = "string" /></message>
            <message name = "a b"><field name = "c" type = "list" item = "string" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"c\""));
        Assert.Equal("the method that measures an item of list 'c' in message 'a b' and the one that measures an item of list 'b c' in message 'a' would both be named 'GetABCItemLength'; rename one of the lists", d.Message);
    }

    [Fact]
    public void ZP2021_header_list_methods_are_named_after_the_header_with_a_discriminator()
    {
        const string xml = """
            <class name = "p">
            <header>
                <field name = "kind" type = "number" size = "1" discriminator = "1" />
                <field name = "tags" type = "list" item = "string" />
            </header>
            <message name = "a" id = "1" />
            <message name = "write header tags item" id = "2" />
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"write header tags item\""));
        Assert.Equal("message 'write header tags item' would become 'WriteHeaderTagsItem', the name of the method that writes an item of list 'tags' in the <header>; rename one of them", d.Message);
    }

    [Fact]
    public void ZP2021_text_frames_message_named_like_another_messages_decoder_points_at_it()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "req" direction = "request"><section name = "a" tag = "A"><field name = "x" type = "string" /></section></message>
            <message name = "try decode req" direction = "request"><section name = "a" tag = "A"><field name = "x" type = "string" /></section></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name = \"try decode req\""));
        Assert.Equal("message 'try decode req' would become 'TryDecodeReq', the name of the method that decodes message 'req'; rename one of them", d.Message);
    }

    [Fact]
    public void ZP2021_names_near_the_codec_methods_are_clean()
    {
        // LogDecode is not DecodeLog, and a type NoteTags is not one of NOTE's item methods.
        Models.Clean("""
            <class name = "p">
            <type name = "note tags"><field name = "x" type = "string" /></type>
            <message name = "log" />
            <message name = "log decode" />
            <message name = "note"><field name = "tags" type = "list" item = "note tags" /></message>
            <message name = "decode" />
            </class>
            """);
    }

    [Fact]
    public void ZP2021_name_without_letters_or_digits_points_at_the_name()
    {
        const string xml = """
            <class name = "p">
            <message name = "--" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 2));
    }

    [Theory]
    [InlineData("Message")]
    [InlineData("message id")]
    [InlineData("defines")]
    [InlineData("P")]
    public void ZP2021_message_named_like_a_member_of_the_protocol_class_points_at_its_name(string message)
    {
        var xml = $"""
            <class name = "p">
            <message name = "{message}" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 2));
    }

    [Fact]
    public void ZP2021_type_and_message_of_one_name_point_at_the_later_declaration()
    {
        const string xml = """
            <class name = "p">
            <message name = "person" />
            <type name = "person"><field name = "a" type = "string" /></type>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.NameClash, File, Models.At(xml, "name", 3));
        Assert.Equal("type 'person' and message 'person' both become 'Person'", d.Message);
    }

    [Fact]
    public void ZP2022_rest_of_frame_number_points_at_the_length_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "n" type = "number" length = "rest" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        var d = Models.Only(result, DiagnosticDescriptors.TypeNotAllowed, File, Models.At(xml, "length"));
        Assert.Equal("field 'n': only string and chunk fields can run to the end of the frame, not number", d.Message);
    }

    [Fact]
    public void ZP2022_frame_inside_a_composite_type_points_at_the_field()
    {
        const string xml = """
            <class name = "p">
            <type name = "t"><field name = "f" type = "frame" /></type>
            <message name = "a" />
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.TypeNotAllowed, File, Models.At(xml, "field"));
    }

    [Fact]
    public void ZP2022_list_of_numbers_points_at_the_item_attribute()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "xs" type = "list" item = "number" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Models.Only(result, DiagnosticDescriptors.TypeNotAllowed, File, Models.At(xml, "item"));
    }

    // ---- across descriptors -------------------------------------------------------------------

    [Fact]
    public void A_model_with_errors_has_no_spec_but_warnings_alone_keep_it()
    {
        var withError = Models.Parse("""<class name = "p"><message name = "a"><field name = "x" type = "nope" /></message></class>""");
        var withWarning = Models.Parse("""<class name = "p"><message name = "a" colour = "red" /></class>""");

        Assert.True(withError.HasErrors);
        Assert.Null(withError.Spec);
        Assert.False(withWarning.HasErrors);
        Assert.NotNull(withWarning.Spec);
    }

    [Fact]
    public void Every_problem_of_a_model_is_reported_in_one_run_in_document_order()
    {
        const string xml = """
            <class name = "p" signature = "300">
            <message name = "a" id = "1">
                <field name = "x" type = "strnig" />
                <field name = "n" size = "3" />
                <field name = "f" type = "octets" />
            </message>
            <message name = "b" id = "1">
                <field name = "content" type = "msg" />
                <field name = "after" type = "string" />
            </message>
            <message name = "c" id = "999" />
            </class>
            """;
        var result = Models.Parse(xml);

        Assert.Null(result.Spec);
        Assert.Equal(
            new[] { "ZP2011", "ZP2005", "ZP2007", "ZP2008", "ZP2001", "ZP2006", "ZP2012" },
            result.Diagnostics.Select(d => d.Id));
        Assert.All(result.Diagnostics, d => Assert.Equal((Severity.Error, File), (d.Severity, d.File)));
    }

    [Fact]
    public void Diagnostic_text_is_compiler_style_with_file_line_and_column()
    {
        var result = Models.Parse("<class name = \"p\">\n<message name = \"a\"><field name = \"x\" type = \"nope\" /></message>\n</class>\n", "models/p.xml");

        Assert.Equal("models/p.xml(2,39): error ZP2005: field 'x' has unknown type 'nope'", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Every_descriptor_but_the_internal_error_has_a_test_named_after_it()
    {
        var testNames = typeof(DiagnosticTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttributes(typeof(FactAttribute), inherit: true).Any())
            .Select(m => m.Name)
            .ToList();

        var untested = DiagnosticDescriptors.All
            .Where(d => d != DiagnosticDescriptors.InternalError)
            .Where(d => !testNames.Any(n => n.StartsWith(d.Id + "_", System.StringComparison.Ordinal)))
            .Select(d => d.Id);

        Assert.Empty(untested);
    }

    [Fact]
    public void Descriptor_ids_are_unique_and_in_their_bands()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(DiagnosticDescriptors.All, d => Assert.Matches(@"^ZP[129]\d{3}$", d.Id));
        Assert.All(DiagnosticDescriptors.All.Where(d => d.Id.StartsWith("ZP3", System.StringComparison.Ordinal)), d => Assert.Fail($"{d.Id}: ZP3xxx is the state-machine band"));
    }
}
