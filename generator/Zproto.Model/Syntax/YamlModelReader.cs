using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Zproto.Model.Diagnostics;

namespace Zproto.Model.Syntax;

/// <summary>
/// Reads the YAML form of a model into the same <see cref="ModelNode"/> tree as the XML form.
/// Rules: a mapping is an element; scalar entries are attributes (<c>doc</c> is the text); a list
/// under a plural key is a run of child elements (<c>messages</c> → <c>message</c>, <c>fields</c> →
/// <c>field</c>, ...); <c>header</c> is a list of fields; <c>include</c> lists YAML files whose
/// entries merge into the including mapping. docs/model-language.md gives the full grammar and
/// docs/zproto-model.schema.json checks it in editors.
/// </summary>
public static class YamlModelReader
{
    // Plural keys whose list items become child elements of the given name.
    private static readonly Dictionary<string, string> s_listElements = new(StringComparer.OrdinalIgnoreCase)
    {
        ["messages"] = "message",
        ["fields"] = "field",
        ["defines"] = "define",
        ["types"] = "type",
        ["enums"] = "enum",
        ["values"] = "value",
        ["sections"] = "section",
        ["examples"] = "test",
        // State-machine models (servers and clients).
        ["states"] = "state",
        ["events"] = "event",
        ["actions"] = "action",
        ["methods"] = "method",
        ["replies"] = "reply",
        ["accepts"] = "accept",
    };

    // Keys whose text value becomes a child element with that text, as in XML.
    private static readonly HashSet<string> s_textElements = new(StringComparer.Ordinal) { "grammar", "license" };

    /// <summary>Reads <paramref name="source"/>; problems are added to <paramref name="diagnostics"/>.</summary>
    public static ModelNode? Read(ModelSource source, IModelFileResolver resolver, List<ModelDiagnostic> diagnostics)
    {
        var root = Load(source.Path, source.Text, diagnostics);
        if (root is null)
            return null;
        var node = new ModelNode("class", source.Path, Line(root.Start), Column(root.Start));
        var stack = new List<string> { ModelPaths.Normalize(source.Path) };
        Fill(node, root, source.Path, resolver, diagnostics, stack);
        return node;
    }

