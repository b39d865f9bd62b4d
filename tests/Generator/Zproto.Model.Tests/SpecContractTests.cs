using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;
using Binder = Zproto.CodeGen.Binding.Binder;
using Zproto.CodeGen.Views;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;
using Zproto.Model.Tests.Support;

namespace Zproto.Model.Tests;

/// <summary>
/// The caching contract of specs and views: structurally equal, unchanged by edits that do not
/// change meaning, and holding nothing (syntax, positions, mutable collections) that would make an
/// equal model compare unequal or keep source text alive.
/// </summary>
public class SpecContractTests
{
    public static TheoryData<string> CodecModels()
    {
        var data = new TheoryData<string>();
        foreach (var name in Models.All)
        {
            if (Models.ParseRepositoryModel(name).Spec is not null)
                data.Add(name);
        }
        return data;
    }

    private static string ModelText(string fileName) => File.ReadAllText(Path.Combine(Repository.Models, fileName));

    private static ProtocolSpec ParseText(string fileName, string text)
    {
        var result = ModelParser.Parse(new ModelSource(Path.Combine(Repository.Models, fileName), text), DiskFiles.Instance);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    [Theory]
    [MemberData(nameof(CodecModels))]
    public void Parsing_the_same_text_twice_gives_equal_specs_with_equal_hash_codes(string fileName)
    {
        var first = ParseText(fileName, ModelText(fileName));
        var second = ParseText(fileName, ModelText(fileName));

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(CodecModels))]
    public void Binding_the_same_spec_twice_gives_equal_views_with_equal_hash_codes(string fileName)
    {
        var spec = ParseText(fileName, ModelText(fileName));

        var first = Binder.Bind(spec, "Ns");
        var second = Binder.Bind(ParseText(fileName, ModelText(fileName)), "Ns");

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Theory]
    [InlineData("zpipes_msg.xml")]
    [InlineData("zproto_example.xml")]
    [InlineData("vtx_nom1.xml")]
    public void Comment_only_edit_of_an_xml_model_gives_an_equal_spec(string fileName)
    {
        var text = ModelText(fileName);
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        // A comment line after every line: between elements, inside documentation paragraphs, in the grammar.
        // (Not inside a start tag: attribute lines hold '='; so do grammar lines, which are left alone.)
        var edited = new List<string>();
        foreach (var line in lines)
        {
            edited.Add(line);
            if (line.TrimEnd().EndsWith(">", StringComparison.Ordinal) || !(line.Contains('<') || line.Contains('=')))
                edited.Add("    <!-- a comment -->");
        }
        Assert.NotEqual(text, string.Join("\n", edited));

        var original = ParseText(fileName, text);
        var edit = ParseText(fileName, string.Join("\n", edited));

        Assert.Equal(original, edit);
        Assert.Equal(original.GetHashCode(), edit.GetHashCode());
    }

    [Fact]
    public void Comment_at_the_end_of_a_documentation_line_does_not_change_the_spec()
    {
        const string plain = """
            <class name = "p">Line one.
            Line two.<message name = "a" /></class>
            """;
        const string commented = """
            <class name = "p">Line one. <!-- why -->
            Line two.<message name = "a" /></class>
            """;

        Assert.Equal(Models.Clean(plain), Models.Clean(commented));
    }

    [Fact]
    public void Comment_only_edit_of_a_yaml_model_gives_an_equal_spec()
    {
        var text = ModelText("remctl_msg.yaml");
        var edited = Regex.Replace(text, @"^(\s*)(- name: .*)$", "$1# a comment\n$1$2  # trailing comment", RegexOptions.Multiline);
        Assert.NotEqual(text, edited);

        Assert.Equal(ParseText("remctl_msg.yaml", text), ParseText("remctl_msg.yaml", edited));
    }

    [Theory]
    [InlineData("zpipes_msg.xml")]
    [InlineData("zccp_msg.xml")]
    [InlineData("vtx_nom1.xml")]
    public void Whitespace_only_edit_of_an_xml_model_gives_an_equal_spec(string fileName)
    {
        var text = ModelText(fileName);
        // Re-indent and pad every line, use CRLF, add a blank line after every tag that ends a line,
        // and tighten the attributes. (A blank line inside a paragraph would be a paragraph break:
        // documentation keeps those, so that is not a whitespace-only edit.)
        var lines = text.Replace("\r\n", "\n").Split('\n')
            .Select(l => "\t  " + l + "   " + (l.TrimEnd().EndsWith(">", StringComparison.Ordinal) ? "\r\n" : ""));
        var edited = Regex.Replace(string.Join("\r\n", lines), @"(\w) = """, "$1=\"");
        Assert.NotEqual(text, edited);

        var original = ParseText(fileName, text);
        var edit = ParseText(fileName, edited);

        Assert.Equal(original, edit);
        Assert.Equal(original.GetHashCode(), edit.GetHashCode());
    }

