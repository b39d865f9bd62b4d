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
    };

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
                    node.Text = DocText.Normalize(scalar.Value ?? "");
                    break;
                case YamlScalarNode scalar:
                    // "class: zpipes_msg" is the YAML spelling of <class name="zpipes_msg">.
                    var name = key == "class" && node.Name == "class" ? "name" : key;
                    node.Attributes.Add(new ModelAttribute(name, scalar.Value ?? "", file, Line(scalar.Start), Column(scalar.Start)));
                    break;
                case YamlSequenceNode list when key == "header":
                    var header = new ModelNode("header", file, Line(list.Start), Column(list.Start));
                    AddItems(header, "field", list, file, resolver, diagnostics, includeStack);
                    node.Children.Add(header);
                    break;
                case YamlSequenceNode list when s_listElements.TryGetValue(key, out var element):
                    AddItems(node, element, list, file, resolver, diagnostics, includeStack);
                    break;
                case YamlMappingNode map when key == "grammar" || key == "license":
                    diagnostics.Add(XmlModelReader.Diag(DiagnosticDescriptors.MalformedYaml, file, Line(map.Start), Column(map.Start), $"'{key}' takes a text value"));
                    break;
                default:
                    // Unknown list keys become unknown elements so the builder reports them where they are.
                    var unknown = new ModelNode(key, file, Line(value.Start), Column(value.Start));
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
                    // A bare scalar in a list is the item's text: examples: [123, "abc"].
                    child.Text = scalar.Value ?? "";
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
        var names = value switch
        {
            YamlScalarNode s => new List<YamlScalarNode> { s },
            YamlSequenceNode seq => seq.Children.OfType(),
            _ => new List<YamlScalarNode>(),
        };
        foreach (var name in names)
        {
            var path = ModelPaths.Resolve(file, name.Value ?? "");
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

    private static List<YamlScalarNode> OfType(this IList<YamlNode> nodes)
    {
        var result = new List<YamlScalarNode>();
        foreach (var n in nodes)
        {
            if (n is YamlScalarNode s)
                result.Add(s);
        }
        return result;
    }

    // YamlDotNet marks are 1-based; guard against the 0 of an empty document.
    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    private static int Column(Mark mark) => (int)Math.Max(1, mark.Column);
}
