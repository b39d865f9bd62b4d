using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using HandlebarsDotNet;
using Zproto.CodeGen.Views;
using Zproto.Model;

namespace Zproto.CodeGen.Rendering;

/// <summary>A generated source file: its hint name (<c>{Namespace}.{Protocol}.{Part}.g.cs</c>) and text.</summary>
public sealed record GeneratedFile(string HintName, string Text);

/// <summary>
/// Renders view models through Handlebars templates. Output is normalised (LF line ends, no
/// trailing spaces, at most one blank line in a row) so it is byte-identical across machines.
/// </summary>
public static class TemplateRenderer
{
    // Compiling templates is the slow part; a template set's compiled form is reused for as long
    // as the same texts are in use (the generator renders every model of a project with one set).
    private static readonly ConcurrentDictionary<string, Compiled> s_cache = new(StringComparer.Ordinal);

    /// <summary>Renders every part for <paramref name="view"/>: the built-in parts of its framing, then any extra user templates.</summary>
    public static IReadOnlyList<GeneratedFile> Render(ProtocolView view, TemplateSet templates)
    {
        var compiled = Compile(templates);
        var files = new List<GeneratedFile>();
        var parts = view.IsText ? TemplateSet.TextParts : TemplateSet.BinaryParts;
        foreach (var part in parts)
            files.Add(RenderPart(compiled, view, part));
        foreach (var t in templates.Templates)
        {
            if (!t.IsPartial && !TemplateSet.IsBuiltInName(t.Name))
                files.Add(RenderPart(compiled, view, t.Name));
        }
        return files;
    }

    /// <summary>Renders a server or client state machine (template <c>Server</c> or <c>Client</c>).</summary>
    public static GeneratedFile RenderMachine(MachineView view, TemplateSet templates)
    {
        var part = view.IsServer ? "Server" : "Client";
        return new GeneratedFile($"{view.Namespace}.{view.ClassName}.{part}.g.cs", Normalize(Compile(templates).Templates[part](view)));
    }

    /// <summary>Renders one named template for <paramref name="view"/> (the CLI's --template).</summary>
    public static string RenderOne(ProtocolView view, TemplateSet templates, string name) =>
        Normalize(Compile(templates).Templates[name](view));

    private static GeneratedFile RenderPart(Compiled compiled, ProtocolView view, string part) =>
        new($"{view.Namespace}.{view.ClassName}.{part}.g.cs", Normalize(compiled.Templates[part](view)));

    private static Compiled Compile(TemplateSet set)
    {
        var key = new StringBuilder();
        foreach (var t in set.Templates)
            key.Append(t.Name).Append('\0').Append(t.Text).Append('\0');
        return s_cache.GetOrAdd(key.ToString(), _ =>
        {
            var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });
            foreach (var t in set.Templates)
            {
                if (t.IsPartial)
                    handlebars.RegisterTemplate(t.Name.Substring(1), t.Text);
            }
            var templates = new Dictionary<string, HandlebarsTemplate<object, object>>(StringComparer.Ordinal);
            foreach (var t in set.Templates)
            {
                if (!t.IsPartial)
                    templates[t.Name] = handlebars.Compile(t.Text);
            }
            return new Compiled(templates);
        });
    }

    /// <summary>LF only, no trailing whitespace, no runs of blank lines, one final newline.</summary>
    public static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var sb = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                blank++;
                continue;
            }
            if (blank > 0 && sb.Length > 0 && !EndsWithOpeningBrace(sb) && !line.TrimStart().StartsWith("}", StringComparison.Ordinal))
                sb.Append('\n');
            blank = 0;
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    // A blank line right after '{' or right before '}' is noise; drop it.
    private static bool EndsWithOpeningBrace(StringBuilder sb)
    {
        var i = sb.Length - 2;
        while (i >= 0 && sb[i] == ' ') i--;
        return i >= 0 && sb[i] == '{';
    }

    private sealed class Compiled(Dictionary<string, HandlebarsTemplate<object, object>> templates)
    {
        public Dictionary<string, HandlebarsTemplate<object, object>> Templates { get; } = templates;
    }
}
