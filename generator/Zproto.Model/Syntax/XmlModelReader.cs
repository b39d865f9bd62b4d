using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Zproto.Model.Diagnostics;

namespace Zproto.Model.Syntax;

/// <summary>
/// Reads zproto's XML model format, unchanged and with what GSL tolerates (see <see cref="GslXml"/>), into a <see cref="ModelNode"/> tree: elements,
/// attributes with positions, free text as documentation, and <c>&lt;include filename&gt;</c>
/// spliced in place (the included file's elements, resolved relative to the including file).
/// </summary>
public static class XmlModelReader
{
    /// <summary>Reads <paramref name="source"/>; problems are added to <paramref name="diagnostics"/>.</summary>
    public static ModelNode? Read(ModelSource source, IModelFileResolver resolver, List<ModelDiagnostic> diagnostics)
    {
        XElement root;
        var gsl = GslXml.Rewrite(source.Text);
        try
        {
            var doc = XDocument.Parse(gsl.Text, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
            root = doc.Root!;
        }
        catch (XmlException e)
        {
            var (line, column) = gsl.Map(Math.Max(1, e.LineNumber), Math.Max(1, e.LinePosition));
            diagnostics.Add(Diag(DiagnosticDescriptors.MalformedXml, source.Path, line, column, StripPosition(e.Message)));
            return null;
        }
        var stack = new List<string> { ModelPaths.Normalize(source.Path) };
        return Convert(root, source.Path, gsl, resolver, diagnostics, stack);
    }

    private static ModelNode Convert(XElement element, string file, GslXml map, IModelFileResolver resolver, List<ModelDiagnostic> diagnostics, List<string> includeStack)
    {
        var (line, column) = Position(element, map);
        var node = new ModelNode(element.Name.LocalName.ToLowerInvariant(), file, line, column);
        foreach (var attribute in element.Attributes())
        {
            var (al, ac) = Position(attribute, map);
            node.Attributes.Add(new ModelAttribute(attribute.Name.LocalName.ToLowerInvariant(), attribute.Value, file, al, ac));
        }
        var text = new StringBuilder();
        foreach (var child in element.Nodes())
        {
            switch (child)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XComment or XProcessingInstruction:
                    text.Append(CommentMark);
                    break;
                case XElement e when e.Name.LocalName.Equals("include", StringComparison.OrdinalIgnoreCase):
                    Include(e, node, file, map, resolver, diagnostics, includeStack);
                    break;
                case XElement e:
                    node.Children.Add(Convert(e, file, map, resolver, diagnostics, includeStack));
                    break;
            }
        }
        node.Text = DocText.Normalize(WithoutComments(text.ToString()));
        return node;
    }

    // Stands where a comment was, so that a line holding only a comment can be dropped whole:
    // adding or removing such a line must not change the documentation (nor the spec).
    private const char CommentMark = '\u0001';

    private static string WithoutComments(string text)
    {
        if (text.IndexOf(CommentMark) < 0)
            return text;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var kept = new List<string>(lines.Length);
        foreach (var line in lines)
        {
            var bare = line.Replace(CommentMark.ToString(), "");
            if (bare.Trim().Length > 0 || line.Trim().Length == 0)
                kept.Add(bare);
        }
        return string.Join("\n", kept);
    }

    private static void Include(XElement include, ModelNode parent, string file, GslXml map, IModelFileResolver resolver, List<ModelDiagnostic> diagnostics, List<string> includeStack)
    {
        var (line, column) = Position(include, map);
        var nameAttribute = include.Attribute("filename");
        if (nameAttribute is null)
        {
            diagnostics.Add(Diag(DiagnosticDescriptors.MissingAttribute, file, line, column, "<include>", "filename"));
            return;
        }
        var (al, ac) = Position(nameAttribute, map);
        var path = ModelPaths.Resolve(file, nameAttribute.Value);
        if (includeStack.Contains(path))
        {
            diagnostics.Add(Diag(DiagnosticDescriptors.IncludeCycle, file, al, ac, nameAttribute.Value));
            return;
        }
        var text = resolver.TryRead(path);
        if (text is null)
        {
            diagnostics.Add(Diag(DiagnosticDescriptors.IncludeNotFound, file, al, ac, nameAttribute.Value, path));
            return;
        }
        // An included file is a fragment: any number of top-level elements (zproto's license.xml has one).
        var settings = new XmlReaderSettings { ConformanceLevel = ConformanceLevel.Fragment, DtdProcessing = DtdProcessing.Prohibit };
        includeStack.Add(path);
        var fragment = GslXml.Rewrite(text);
        try
        {
            using var reader = XmlReader.Create(new StringReader(fragment.Text), settings);
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    // XElement.Load insists on reaching the end of its reader, so each top-level
                    // element is loaded through a subtree reader (which keeps line information).
                    XElement element;
                    using (var subtree = reader.ReadSubtree())
                    {
                        subtree.MoveToContent();
                        element = XElement.Load(subtree, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
                    }
                    // A fragment's own top-level <include> splices into the same parent.
                    if (element.Name.LocalName.Equals("include", StringComparison.OrdinalIgnoreCase))
                        Include(element, parent, path, fragment, resolver, diagnostics, includeStack);
                    else
                        parent.Children.Add(Convert(element, path, fragment, resolver, diagnostics, includeStack));
                }
                reader.Read();
            }
        }
        catch (XmlException e)
        {
            var (errorLine, errorColumn) = fragment.Map(Math.Max(1, e.LineNumber), Math.Max(1, e.LinePosition));
            diagnostics.Add(Diag(DiagnosticDescriptors.MalformedXml, path, errorLine, errorColumn, StripPosition(e.Message)));
        }
        finally
        {
            includeStack.RemoveAt(includeStack.Count - 1);
        }
    }

    private static (int Line, int Column) Position(XObject o, GslXml map) =>
        o is IXmlLineInfo info && info.HasLineInfo() ? map.Map(info.LineNumber, info.LinePosition) : (1, 1);

    // XmlException messages end with "Line n, position m." which the diagnostic already carries.
    private static string StripPosition(string message)
    {
        var i = message.IndexOf(" Line ", StringComparison.Ordinal);
        return i > 0 ? message.Substring(0, i) : message;
    }

    internal static ModelDiagnostic Diag(DiagnosticDescriptor d, string file, int line, int column, params object[] args) =>
        ModelDiagnostic.Create(d, file, line, column, args);
}