    private static YamlMappingNode? Load(string path, string text, List<ModelDiagnostic> diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.MalformedYaml, path, Line(e.Start), Column(e.Start), e.InnerException?.Message ?? e.Message));
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.MalformedYaml, path, 1, 1, "the document must be a mapping (class: ..., messages: [...])"));
            return null;
        }
        return mapping;
    }

    private static void Fill(ModelNode node, YamlMappingNode mapping, string file, IModelFileResolver resolver, List<ModelDiagnostic> diagnostics, List<string> includeStack)
    {
        foreach (var entry in mapping.Children)
        {
            var key = ((entry.Key as YamlScalarNode)?.Value ?? "").ToLowerInvariant();
            var value = entry.Value;
            if (key == "include")
            {
                Include(node, value, file, resolver, diagnostics, includeStack);
                continue;
            }
            switch (value)
            {
                case YamlScalarNode scalar when key == "doc":
                    node.Text = DocText.Normalize(ScalarText(scalar));
                    break;
                case YamlScalarNode scalar when s_textElements.Contains(key):
                    // "grammar: |" is the YAML spelling of <grammar>...</grammar>: an element with text.
                    node.Children.Add(new ModelNode(key, file, Line(entry.Key.Start), Column(entry.Key.Start)) { Text = DocText.Normalize(ScalarText(scalar)) });
                    break;
                case YamlScalarNode scalar when key == "header" || s_listElements.ContainsKey(key):
                    // "fields:" with nothing after it is an empty list; anything else is a shape error.
                    if (ScalarText(scalar).Length > 0)
                        diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.MalformedYaml, file, Line(scalar.Start), Column(scalar.Start), $"'{key}' takes a list"));
                    break;
                case YamlScalarNode scalar:
                    // "class: zpipes_msg" is the YAML spelling of <class name="zpipes_msg">.
                    var name = key == "class" && node.Name == "class" ? "name" : key;
                    node.Attributes.Add(new ModelAttribute(name, ScalarText(scalar), file, Line(scalar.Start), Column(scalar.Start)));
                    break;
                case YamlSequenceNode list when key == "header":
                    var header = new ModelNode("header", file, Line(list.Start), Column(list.Start));
                    AddItems(header, "field", list, file, resolver, diagnostics, includeStack);
                    node.Children.Add(header);
                    break;
                case YamlSequenceNode list when key is "before" or "after":
                    // A state's before/after lists hold actions, as <before><action/></before> does.
                    var wrapper = new ModelNode(key, file, Line(list.Start), Column(list.Start));
                    AddItems(wrapper, "action", list, file, resolver, diagnostics, includeStack);
                    node.Children.Add(wrapper);
                    break;
                case YamlSequenceNode list when s_listElements.TryGetValue(key, out var element):
                    AddItems(node, element, list, file, resolver, diagnostics, includeStack);
                    break;
                case YamlMappingNode when key == "header" || s_listElements.ContainsKey(key):
                    diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.MalformedYaml, file, Line(value.Start), Column(value.Start), $"'{key}' takes a list"));
                    break;
                case not YamlScalarNode when key == "doc" || s_textElements.Contains(key):
                    diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.MalformedYaml, file, Line(value.Start), Column(value.Start), $"'{key}' takes a text value"));
                    break;
                default:
                    // Unknown list keys become unknown elements so the builder reports them at their key.
                    var unknown = new ModelNode(key, file, Line(entry.Key.Start), Column(entry.Key.Start));
                    node.Children.Add(unknown);
                    break;
            }
        }
    }

    private static void AddItems(ModelNode parent, string element, YamlSequenceNode list, string file, IModelFileResolver resolver, List<ModelDiagnostic> diagnostics, List<string> includeStack)
    {
        foreach (var item in list.Children)
        {
            var child = new ModelNode(element, file, Line(item.Start), Column(item.Start));
            switch (item)
            {
                case YamlMappingNode map:
                    Fill(child, map, file, resolver, diagnostics, includeStack);
                    break;
                case YamlScalarNode scalar:
                    // A bare scalar in a list is the item's text: examples: [123, "abc"], normalised
                    // as the text of an XML element is.
                    child.Text = DocText.Normalize(ScalarText(scalar));
                    break;
                default:
                    diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.MalformedYaml, file, Line(item.Start), Column(item.Start), $"a {element} must be a mapping"));
                    continue;
            }
            parent.Children.Add(child);
        }
    }

    private static void Include(ModelNode node, YamlNode value, string file, IModelFileResolver resolver, List<ModelDiagnostic> diagnostics, List<string> includeStack)
    {
        var names = new List<YamlScalarNode>();
        var items = value is YamlSequenceNode seq ? seq.Children : new List<YamlNode> { value };
        foreach (var item in items)
        {
            if (item is YamlScalarNode s)
                names.Add(s);
            else
                diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.MalformedYaml, file, Line(item.Start), Column(item.Start), "'include' takes a file name or a list of file names"));
        }
        foreach (var name in names)
        {
            var path = ModelPaths.Resolve(file, ScalarText(name));
            if (includeStack.Contains(path))
            {
                diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.IncludeCycle, file, Line(name.Start), Column(name.Start), name.Value ?? ""));
                continue;
            }
            var text = resolver.TryRead(path);
            if (text is null)
            {
                diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.IncludeNotFound, file, Line(name.Start), Column(name.Start), name.Value ?? "", path));
                continue;
            }
            var mapping = Load(path, text, diagnostics);
            if (mapping is null)
                continue;
            includeStack.Add(path);
            Fill(node, mapping, path, resolver, diagnostics, includeStack);
            includeStack.RemoveAt(includeStack.Count - 1);
        }
    }

    // A plain ~ or null is YAML's null: an empty value, as an omitted attribute's text would be.
    private static string ScalarText(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && (scalar.Value is null or "~" or "null" or "Null" or "NULL") ? "" : scalar.Value ?? "";

    // YamlDotNet marks are 1-based (a test proves it); guard against the 0 of an empty document.
    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    private static int Column(Mark mark) => (int)Math.Max(1, mark.Column);
}
