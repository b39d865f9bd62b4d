using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Zproto.Model;

namespace Zproto.CodeGen.Binding;

/// <summary>Small C# text helpers for the binder: literals, doc lines, qualified names.</summary>
internal static class CSharp
{
    public const string Wire = "global::Zproto.Wire";

    /// <summary>A C# string literal with escapes.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Documentation text as XML-escaped lines for a <c>///</c> comment; <paramref name="fallback"/> when empty.</summary>
    public static EquatableArray<string> DocLines(string doc, string fallback)
    {
        var text = doc.Trim().Length == 0 ? fallback : doc;
        var lines = new List<string>();
        foreach (var line in text.Replace("\r", "").Split('\n'))
            lines.Add(line.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;"));
        return lines.ToEquatableArray();
    }

    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The unsigned type that holds <paramref name="bits"/> bits.</summary>
    public static string UnsignedType(int bits) => bits <= 8 ? "byte" : bits <= 16 ? "ushort" : bits <= 32 ? "uint" : "ulong";

    /// <summary>The signed type that holds <paramref name="bits"/> bits.</summary>
    public static string SignedType(int bits) => bits <= 8 ? "sbyte" : bits <= 16 ? "short" : bits <= 32 ? "int" : "long";

    /// <summary>A mask of the low <paramref name="bits"/> bits as a ulong literal.</summary>
    public static string Mask(int bits) =>
        bits >= 64 ? "0xFFFFFFFFFFFFFFFFUL" : "0x" + ((1UL << bits) - 1).ToString("X", CultureInfo.InvariantCulture) + "UL";
}