    [Fact]
    public void Whitespace_only_edit_of_a_yaml_model_gives_an_equal_spec()
    {
        var text = ModelText("remctl_msg.yaml");
        // Indent the whole document, pad every line, and space out the list items. (Blank lines
        // inside a block scalar would be content, so they go only before "- name:" items.)
        var edited = string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : "  " + l + "   "));
        edited = Regex.Replace(edited, @"^(\s*- name:)", "\n$1", RegexOptions.Multiline);

        Assert.Equal(ParseText("remctl_msg.yaml", text), ParseText("remctl_msg.yaml", edited));
    }

    [Fact]
    public void A_real_edit_gives_an_unequal_spec()
    {
        var text = ModelText("zpipes_msg.xml");

        var original = ParseText("zpipes_msg.xml", text);
        var docEdit = ParseText("zpipes_msg.xml", text.Replace("Name of pipe", "Name of the pipe", StringComparison.Ordinal));
        var sizeEdit = ParseText("zpipes_msg.xml", text.Replace("size = \"4\">Number", "size = \"8\">Number", StringComparison.Ordinal));

        Assert.NotEqual(original, docEdit);
        Assert.NotEqual(original, sizeEdit);
    }

    [Fact]
    public void Specs_are_equal_across_model_files_except_for_the_file_name()
    {
        var text = ModelText("zpipes_msg.xml");
        var a = ModelParser.Parse(new ModelSource("a/zpipes_msg.xml", text), DiskFiles.Instance).Spec!;
        var b = ModelParser.Parse(new ModelSource("b/zpipes_msg.xml", text), DiskFiles.Instance).Spec!;

        // FileName has no directory, so moving a model does not change its spec.
        Assert.Equal(a, b);
    }

    [Fact]
    public void ProtocolSpec_reaches_no_syntax_position_or_mutable_collection_type()
    {
        Assert.Empty(ContractWalker.Violations(typeof(ProtocolSpec)));
    }

    [Fact]
    public void ProtocolView_reaches_no_syntax_position_or_mutable_collection_type()
    {
        Assert.Empty(ContractWalker.Violations(typeof(ProtocolView)));
    }

    [Fact]
    public void ParseResult_diagnostics_are_an_equatable_array_of_records()
    {
        Assert.Empty(ContractWalker.Violations(typeof(Zproto.Model.Diagnostics.ModelDiagnostic)));
        Assert.Equal(typeof(EquatableArray<Zproto.Model.Diagnostics.ModelDiagnostic>), typeof(ParseResult).GetProperty(nameof(ParseResult.Diagnostics))!.PropertyType);
    }

    [Theory]
    [MemberData(nameof(CodecModels))]
    public void Every_view_bound_from_a_repository_model_holds_only_contract_types(string fileName)
    {
        // The walk is over declared types; this checks the values too, so that nothing hides behind a base type.
        var view = Binder.Bind(ParseText(fileName, ModelText(fileName)), "Ns");

        Assert.Empty(ContractWalker.ValueViolations(view));
        Assert.Empty(ContractWalker.ValueViolations(ParseText(fileName, ModelText(fileName))));
    }

    // The walker must be able to fail, or the tests above prove nothing.

    private sealed record HoldsNode(ModelNode Node);

    private sealed record HoldsArray(int[] Items);

    private sealed record HoldsList(List<string> Items);

    private sealed record HoldsObject(object Anything);

    private sealed record HoldsImmutable(System.Collections.Immutable.ImmutableArray<string> Items);

    private sealed record Nested(EquatableArray<HoldsLocation> Items);

    private sealed record HoldsLocation(MyLocation Where);

    private sealed record MyLocation(int Line);

    [Theory]
    [InlineData(typeof(HoldsNode), "ModelNode")]
    [InlineData(typeof(HoldsArray), "Int32[]")]
    [InlineData(typeof(HoldsList), "List`1")]
    [InlineData(typeof(HoldsObject), "Object")]
    [InlineData(typeof(HoldsImmutable), "ImmutableArray`1")]
    [InlineData(typeof(Nested), "HoldsLocation")]
    public void Contract_walker_finds_forbidden_member_types(Type type, string culprit)
    {
        var violations = ContractWalker.Violations(type);

        Assert.Contains(violations, v => v.Contains(culprit, StringComparison.Ordinal));
    }

    /// <summary>Walks every member type reachable from a root type (fields and properties, public or not).</summary>
    private static class ContractWalker
    {
        private static readonly string[] s_forbiddenNameParts = ["Syntax", "Symbol", "Location"];

        public static List<string> Violations(Type root)
        {
            var violations = new List<string>();
            var seen = new HashSet<Type>();
            var queue = new Queue<(Type Type, string Path)>();
            queue.Enqueue((root, root.Name));
            while (queue.Count > 0)
            {
                var (type, path) = queue.Dequeue();
                type = Nullable.GetUnderlyingType(type) ?? type;
                if (!seen.Add(type))
                    continue;
                var problem = Check(type);
                if (problem is not null)
                {
                    violations.Add($"{path}: {type.FullName ?? type.Name} {problem}");
                    continue;
                }
                if (IsLeaf(type))
                    continue;
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
                {
                    queue.Enqueue((type.GetGenericArguments()[0], path + "[]"));
                    continue;
                }
                foreach (var (memberType, name) in Members(type))
                    queue.Enqueue((memberType, path + "." + name));
            }
            return violations;
        }

        public static List<string> ValueViolations(object root)
        {
            var violations = new List<string>();
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            void Visit(object? value, string path)
            {
                if (value is null || IsLeaf(value.GetType()) || (!value.GetType().IsValueType && !seen.Add(value)))
                    return;
                var type = value.GetType();
                var problem = Check(type);
                if (problem is not null)
                {
                    violations.Add($"{path}: {type.FullName} {problem}");
                    return;
                }
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
                {
                    var i = 0;
                    foreach (var item in (IEnumerable)value)
                        Visit(item, $"{path}[{i++}]");
                    return;
                }
                foreach (var field in AllFields(type))
                    Visit(field.GetValue(value), path + "." + field.Name);
            }
            Visit(root, root.GetType().Name);
            return violations;
        }

        private static bool IsLeaf(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal);

        private static string? Check(Type type)
        {
            // A generic type's own name only: its arguments are checked on their own.
            var name = (type.IsGenericType ? type.GetGenericTypeDefinition() : type).FullName ?? type.Name;
            if (typeof(ModelNode).IsAssignableFrom(type) || typeof(ModelAttribute).IsAssignableFrom(type) || typeof(IHasPosition).IsAssignableFrom(type))
                return "is a syntax node";
            if (typeof(System.Xml.Linq.XObject).IsAssignableFrom(type) || typeof(YamlDotNet.RepresentationModel.YamlNode).IsAssignableFrom(type))
                return "is an XML or YAML node";
            foreach (var part in s_forbiddenNameParts)
            {
                if (name.Contains(part, StringComparison.Ordinal))
                    return $"has '{part}' in its name";
            }
            if (IsLeaf(type))
                return null;
            if (type.IsArray)
                return "is an array (compares by reference)";
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
                return null;
            if (typeof(IEnumerable).IsAssignableFrom(type))
                return "is a collection other than EquatableArray";
            if (type == typeof(object) || type.IsInterface || type.IsAbstract || type.IsPointer || typeof(Delegate).IsAssignableFrom(type))
                return "can hold anything";
            if (type.Namespace is null || !type.Namespace.StartsWith("Zproto.", StringComparison.Ordinal))
                return "is not a spec or view type";
            if (!type.IsValueType && !(type.IsSealed && type.GetMethod("<Clone>$") is not null))
                return "is not a sealed record";
            return null;
        }

        private static IEnumerable<FieldInfo> AllFields(Type type)
        {
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    yield return f;
            }
        }

        private static IEnumerable<(Type Type, string Name)> Members(Type type)
        {
            foreach (var f in AllFields(type))
                yield return (f.FieldType, f.Name);
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var p in t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    // Records' compiler-made EqualityContract is the runtime Type, not data.
                    if (p.Name == "EqualityContract" || p.GetIndexParameters().Length > 0)
                        continue;
                    yield return (p.PropertyType, p.Name);
                }
            }
        }
    }
}
