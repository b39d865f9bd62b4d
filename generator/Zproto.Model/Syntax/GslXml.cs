using System;
using System.Collections.Generic;
using System.Text;

namespace Zproto.Model.Syntax;

/// <summary>
/// Rewrites zproto's XML dialect, as GSL reads it, into well-formed XML, and maps positions in
/// the rewritten text back to the original. zproto models are read by GSL (iMatix's
/// <c>sflxmll.c</c> loader), which is more tolerant than an XML 1.0 parser; published models
/// rely on it (zccp's titles say "Command &amp; Control" with a bare <c>&amp;</c>).
/// </summary>
/// <remarks>
/// What GSL's loader accepts that XML does not, and what this rewrite does with it:
/// <list type="bullet">
/// <item>A bare <c>&amp;</c> (one not starting <c>&amp;name;</c>) in an attribute value or in text is
/// a literal <c>&amp;</c>. Rewritten to <c>&amp;amp;</c>.</item>
/// <item><c>&amp;name;</c> where <c>name</c> is an HTML entity (<c>&amp;copy;</c>, <c>&amp;nbsp;</c>)
/// is that character; an unknown name stays literal text (<c>&amp;foo;</c> reads as "&amp;foo;").
/// Rewritten to a numeric reference, or to <c>&amp;amp;foo;</c>.</item>
/// <item>A <c>&lt;</c> inside a quoted attribute value is literal (GSL ends the value only at
/// its quote). Rewritten to <c>&amp;lt;</c>.</item>
/// <item>A <c>&lt;</c> in text that cannot start a tag (GSL's rule: the next character is not a
/// letter, digit, or one of <c>_:.-/!</c>), as in <c>a &lt; b</c>, is literal. Rewritten to <c>&amp;lt;</c>.</item>
/// </list>
/// Where the two differ in the other direction the XML reading is kept: XML's numeric
/// references (<c>&amp;#38;</c>) are decoded (GSL keeps them literal), and single-quoted
/// attribute values are accepted (GSL wants double quotes). Only characters are inserted, never
/// line breaks, so lines are unchanged and only columns after a rewrite on the same line move;
/// <see cref="Map"/> moves them back.
/// </remarks>
public sealed class GslXml
{
    // Per line (1-based), the rewrites on it: column in the rewritten text where the inserted
    // characters end, and how many characters were inserted up to and including that rewrite.
    private readonly Dictionary<int, List<(int RewrittenColumn, int Shift)>> _shifts;

    private GslXml(string text, Dictionary<int, List<(int, int)>> shifts)
    {
        Text = text;
        _shifts = shifts;
    }

    /// <summary>The well-formed XML text.</summary>
    public string Text { get; }

    /// <summary>True when nothing had to be rewritten.</summary>
    public bool Unchanged => _shifts.Count == 0;

    /// <summary>The original (line, column) of a 1-based position in <see cref="Text"/>.</summary>
    public (int Line, int Column) Map(int line, int column)
    {
        if (!_shifts.TryGetValue(line, out var shifts))
            return (line, column);
        var shift = 0;
        foreach (var (end, total) in shifts)
        {
            if (end <= column)
                shift = total;
            else
                break;
        }
        return (line, Math.Max(1, column - shift));
    }

    /// <summary>Rewrites <paramref name="text"/> (see the remarks for what changes).</summary>
    public static GslXml Rewrite(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        var shifts = new Dictionary<int, List<(int, int)>>();
        var line = 1;
        var lineStart = 0; // index in sb where the current line starts
        var lineShift = 0;
        var i = 0;

        void Emit(string replacement, int originalLength)
        {
            sb.Append(replacement);
            lineShift += replacement.Length - originalLength;
            if (!shifts.TryGetValue(line, out var list))
                shifts[line] = list = new List<(int, int)>();
            list.Add((sb.Length - lineStart + 1, lineShift));
        }

        void Copy(char c)
        {
            sb.Append(c);
            if (c == '\n')
            {
                line++;
                lineStart = sb.Length;
                lineShift = 0;
            }
        }

        void CopyUntil(string end)
        {
            var stop = text.IndexOf(end, i, StringComparison.Ordinal);
            var last = stop < 0 ? text.Length : stop + end.Length;
            while (i < last)
                Copy(text[i++]);
        }

        void Ampersand()
        {
            // GSL: up to 7 letters or digits then ';' is an entity; anything else is a literal '&'.
            var j = i + 1;
            while (j < text.Length && j - i - 1 < 7 && char.IsLetterOrDigit(text[j]))
                j++;
            if (j < text.Length && text[j] == '#')
            {
                // XML's numeric reference: left to the XML reader.
                Copy(text[i++]);
                return;
            }
            if (j < text.Length && text[j] == ';' && j > i + 1)
            {
                var name = text.Substring(i + 1, j - i - 1);
                if (name is "amp" or "lt" or "gt" or "quot" or "apos")
                {
                    while (i <= j)
                        Copy(text[i++]);
                    return;
                }
                var decoded = System.Net.WebUtility.HtmlDecode("&" + name + ";");
                var replacement = decoded.Length > 0 && decoded[0] != '&'
                    ? NumericReferences(decoded)
                    : "&amp;" + name + ";";
                Emit(replacement, j - i + 1);
                i = j + 1;
                return;
            }
            Emit("&amp;", 1);
            i++;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '&')
            {
                Ampersand();
                continue;
            }
            if (c != '<')
            {
                Copy(c);
                i++;
                continue;
            }
            if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
            {
                CopyUntil("-->");
                continue;
            }
            if (string.CompareOrdinal(text, i, "<![CDATA[", 0, 9) == 0)
            {
                CopyUntil("]]>");
                continue;
            }
            if (i + 1 < text.Length && (text[i + 1] == '?' || text[i + 1] == '!'))
            {
                CopyUntil(">");
                continue;
            }
            if (i + 1 >= text.Length || !StartsTag(text[i + 1]))
            {
                Emit("&lt;", 1);
                i++;
                continue;
            }
            // A tag: copy to its '>', rewriting inside quoted attribute values.
            while (i < text.Length && text[i] != '>')
            {
                var t = text[i];
                if (t is '"' or '\'')
                {
                    Copy(t);
                    i++;
                    while (i < text.Length && text[i] != t)
                    {
                        if (text[i] == '&')
                            Ampersand();
                        else if (text[i] == '<')
                        {
                            Emit("&lt;", 1);
                            i++;
                        }
                        else
                            Copy(text[i++]);
                    }
                    if (i < text.Length)
                        Copy(text[i++]);
                    continue;
                }
                Copy(t);
                i++;
            }
            if (i < text.Length)
                Copy(text[i++]);
        }
        return shifts.Count == 0 ? new GslXml(text, shifts) : new GslXml(sb.ToString(), shifts);
    }

    // GSL's CMAP_ITEM_END: what may follow '<' for it to open (or close) an element.
    private static bool StartsTag(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '_' or ':' or '.' or '-' or '/' or '!';

    private static string NumericReferences(string decoded)
    {
        var sb = new StringBuilder();
        for (var k = 0; k < decoded.Length; k++)
        {
            var cp = char.ConvertToUtf32(decoded, k);
            if (char.IsHighSurrogate(decoded[k]))
                k++;
            sb.Append("&#").Append(cp.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(';');
        }
        return sb.ToString();
    }
}
