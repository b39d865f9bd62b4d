using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;
using Zproto.Model.Diagnostics;
using Zproto.Model.Tests.Support;

namespace Zproto.Model.Tests;

/// <summary>docs/diagnostics.md and docs/model-language.md stay in step with the code.</summary>
public class DocumentationTests
{
    private static readonly string s_diagnostics = File.ReadAllText(Path.Combine(Repository.Docs, "diagnostics.md"));
    private static readonly string s_language = File.ReadAllText(Path.Combine(Repository.Docs, "model-language.md"));

    /// <summary>Every descriptor the model library declares, in any class (ZP3xxx live with the state machines).</summary>
    private static List<DiagnosticDescriptor> Declared() =>
        typeof(ModelParser).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();

    /// <summary>The <c>## zp2001</c> sections of diagnostics.md: id to section text.</summary>
    private static Dictionary<string, string> Sections()
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = Regex.Matches(s_diagnostics, @"^## (zp\d{4})\s*$", RegexOptions.Multiline);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : s_diagnostics.Length;
            Assert.True(sections.TryAdd(matches[i].Groups[1].Value, s_diagnostics.Substring(start, end - start)), $"{matches[i].Groups[1].Value} has two sections");
        }
        return sections;
    }

    [Fact]
    public void Every_declared_diagnostic_id_has_a_section_in_diagnostics_md_and_every_section_is_declared()
    {
        var declared = Declared().Select(d => d.Id.ToLowerInvariant()).OrderBy(i => i, StringComparer.Ordinal);
        var documented = Sections().Keys.OrderBy(i => i, StringComparer.Ordinal);

        Assert.Equal(declared, documented);
    }

    [Fact]
    public void Every_descriptor_list_in_diagnostics_md_includes_all_of_DiagnosticDescriptors()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id.ToLowerInvariant()).ToHashSet();
        var inClass = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id.ToLowerInvariant());

        Assert.All(inClass, id => Assert.Contains(id, ids));
        Assert.All(ids, id => Assert.Contains(id, Sections().Keys));
    }

    [Fact]
    public void Every_section_states_the_descriptors_title_and_severity()
    {
        var sections = Sections();
        foreach (var d in Declared())
        {
            var text = sections[d.Id.ToLowerInvariant()];
            Assert.Contains($"**{d.Title}** · Severity: {d.Severity}", text);
            Assert.Contains("**Fix:**", text);
        }
    }

    [Fact]
    public void Sections_are_in_id_order()
    {
        var ids = Sections().Keys.ToList();

        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), ids);
    }

    [Fact]
    public void The_generators_help_link_anchor_is_the_lower_case_id()
    {
        // ZprotoGenerator links each diagnostic to docs/diagnostics.md#zpNNNN; a "## zp2001"
        // heading is what makes GitHub produce exactly that anchor.
        Assert.All(Sections().Keys, id => Assert.Equal(id, Slug(id)));
    }

    [Theory]
    [InlineData("diagnostics.md")]
    [InlineData("model-language.md")]
    public void Headings_make_unique_anchors_and_every_link_between_the_pages_resolves(string page)
    {
        var text = page == "diagnostics.md" ? s_diagnostics : s_language;
        var anchors = new Dictionary<string, HashSet<string>>
        {
            ["diagnostics.md"] = Anchors(s_diagnostics),
            ["model-language.md"] = Anchors(s_language),
        };

        foreach (Match link in Regex.Matches(WithoutCode(text), @"\]\(((?:diagnostics|model-language)\.md)?#([^)]+)\)"))
        {
            var target = link.Groups[1].Success ? link.Groups[1].Value : page;
            Assert.True(anchors[target].Contains(link.Groups[2].Value), $"{page}: link {link.Value} has no heading");
        }
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
    public void Model_language_documents_every_built_in_type_in_the_field_types_table(string type)
    {
        var table = s_language.Substring(s_language.IndexOf("## Field types", StringComparison.Ordinal));
        table = table.Substring(0, table.IndexOf("\n## ", 3, StringComparison.Ordinal));

        Assert.Matches(new Regex($@"^\| [^|]*`{type}`", RegexOptions.Multiline), table);
    }

    public static TheoryData<string, string> ModelSnippets()
    {
        var data = new TheoryData<string, string>();
        var i = 0;
        foreach (Match block in Regex.Matches(s_language, "```(xml|yaml)\n(.*?)```", RegexOptions.Singleline))
        {
            var code = block.Groups[2].Value;
            // A whole model is a <class> element with its end tag, or a YAML class with messages;
            // other snippets are excerpts.
            var whole = block.Groups[1].Value == "xml"
                ? code.TrimStart().StartsWith("<class", StringComparison.Ordinal) && code.Contains("</class>", StringComparison.Ordinal)
                : Regex.IsMatch(code, "^class:", RegexOptions.Multiline) && Regex.IsMatch(code, "^messages:", RegexOptions.Multiline);
            if (whole)
                data.Add($"snippet{i++}.{block.Groups[1].Value}", code);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelSnippets))]
    public void Every_whole_model_in_model_language_md_parses_without_diagnostics(string name, string code)
    {
        var result = Models.Parse(code, name);

        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Model_language_md_has_whole_models_in_both_forms()
    {
        var names = ModelSnippets().Select(row => (string)row[0]).ToList();

        Assert.Contains(names, n => n.EndsWith(".xml", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith(".yaml", StringComparison.Ordinal));
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped, spaces to '-', repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Regex.Matches(WithoutCode(markdown), @"^#{1,6} (.+?)\s*$", RegexOptions.Multiline))
        {
            var slug = Slug(heading.Groups[1].Value);
            Assert.True(anchors.Add(slug), $"two headings make the anchor #{slug}");
        }
        return anchors;
    }

    // Fenced code blocks hold YAML comments and snippets that look like headings; they are not.
    private static string WithoutCode(string markdown) => Regex.Replace(markdown, "```.*?```", "", RegexOptions.Singleline);

    private static string Slug(string heading)
    {
        var text = heading.Replace("`", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
        text = Regex.Replace(text, @"[^\p{L}\p{Nd} _-]", "");
        return text.Replace(' ', '-');
    }
}
