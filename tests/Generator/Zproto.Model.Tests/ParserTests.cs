using System.Linq;
using Xunit;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Tests.Support;

namespace Zproto.Model.Tests;

/// <summary>Text to spec: the repository's models, the YAML form, defaults and normalisation.</summary>
public class ParserTests
{
    public static TheoryData<string> RepositoryModels => Models.AllNames();

    [Theory]
    [MemberData(nameof(RepositoryModels))]
    public void Every_repository_model_parses_with_no_errors_and_no_warnings(string fileName)
    {
        var result = Models.ParseRepositoryModel(fileName);

        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        Assert.False(result.HasErrors);
    }

    [Theory]
    [InlineData("zproto_example.xml")]
    [InlineData("zpipes_msg.xml")]
    [InlineData("zccp_msg.xml")]
    [InlineData("zp_msg.xml")]
    [InlineData("vtx_nom1.xml")]
    [InlineData("remctl_msg.yaml")]
    public void Every_seed_codec_model_is_in_the_repository_and_gives_a_spec(string fileName)
    {
        Assert.Contains(fileName, Models.All);

        var result = Models.ParseRepositoryModel(fileName);

        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.Spec);
        Assert.Equal(fileName, result.Spec!.FileName);
    }

    [Theory]
    [InlineData("zpipes_msg.xml", "zpipes_msg.yaml")]
    [InlineData("vtx_nom1.xml", "vtx_nom1.yaml")]
    public void Yaml_twin_of_a_repository_model_gives_an_equal_spec(string xmlModel, string yamlFixture)
    {
        var xml = Models.ParseRepositoryModel(xmlModel);
        var yaml = Models.ParseFixture(yamlFixture);

        Assert.True(yaml.Diagnostics.IsEmpty, string.Join("\n", yaml.Diagnostics));
        Assert.Equal(yamlFixture, yaml.Spec!.FileName);
        // Compare piece by piece first so that a failure names the part that differs.
        Assert.Equal(xml.Spec!.Doc, yaml.Spec.Doc);
        Assert.Equal(xml.Spec.Grammar, yaml.Spec.Grammar);
        Assert.Equal(xml.Spec.Header, yaml.Spec.Header);
        Assert.Equal(xml.Spec.Messages.ToArray(), yaml.Spec.Messages.ToArray());
        Assert.Equal(xml.Spec, yaml.Spec with { FileName = xml.Spec.FileName });
        Assert.Equal(xml.Spec.GetHashCode(), (yaml.Spec with { FileName = xml.Spec.FileName }).GetHashCode());
    }

    [Fact]
    public void Zproto_example_resolves_header_define_composite_and_every_classic_type()
    {
        var spec = Models.ParseRepositoryModel("zproto_example.xml").Spec!;

        Assert.Equal("zproto_example", spec.Name);
        Assert.Equal(0, spec.Signature);
        Assert.Equal(Framing.Frames, spec.Framing);
        Assert.Equal(new DefineSpec("VERSION", "1", "") { SignedValue = 1 }, Assert.Single(spec.Defines));
        var sequence = Assert.Single(spec.Header);
        Assert.Equal((FieldKind.Number, 2), (sequence.Kind, sequence.Size));
        Assert.Equal(new[] { "LOG", "STRUCTURES", "BINARY", "TYPES" }, spec.Messages.Select(m => m.Name));

        var log = spec.Messages[0];
        Assert.Equal("3", log.Fields[0].Value);
        Assert.Equal(new[] { 2, 1, 1, 2, 2, 8 }, log.Fields.Take(6).Select(f => f.Size));

        var structures = spec.Messages[1];
        Assert.Equal(FieldKind.Strings, structures.Fields[0].Kind);
        Assert.Equal((FieldKind.Hash, "dictionary"), (structures.Fields[1].Kind, structures.Fields[1].Type));

        var binary = spec.Messages[2];
        Assert.Equal(new[] { FieldKind.Octets, FieldKind.Chunk, FieldKind.Uuid, FieldKind.Frame, FieldKind.Msg }, binary.Fields.Select(f => f.Kind));
        Assert.Equal(4, binary.Fields[0].Size);
        Assert.Equal("public key", binary.Fields[1].Name);

        var types = spec.Messages[3];
        Assert.All(types.Fields, f => Assert.Equal((FieldKind.Composite, "person"), (f.Kind, f.TypeRef)));
        var person = Assert.Single(spec.Types);
        Assert.Equal(new[] { "forename", "surname", "mobile", "email" }, person.Fields.Select(f => f.Name));
    }

    [Fact]
    public void Vtx_nom1_has_a_bit_field_header_with_a_discriminator_rest_values_and_a_packed_frame_list()
    {
        var spec = Models.ParseRepositoryModel("vtx_nom1.xml").Spec!;

        Assert.Equal((Framing.Datagram, 512), (spec.Framing, spec.MaxSize));
        Assert.True(spec.HasDiscriminator);
        Assert.Equal(new[] { 4, 3, 1, 4, 4 }, spec.Header.Select(f => f.Bits));
        Assert.Equal(new[] { 0, 0, 0, 0, 0 }, spec.Header.Select(f => f.Size));
        Assert.Equal(FieldKind.Boolean, spec.Header[2].Kind);
        Assert.True(spec.Header[3].Discriminator);
        Assert.Equal("1", spec.Header[0].Value);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, spec.Messages.Select(m => m.Id));
        Assert.True(spec.Messages[0].Fields[0].Rest);
        var content = spec.Messages[5].Fields[0];
        Assert.Equal((FieldKind.Msg, true), (content.Kind, content.Packed));
    }

    [Fact]
    public void Remctl_has_direction_aware_messages_of_counted_repeated_and_choice_sections()
    {
        var spec = Models.ParseRepositoryModel("remctl_msg.yaml").Spec!;

        Assert.Equal(Framing.TextFrames, spec.Framing);
        var request = spec.Messages[0];
        var reply = spec.Messages[1];
        Assert.Equal((Direction.Request, Direction.Reply), (request.Direction, reply.Direction));
        Assert.Empty(request.Fields);

        var arguments = request.Sections[0];
        Assert.Equal(("ARGUMENT", "A", SectionRepeat.Counted, false), (arguments.Tag, arguments.Alias, arguments.Repeat, arguments.Optional));
        Assert.Equal(FieldKind.Frame, Assert.Single(arguments.Fields).Kind);
        var environment = request.Sections[1];
        Assert.Equal(("ENVIRONMENT", "E", true), (environment.Tag, environment.Alias, environment.Optional));
        Assert.Equal(new[] { FieldKind.String, FieldKind.String }, environment.Fields.Select(f => f.Kind));

        Assert.Equal(SectionRepeat.Repeated, reply.Sections[0].Repeat);
        var status = reply.Sections[1];
        Assert.Equal((SectionRepeat.Choice, ""), (status.Repeat, status.Tag));
        Assert.Equal(new[] { ("RETURNCODE", "R"), ("ERRORCODE", "E") }, status.Choices.Select(c => (c.Tag, c.Alias)));
        Assert.Equal("The command's exit status.", status.Choices[0].Doc);
    }

    [Fact]
    public void Documentation_is_trimmed_per_line_with_blank_edges_dropped_and_paragraph_breaks_kept()
    {
        const string xml = """
            <class name = "p">


                First line,   
                  second line.



                Second paragraph.
            <message name = "a">   Message doc.   </message>
            </class>
            """;
        var spec = Models.Clean(xml);

        Assert.Equal("First line,\nsecond line.\n\nSecond paragraph.", spec.Doc);
        Assert.Equal("Message doc.", spec.Messages[0].Doc);
    }

    [Fact]
    public void Documentation_in_yaml_is_normalised_like_xml_text()
    {
        const string yaml = """
            class: p
            doc: |

              First line,
                second line.


              Second paragraph.
            messages:
              - name: a
                doc: "   Message doc.   "
            """;
        var spec = Models.Yaml(yaml).Spec!;

        Assert.Equal("First line,\nsecond line.\n\nSecond paragraph.", spec.Doc);
        Assert.Equal("Message doc.", spec.Messages[0].Doc);
    }

    [Fact]
    public void Documentation_around_child_elements_is_joined()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                Before the field.
                <field name = "x" type = "string">Field doc</field>
                After the field.
            </message>
            </class>
            """;
        var spec = Models.Clean(xml);

        Assert.Equal("Before the field.\n\nAfter the field.", spec.Messages[0].Doc);
        Assert.Equal("Field doc", spec.Messages[0].Fields[0].Doc);
    }

    [Fact]
    public void Message_ids_default_to_their_one_based_position_among_messages()
    {
        const string xml = """
            <class name = "p">
            <define name = "X" value = "1" />
            <message name = "first" />
            <type name = "t"><field name = "a" /></type>
            <message name = "second" />
            <message name = "third" id = "9" />
            <message name = "fourth" />
            </class>
            """;
        var spec = Models.Clean(xml);

        Assert.Equal(new[] { 1, 2, 9, 4 }, spec.Messages.Select(m => m.Id));
    }

    [Fact]
    public void Dictionary_is_an_alias_of_hash()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "headers" type = "dictionary" /></message>
            <message name = "b"><field name = "other" type = "hash" /></message>
            </class>
            """;
        var spec = Models.Clean(xml);

        Assert.Equal(FieldKind.Hash, spec.Messages[0].Fields[0].Kind);
        Assert.Equal("dictionary", spec.Messages[0].Fields[0].Type);
        Assert.Equal(FieldKind.Hash, spec.Messages[1].Fields[0].Kind);
    }

    [Fact]
    public void Dictionary_and_hash_are_one_type_for_the_one_type_per_field_name_rule()
    {
        const string xml = """
            <class name = "p">
            <message name = "a"><field name = "headers" type = "dictionary" /></message>
            <message name = "b"><field name = "headers" type = "hash" /></message>
            </class>
            """;
        var result = Models.Parse(xml);

        Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticDescriptors.FieldTypeConflict.Id);
    }

    [Fact]
    public void Field_type_defaults_to_number_of_size_one()
    {
        var spec = Models.Clean("""<class name = "p"><message name = "a"><field name = "n" /></message></class>""");

        var field = spec.Messages[0].Fields[0];
        Assert.Equal((FieldKind.Number, "number", 1, 0), (field.Kind, field.Type, field.Size, field.Bits));
    }

    [Fact]
    public void Integer_defaults_to_four_octets_and_boolean_enum_take_their_sizes()
    {
        const string xml = """
            <class name = "p">
            <enum name = "colour" size = "2"><value name = "red" value = "1" /><value name = "green" value = "2" /></enum>
            <message name = "a">
                <field name = "i" type = "integer" />
                <field name = "flag" type = "boolean" />
                <field name = "c" type = "colour" />
                <field name = "names" type = "list" item = "string" />
            </message>
            </class>
            """;
        var fields = Models.Clean(xml).Messages[0].Fields;

        Assert.Equal((FieldKind.Integer, 4), (fields[0].Kind, fields[0].Size));
        Assert.Equal((FieldKind.Boolean, 1), (fields[1].Kind, fields[1].Size));
        Assert.Equal((FieldKind.Enum, 2, "colour"), (fields[2].Kind, fields[2].Size, fields[2].TypeRef));
        Assert.Equal((FieldKind.List, FieldKind.String), (fields[3].Kind, fields[3].Item!.Kind));
    }

    [Fact]
    public void Type_names_are_case_insensitive_as_written_in_zproto()
    {
        var spec = Models.Clean("""<class name = "p"><message name = "a"><field name = "s" type = "String" /></message></class>""");

        Assert.Equal((FieldKind.String, "string"), (spec.Messages[0].Fields[0].Kind, spec.Messages[0].Fields[0].Type));
    }

    [Fact]
    public void Zproto_class_attributes_the_codec_does_not_use_are_accepted_without_warnings()
    {
        const string xml = """
            <class name = "p" signature = "3" script = "zproto_codec_c" package_dir = "../include"
                source_dir = "../src" project_header = "p.h" export_macro = "P_EXPORT" virtual = "1" use_zmq_msg = "1">
            <message name = "a" />
            </class>
            """;
        var spec = Models.Clean(xml);

        Assert.Equal(3, spec.Signature);
    }

    [Fact]
    public void Test_elements_and_yaml_examples_become_field_examples()
    {
        const string xml = """
            <class name = "p">
            <message name = "a">
                <field name = "host" type = "string">Host<test>localhost</test><test> example.com </test></field>
            </message>
            </class>
            """;
        const string yaml = """
            class: p
            messages:
              - name: a
                fields:
                  - name: host
                    type: string
                    doc: Host
                    examples: [localhost, " example.com "]
            """;
        var fromXml = Models.Clean(xml).Messages[0].Fields[0];
        var fromYaml = Models.Yaml(yaml).Spec!.Messages[0].Fields[0];

        Assert.Equal(new[] { "localhost", "example.com" }, fromXml.Examples);
        Assert.Equal("Host", fromXml.Doc);
        Assert.Equal(fromXml, fromYaml);
    }

    [Fact]
    public void Yaml_grammar_and_license_are_text_elements_as_in_xml()
    {
        const string yaml = """
            class: p
            grammar: |
              P = a
            license: MPL-2.0
            messages:
              - name: a
            """;
        var result = Models.Yaml(yaml);

        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        Assert.Equal("P = a", result.Spec!.Grammar);
    }

    [Fact]
    public void Yaml_class_key_is_the_class_name_and_keys_are_case_insensitive()
    {
        var spec = Models.Yaml("Class: p\nTitle: T\nMessages:\n  - Name: a\n    ID: 7\n").Spec!;

        Assert.Equal(("p", "T"), (spec.Name, spec.Title));
        Assert.Equal(7, spec.Messages[0].Id);
    }

    [Fact]
    public void Yaml_null_scalars_are_empty_values()
    {
        var spec = Models.Yaml("class: p\ntitle: ~\ndoc: null\nmessages:\n  - name: a\n    fields:\n").Spec!;

        Assert.Equal(("", ""), (spec.Title, spec.Doc));
        Assert.Empty(spec.Messages[0].Fields);
    }

    [Fact]
    public void Xml_and_yaml_text_frame_models_give_equal_specs()
    {
        const string xml = """
            <class name = "t" framing = "text-frames">
            <message name = "req" direction = "request">
                <section name = "args" tag = "ARGUMENT" alias = "A" repeat = "counted">
                    <field name = "arg" type = "frame" />
                </section>
                <section name = "status" repeat = "choice">
                    <section name = "ok" tag = "OK"><field name = "code" type = "number" /></section>
                    <section name = "error" tag = "ERROR" alias = "E"><field name = "code" type = "number" /></section>
                </section>
            </message>
            </class>
            """;
        const string yaml = """
            class: t
            framing: text-frames
            messages:
              - name: req
                direction: request
                sections:
                  - name: args
                    tag: ARGUMENT
                    alias: A
                    repeat: counted
                    fields:
                      - { name: arg, type: frame }
                  - name: status
                    repeat: choice
                    sections:
                      - { name: ok, tag: OK, fields: [{ name: code, type: number }] }
                      - { name: error, tag: ERROR, alias: E, fields: [{ name: code, type: number }] }
            """;
        var fromXml = Models.Clean(xml, "t.xml");
        var fromYaml = Models.Yaml(yaml, "t.yaml").Spec!;

        Assert.Equal(fromXml, fromYaml with { FileName = "t.xml" });
    }

    [Fact]
    public void Enums_types_and_defines_read_the_same_from_xml_and_yaml()
    {
        const string xml = """
            <class name = "p">
            <define name = "PORT" value = "5670">Default port</define>
            <enum name = "colour" size = "1">Colours<value name = "red" value = "1">Red</value><value name = "blue" value = "2" /></enum>
            <type name = "point"><field name = "x" type = "number" size = "4" /><field name = "y" type = "number" size = "4" /></type>
            <message name = "paint"><field name = "colour" type = "colour" /><field name = "at" type = "point" /></message>
            </class>
            """;
        const string yaml = """
            class: p
            defines:
              - { name: PORT, value: 5670, doc: Default port }
            enums:
              - name: colour
                size: 1
                doc: Colours
                values:
                  - { name: red, value: 1, doc: Red }
                  - { name: blue, value: 2 }
            types:
              - name: point
                fields:
                  - { name: x, type: number, size: 4 }
                  - { name: y, type: number, size: 4 }
            messages:
              - name: paint
                fields:
                  - { name: colour, type: colour }
                  - { name: at, type: point }
            """;
        var fromXml = Models.Clean(xml, "p.xml");
        var fromYaml = Models.Yaml(yaml, "p.yaml").Spec!;

        Assert.Equal(fromXml, fromYaml with { FileName = "p.xml" });
        Assert.Equal(new EnumValueSpec("red", 1, "Red"), fromXml.Enums[0].Values[0]);
    }
}
