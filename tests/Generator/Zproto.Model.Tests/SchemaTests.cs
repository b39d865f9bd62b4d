using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;
using Zproto.Model.Diagnostics;
using Zproto.Model.Tests.Support;

namespace Zproto.Model.Tests;

/// <summary>docs/zproto-model.schema.json describes the YAML form: the models pass it, mistakes do not, and it agrees with the parser.</summary>
public class SchemaTests
{
    private static readonly string s_schemaPath = Path.Combine(Repository.Docs, "zproto-model.schema.json");
    private static readonly SchemaValidator s_schema = SchemaValidator.Load(s_schemaPath);

    public static TheoryData<string> YamlModels()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Repository.Models, "*.yaml").Concat(Directory.EnumerateFiles(Repository.Fixtures, "*.yaml")).OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'));
        return data;
    }

    private static List<string> Validate(string yaml) => s_schema.Validate(SchemaValidator.YamlToJson(yaml));

    [Fact]
    public void Schema_is_draft_2020_12_and_uses_only_keywords_the_checker_understands()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", s_schema.Root["$schema"]!.GetValue<string>());
        Assert.Empty(s_schema.UnsupportedKeywords());
    }

    [Theory]
    [MemberData(nameof(YamlModels))]
    public void Every_yaml_model_and_fixture_is_valid_against_the_schema(string relativePath)
    {
        var errors = Validate(File.ReadAllText(Path.Combine(Repository.Root, relativePath)));

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(YamlModels))]
    public void Every_yaml_model_names_the_schema_by_a_relative_path_that_exists(string relativePath)
    {
        var path = Path.Combine(Repository.Root, relativePath);
        var match = Regex.Match(File.ReadAllText(path), @"^# yaml-language-server: \$schema=(\S+)", RegexOptions.Multiline);

        Assert.True(match.Success, "no yaml-language-server schema comment");
        var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, match.Groups[1].Value));
        Assert.Equal(Path.GetFullPath(s_schemaPath), target);
    }

    [Theory]
    [InlineData("class: p\ncolour: red\n", "property 'colour' is not allowed")]
    [InlineData("class: p\nframing: udp\n", "/framing")]
    [InlineData("class: p\nmessages:\n  - id: 1\n", "/messages/0: required property 'name' is missing")]
    [InlineData("class: p\nmessages:\n  - name: a\n    fields:\n      - name: x\n        lenght: rest\n", "/messages/0/fields/0: property 'lenght' is not allowed")]
    [InlineData("class: p\nmessages:\n  - name: a\n    id: [1]\n", "/messages/0/id")]
    [InlineData("class: p\nmessages:\n  - name: a\n    id: -1\n", "/messages/0/id")]
    [InlineData("class: p\nmessages:\n  - name: a\n    fields:\n      - name: x\n        bits: 65\n", "/messages/0/fields/0/bits")]
    [InlineData("class: p\nmessages:\n  - name: a\n    fields:\n      - name: x\n        length: all\n", "/messages/0/fields/0/length")]
    [InlineData("class: p\nmessages: {}\n", "/messages: {} is not of type array")]
    [InlineData("class: p\nenums:\n  - name: e\n    size: 3\n    values: [{ name: a, value: 1 }]\n", "/enums/0/size")]
    [InlineData("class: p\nframing: text-frames\nmessages:\n  - name: a\n    direction: sideways\n", "/messages/0/direction")]
    [InlineData("class: p\nmessages:\n  - name: a\n    sections:\n      - name: s\n        repeat: twice\n", "/messages/0/sections/0/repeat")]
    [InlineData("title: no class\n", "required property 'class' is missing")]
    public void Schema_rejects_a_mistake(string yaml, string expected)
    {
        var errors = Validate(yaml);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("number")]
    [InlineData("integer")]
    [InlineData("boolean")]
    [InlineData("octets")]
    [InlineData("string")]
    [InlineData("longstr")]
    [InlineData("strings")]
    [InlineData("hash")]
    [InlineData("dictionary")]
    [InlineData("chunk")]
    [InlineData("uuid")]
    [InlineData("frame")]
    [InlineData("msg")]
    [InlineData("list")]
    public void Every_type_the_schema_suggests_is_a_type_the_parser_knows(string type)
    {
        var suggested = s_schema.Resolve("#/$defs/typeName")["anyOf"]![0]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Contains(type, suggested);

        var result = Models.Yaml($"class: p\nmessages:\n  - name: a\n    fields:\n      - {{ name: x, type: {type}, size: 4, item: string }}\n");

        Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticDescriptors.UnknownType.Id);
    }

    [Fact]
    public void Schema_suggests_exactly_the_built_in_types()
    {
        var suggested = s_schema.Resolve("#/$defs/typeName")["anyOf"]![0]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        var tested = typeof(SchemaTests).GetMethod(nameof(Every_type_the_schema_suggests_is_a_type_the_parser_knows))!
            .GetCustomAttributes<InlineDataAttribute>().Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet();

        Assert.Equal(tested.OrderBy(t => t), suggested.OrderBy(t => t));
    }

    // The schema's keys per element must be the attributes the builder accepts, plus the YAML-only
    // keys (doc, include, and the plural keys that hold children). The builder's sets are private;
    // reading them by reflection keeps the two in step without making them public API.
    [Theory]
    [InlineData("field", "s_fieldAttributes", "doc,examples")]
    [InlineData("message", "s_messageAttributes", "doc,include,fields,sections")]
    [InlineData("section", "s_sectionAttributes", "doc,include,fields,sections")]
    [InlineData("define", "s_defineAttributes", "doc")]
    [InlineData("enumValue", "s_defineAttributes", "doc")]
    [InlineData("enum", "s_enumAttributes", "doc,include,values")]
    [InlineData("type", "s_typeAttributes", "doc,include,fields")]
    public void Schema_keys_of_an_element_are_the_attributes_the_parser_accepts(string definition, string builderSet, string yamlOnly)
    {
        var builder = typeof(ModelParser).Assembly.GetType("Zproto.Model.ModelBuilder", throwOnError: true)!;
        var accepted = (HashSet<string>)builder.GetField(builderSet, BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var keys = s_schema.Resolve("#/$defs/" + definition)["properties"]!.AsObject().Select(p => p.Key).ToHashSet();

        var expected = accepted.Concat(yamlOnly.Split(',')).ToHashSet();
        Assert.Equal(expected.OrderBy(k => k, StringComparer.Ordinal), keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void Schema_class_keys_are_the_honoured_class_attributes_children_and_zprotos_ignored_attributes()
    {
        var keys = s_schema.Root["properties"]!.AsObject().Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal);

        Assert.Equal(
            new[]
            {
                "class", "defines", "doc", "enums", "export_macro", "framing", "grammar", "header", "include", "license", "max_size",
                "messages", "namespace", "package_dir", "project_header", "pubsub", "script", "signature", "source_dir", "strings", "title",
                "types", "use_zmq_msg", "virtual",
            }.OrderBy(k => k, StringComparer.Ordinal),
            keys);
    }

    [Fact]
    public void A_model_that_uses_every_schema_key_parses_without_unknown_key_warnings()
    {
        const string yaml = """
            class: p
            title: Everything
            doc: The lot.
            grammar: P = a
            license: MPL-2.0
            signature: 1
            pubsub: false
            framing: frames
            namespace: My.Protocols
            strings: utf8
            script: zproto_codec_c
            defines:
              - { name: PORT, value: 1, doc: A port }
            enums:
              - name: colour
                size: 1
                doc: Colours
                values:
                  - { name: red, value: 1, doc: Red }
            types:
              - name: point
                doc: A point
                fields:
                  - { name: x, type: number, size: 4 }
            header:
              - { name: sequence, type: number, size: 2 }
            messages:
              - name: a
                id: 1
                doc: A message
                fields:
                  - { name: c, type: colour }
                  - { name: at, type: point }
                  - { name: names, type: list, item: string }
                  - { name: host, type: string, examples: [localhost], doc: Host }
                  - { name: v, type: number, size: 2, value: 3 }
                  - { name: tail, type: chunk, length: rest }
            """;
        Assert.Empty(Validate(yaml));

        var result = Models.Yaml(yaml);

        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Yaml_scalars_become_json_types_as_a_yaml_language_server_reads_them()
    {
        var json = SchemaValidator.YamlToJson("a: 1\nb: '1'\nc: true\nd: ~\ne: text\nf: -3\ng: 1.5\nh: [x, 2]\n")!.AsObject();

        Assert.Equal("""{"a":1,"b":"1","c":true,"d":null,"e":"text","f":-3,"g":1.5,"h":["x",2]}""", json.ToJsonString());
    }
}
