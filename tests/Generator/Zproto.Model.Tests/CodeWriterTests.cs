using System;
using System.Linq;
using Xunit;
using Zproto.CodeGen.Rendering;

namespace Zproto.Model.Tests;

/// <summary>The indentation-aware writer the binder emits generated statements through.</summary>
public sealed class CodeWriterTests
{
    [Fact]
    public void If_writes_condition_braces_and_body_on_their_own_lines()
    {
        var w = new CodeWriter();
        w.If("fVersion != 3", "r.Fail(kind, \"version\", r.Position - 2, (long)fVersion);", "goto fail;");

        Assert.Equal(
            new[] { "if (fVersion != 3)", "{", "    r.Fail(kind, \"version\", r.Position - 2, (long)fVersion);", "    goto fail;", "}" },
            w.ToLines().ToArray());
    }

    [Fact]
    public void Nested_blocks_indent_relative_to_the_outermost_level()
    {
        var w = new CodeWriter();
        w.OpenBlock("for (var k = 0; k < n; k++)");
        Assert.Equal(1, w.IndentLevel);
        w.If("k == 2", "break;");
        w.WriteLine("i++;");
        w.CloseBlock();

        Assert.Equal(0, w.IndentLevel);
        Assert.Equal(
            "for (var k = 0; k < n; k++)\n{\n    if (k == 2)\n    {\n        break;\n    }\n    i++;\n}",
            w.ToString());
    }

    [Fact]
    public void WriteLines_keeps_relative_indentation_under_the_current_level()
    {
        var inner = new CodeWriter().If("x", "y();");
        var w = new CodeWriter();
        w.Indent();
        w.WriteLines(inner.ToLines());
        w.Unindent();

        Assert.Equal(new[] { "    if (x)", "    {", "        y();", "    }" }, w.ToLines().ToArray());
    }

    [Fact]
    public void ToSingleLine_joins_trimmed_lines_for_lambda_bodies()
    {
        var w = new CodeWriter().WriteLine("item = default;");
        w.If("!(raw is 1 or 2)", "r.Fail(kind, \"e\", 0, (long)raw);", "return false;");
        w.WriteLine("return true;");

        Assert.Equal("item = default; if (!(raw is 1 or 2)) { r.Fail(kind, \"e\", 0, (long)raw); return false; } return true;", w.ToSingleLine());
    }

    [Fact]
    public void Unbalanced_blocks_and_malformed_lines_are_rejected()
    {
        var open = new CodeWriter().OpenBlock("if (x)");
        Assert.Throws<InvalidOperationException>(() => open.ToLines());
        Assert.Throws<InvalidOperationException>(() => open.ToSingleLine());
        Assert.Throws<InvalidOperationException>(() => new CodeWriter().Unindent());
        Assert.Throws<ArgumentException>(() => new CodeWriter().WriteLine(""));
        Assert.Throws<ArgumentException>(() => new CodeWriter().WriteLine("a;\nb;"));
    }
}
