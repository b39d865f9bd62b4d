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
        CheckDuplicateFields($"section '{name}' of message '{message}'", fields, reportFrom: 0);

        if (repeat == SectionRepeat.Choice)
        {
            if (tag.Length > 0 || alias.Length > 0)
                Report(DiagnosticDescriptors.BadSection, At(node, tag.Length > 0 ? "tag" : "alias"), $"section '{name}': a choice has no tag of its own; its alternatives do");
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

    /// <summary>
    /// A text-frame message becomes a record with one property per section, plus nested records:
    /// <c>{Section}Item</c> for a section of several fields, <c>{Section}Choice</c> and one record per
    /// alternative for a choice. All of these names must be distinct C# identifiers.
    /// </summary>
    private void CheckSectionNames(string message, List<ModelNode> sections)
    {
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        var scope = $"in message '{message}'";
        foreach (var s in sections)
        {
            var name = s.Value("name")?.Trim() ?? "";
            if (name.Length == 0)
                continue;
            var at = At(s, "name");
            var identifier = Naming.Pascal(name);
            if (s_reservedMemberNames.Contains(identifier))
            {
                Report(DiagnosticDescriptors.NameClash, at, $"section '{name}' {scope} would become '{identifier}', which every generated record already has; rename it");
                continue;
            }
            if (!ClaimIdentifier(taken, name, $"section '{name}'", at, scope))
                continue;
            if (s.Value("repeat")?.Trim().Equals("choice", StringComparison.OrdinalIgnoreCase) == true)
            {
                ClaimIdentifier(taken, name + " choice", $"the choice type of section '{name}'", at, scope);
                foreach (var c in s.Children)
                {
                    if (c.Name == "section" && c.Value("name")?.Trim() is { Length: > 0 } alternative)
                        ClaimIdentifier(taken, alternative, $"alternative '{alternative}'", At(c, "name"), scope);
                }
            }
            else if (s.Children.FindAll(c => c.Name == "field").Count > 1)
            {
                ClaimIdentifier(taken, name + " item", $"the item type of section '{name}'", at, scope);
            }
        }
    }

    /// <summary>Every tag and alias in a message must be distinct, so that positional parsing never has to guess.</summary>
    private void CheckSectionTags(string message, ModelNode node, List<ModelNode> sections)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(ModelNode section, string attribute)
        {
            var at = section.Attribute(attribute);
            var tag = at?.Value.Trim() ?? "";
            if (at is null || tag.Length == 0)
                return;
            var name = section.Value("name")?.Trim() ?? "";
            if (seen.TryGetValue(tag, out var other))
                Report(DiagnosticDescriptors.BadSection, at, $"message '{message}': {attribute} '{tag}' of section '{name}' is already used by section '{other}'");
            else
                seen[tag] = name;
        }
        foreach (var s in sections)
        {
            if (s.Value("repeat")?.Trim().Equals("choice", StringComparison.OrdinalIgnoreCase) == true)
            {
                // A choice has no tag of its own (ZP2019 if it has one); its alternatives do.
                foreach (var c in s.Children)
                {
                    if (c.Name != "section")
                        continue;
                    Claim(c, "tag");
                    Claim(c, "alias");
                }
                continue;
            }
            Claim(s, "tag");
            Claim(s, "alias");
        }
        if (sections.Count == 0)
            Report(DiagnosticDescriptors.BadSection, node, $"message '{message}' has no sections");
    }
}
