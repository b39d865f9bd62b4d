using System;
using System.Collections.Generic;
using System.Text;

namespace Zproto.Model;

/// <summary>
/// Maps model names to C# identifiers, once, for the binder and for the clash check. Names are
/// split on spaces, hyphens, underscores and other punctuation: <c>HELLO-OK</c> and <c>hello ok</c>
/// both become <c>HelloOk</c>, <c>public key</c> becomes <c>PublicKey</c>.
/// </summary>
public static class Naming
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>The words of a model name.</summary>
    public static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
            words.Add(current.ToString());
        return words;
    }

    /// <summary>PascalCase identifier: <c>input ok</c> → <c>InputOk</c>, <c>zpipes_msg</c> → <c>ZpipesMsg</c>.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder();
        foreach (var word in Words(name))
        {
            // An all-capitals word is a shouted name (HELLO), not an acronym to keep.
            var allUpper = word.ToUpperInvariant() == word;
            sb.Append(char.ToUpperInvariant(word[0]));
            sb.Append(allUpper ? word.Substring(1).ToLowerInvariant() : word.Substring(1));
        }
        if (sb.Length > 0 && char.IsDigit(sb[0]))
            sb.Insert(0, '_');
        return sb.ToString();
    }

    /// <summary>camelCase identifier, escaped with @ when it is a keyword.</summary>
    public static string Camel(string name)
    {
        var pascal = Pascal(name);
        if (pascal.Length == 0)
            return pascal;
        var camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        return s_keywords.Contains(camel) ? "@" + camel : camel;
    }

    /// <summary>The key two model names are compared by: case-insensitive, spaces, hyphens and underscores equal.</summary>
    public static string Key(string name) => string.Join("_", Words(name)).ToLowerInvariant();

    /// <summary>UPPER_SNAKE constant name, as zproto's C code spells defines.</summary>
    public static string UpperSnake(string name) => string.Join("_", Words(name)).ToUpperInvariant();
}
