using System;
using System.Collections.Generic;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Model;

internal sealed partial class ModelBuilder
{
    private SectionSpec? ParseSection(ModelNode node, string message, bool nested)
    {
        CheckAttributes(node, s_sectionAttributes, "section");
        var name = Required(node, "name", "<section>");
        if (name is null)
            return null;
        var repeatAttribute = node.Attribute("repeat");
        SectionRepeat repeat;
        switch (repeatAttribute?.Value.Trim().ToLowerInvariant())
        {
            case null:
            case "single": repeat = SectionRepeat.Single; break;
            case "counted": repeat = SectionRepeat.Counted; break;
            case "repeated": repeat = SectionRepeat.Repeated; break;
            case "choice": repeat = SectionRepeat.Choice; break;
            default:
                Report(DiagnosticDescriptors.InvalidAttribute, repeatAttribute!, "section", name, "repeat must be single, counted, repeated or choice");
                return null;
        }
        if (nested && repeat != SectionRepeat.Single)
        {
            Report(DiagnosticDescriptors.BadSection, (IHasPosition?)repeatAttribute ?? node, $"section '{name}': an alternative of a choice is a single section");
            return null;
        }

        var tag = node.Value("tag")?.Trim() ?? "";
        var alias = node.Value("alias")?.Trim() ?? "";
        var fields = new List<ParsedField>();
        var choices = new List<SectionSpec>();
        foreach (var child in node.Children)
        {
            if (child.Name == "field" && repeat != SectionRepeat.Choice)
            {
                var field = ParseField(child, inHeader: false);
                if (field is not null)
                    fields.Add(field);
            }
            else if (child.Name == "section" && repeat == SectionRepeat.Choice)
            {
                var choice = ParseSection(child, message, nested: true);
                if (choice is not null)
                    choices.Add(choice);
            }
            else
            {
                Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
            }
        }
        CheckDuplicateFields($"section '{name}' of message '{message}'", fields);

        if (repeat == SectionRepeat.Choice)
        {
            if (tag.Length > 0 || alias.Length > 0)
                Report(DiagnosticDescriptors.BadSection, node, $"section '{name}': a choice has no tag of its own; its alternatives do");
            if (choices.Count < 2)
                Report(DiagnosticDescriptors.BadSection, node, $"section '{name}': a choice needs at least two alternatives");
        }
        else
        {
            if (tag.Length == 0)
                Report(DiagnosticDescriptors.MissingAttribute, node, $"section '{name}'", "tag");
            if (fields.Count == 0 && repeat != SectionRepeat.Single)
                Report(DiagnosticDescriptors.BadSection, node, $"section '{name}': a {repeat.ToString().ToLowerInvariant()} section needs at least one field");
        }
        var optional = IsTrue(node.Value("optional"));
        if (optional && repeat is SectionRepeat.Repeated or SectionRepeat.Choice)
            Report(DiagnosticDescriptors.BadSection, node.Attribute("optional")!, $"section '{name}': optional applies to single and counted sections (a repeated section may already occur zero times)");

        return new SectionSpec
        {
            Name = name,
            Tag = tag,
            Alias = alias,
            Repeat = repeat,
            Optional = optional,
            Doc = node.Text,
            Fields = fields.ConvertAll(f => f.Spec).ToEquatableArray(),
            Choices = choices.ToEquatableArray(),
        };
    }

    /// <summary>Every tag and alias in a message must be distinct, so that positional parsing never has to guess.</summary>
    private void CheckSectionTags(string message, ModelNode node, List<SectionSpec> sections)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string tag, string section)
        {
            if (tag.Length == 0)
                return;
            if (seen.TryGetValue(tag, out var other))
                Report(DiagnosticDescriptors.BadSection, node, $"message '{message}': tag '{tag}' of section '{section}' is already used by section '{other}'");
            else
                seen[tag] = section;
        }
        foreach (var s in sections)
        {
            Claim(s.Tag, s.Name);
            Claim(s.Alias, s.Name);
            foreach (var c in s.Choices)
            {
                Claim(c.Tag, c.Name);
                Claim(c.Alias, c.Name);
            }
        }
        if (sections.Count == 0)
            Report(DiagnosticDescriptors.BadSection, node, $"message '{message}' has no sections");
    }
}
