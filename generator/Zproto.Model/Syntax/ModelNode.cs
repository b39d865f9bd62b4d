using System;
using System.Collections.Generic;

namespace Zproto.Model.Syntax;

/// <summary>Anything a diagnostic can point at.</summary>
public interface IHasPosition
{
    /// <summary>File.</summary>
    string File { get; }
    /// <summary>1-based line.</summary>
    int Line { get; }
    /// <summary>1-based column.</summary>
    int Column { get; }
}

/// <summary>
/// An attribute (XML) or scalar entry (YAML) with its position: in XML the start of the attribute's
/// name, in YAML the start of the value scalar (so <c>type: strnig</c> points at <c>strnig</c>).
/// </summary>
public sealed class ModelAttribute(string name, string value, string file, int line, int column) : IHasPosition
{
    /// <summary>Attribute name, lower case.</summary>
    public string Name { get; } = name;
    /// <summary>The value as written.</summary>
    public string Value { get; } = value;
    /// <summary>File the attribute is in.</summary>
    public string File { get; } = file;
    /// <summary>1-based line.</summary>
    public int Line { get; } = line;
    /// <summary>1-based column.</summary>
    public int Column { get; } = column;
}

/// <summary>
/// The model as a neutral tree of elements: both the XML and the YAML readers produce it, so one
/// builder validates both forms with the same rules and messages. Carries positions for
/// diagnostics; it never leaves the model library (specs carry no positions).
/// </summary>
public sealed class ModelNode(string name, string file, int line, int column) : IHasPosition
{
    /// <summary>Element name, lower case (<c>class</c>, <c>message</c>, <c>field</c>, ...).</summary>
    public string Name { get; } = name;
    /// <summary>File the element is in (an included file for included elements).</summary>
    public string File { get; } = file;
    /// <summary>1-based line.</summary>
    public int Line { get; } = line;
    /// <summary>1-based column.</summary>
    public int Column { get; } = column;
    /// <summary>Attributes in document order.</summary>
    public List<ModelAttribute> Attributes { get; } = new();
    /// <summary>Child elements in document order.</summary>
    public List<ModelNode> Children { get; } = new();
    /// <summary>Free text (documentation), normalised.</summary>
    public string Text { get; set; } = "";

    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public ModelAttribute? Attribute(string name)
    {
        foreach (var a in Attributes)
        {
            if (string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
                return a;
        }
        return null;
    }

    /// <summary>The value of attribute <paramref name="name"/>, or null.</summary>
    public string? Value(string name) => Attribute(name)?.Value;
}

/// <summary>Normalises documentation text: trims each line, drops blank edges, keeps paragraph breaks.</summary>
public static class DocText
{
    /// <summary>Normalises <paramref name="raw"/>.</summary>
    public static string Normalize(string raw)
    {
        var lines = raw.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var result = new List<string>();
        var blank = false;
        foreach (var line in lines)
        {
            var t = line.Trim();
            if (t.Length == 0)
            {
                blank = result.Count > 0;
                continue;
            }
            if (blank)
                result.Add("");
            blank = false;
            result.Add(t);
        }
        return string.Join("\n", result);
    }
}
