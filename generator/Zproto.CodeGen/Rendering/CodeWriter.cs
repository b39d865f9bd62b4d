using System;
using System.Collections.Generic;
using Zproto.Model;

namespace Zproto.CodeGen.Rendering;

/// <summary>
/// Builds C# statements line by line with indentation relative to the block it starts in
/// (in the spirit of System.Text.Json's <c>SourceWriter</c>). The binder emits whole statements
/// through it; a template places the resulting lines at the indentation it declares, so the
/// binder never writes indentation strings and the template never splits statements.
/// </summary>
public sealed class CodeWriter
{
    /// <summary>One level of indentation.</summary>
    public const string IndentUnit = "    ";

    private readonly List<string> _lines = new();
    private int _indent;

    /// <summary>The current indentation level (0 is the template's base indentation).</summary>
    public int IndentLevel => _indent;

    /// <summary>Writes one line at the current indentation.</summary>
    public CodeWriter WriteLine(string line)
    {
        if (line.Length == 0)
            throw new ArgumentException("A generated statement line cannot be empty.", nameof(line));
        if (line.IndexOf('\n') >= 0)
            throw new ArgumentException("Write one line at a time; the writer owns line breaks.", nameof(line));
        var prefix = "";
        for (var i = 0; i < _indent; i++)
            prefix += IndentUnit;
        _lines.Add(prefix + line);
        return this;
    }

    /// <summary>Writes each line of <paramref name="lines"/> (already relative to a block) at the current indentation.</summary>
    public CodeWriter WriteLines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
            WriteLine(line);
        return this;
    }

    /// <summary>Indents the lines written after it by one level.</summary>
    public void Indent() => _indent++;

    /// <summary>Ends one level of indentation.</summary>
    public void Unindent()
    {
        if (_indent == 0)
            throw new InvalidOperationException("Unindent without a matching Indent.");
        _indent--;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, then indents.</summary>
    public CodeWriter OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        Indent();
        return this;
    }

    /// <summary>Unindents and writes the closing brace of the innermost block.</summary>
    public CodeWriter CloseBlock()
    {
        Unindent();
        WriteLine("}");
        return this;
    }

    /// <summary>
    /// Writes <c>if (<paramref name="condition"/>)</c> with a braced body of <paramref name="body"/>,
    /// each statement on its own line.
    /// </summary>
    public CodeWriter If(string condition, params string[] body)
    {
        OpenBlock($"if ({condition})");
        foreach (var statement in body)
            WriteLine(statement);
        return CloseBlock();
    }

    /// <summary>The lines written so far; a template prefixes each with its base indentation.</summary>
    public EquatableArray<string> ToLines()
    {
        if (_indent != 0)
            throw new InvalidOperationException($"{_indent} block(s) still open.");
        return _lines.ToEquatableArray();
    }

    /// <summary>
    /// The statements on one line, for code that must stay an expression (a lambda body inside a
    /// call's argument list): the lines' own indentation is dropped and they are joined by spaces.
    /// </summary>
    public string ToSingleLine()
    {
        if (_indent != 0)
            throw new InvalidOperationException($"{_indent} block(s) still open.");
        var parts = new string[_lines.Count];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = _lines[i].Trim();
        return string.Join(" ", parts);
    }

    /// <summary>The lines joined by <c>\n</c>, each with its relative indentation.</summary>
    public override string ToString() => string.Join("\n", _lines);
}
