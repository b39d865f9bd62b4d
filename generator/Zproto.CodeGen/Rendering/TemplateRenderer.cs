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

/// <summary>A template that does not compile, or whose binding expression names nothing in the view.</summary>
public sealed class TemplateException(string templateName, string templatePath, bool isBinding, string message, Exception inner)
    : Exception(message, inner)
{
    /// <summary>The template's name (its file name without <c>.hbs</c>).</summary>
    public string TemplateName { get; } = templateName;

    /// <summary>The user template's file, or empty for a built-in template.</summary>
    public string TemplatePath { get; } = templatePath;

    /// <summary>True for an unknown name in a binding expression, false for a template that does not compile.</summary>
    public bool IsBinding { get; } = isBinding;

    /// <summary>1-based line in the template, when Handlebars reports one, else 1.</summary>
    public int Line { get; init; } = 1;

    /// <summary>1-based column in the template, when Handlebars reports one, else 1.</summary>
    public int Column { get; init; } = 1;
}

/// <summary>
/// Renders view models through Handlebars templates. Output is normalised (LF line ends, no
/// trailing spaces, at most one blank line in a row) so it is byte-identical across machines.
/// A binding expression that names nothing in the view (<c>{{ClasName}}</c>) is an error, not
/// empty text: templates are compiled with unresolved bindings throwing.
/// </summary>
public static class TemplateRenderer
{
    // Compiling templates is the slow part; a template set's compiled form is reused for as long
    // as the same texts are in use (the generator renders every model of a project with one set).
    // The compiler server lives long and sees many projects and template edits, so only the most
    // recently used sets are kept.
    /// <summary>How many compiled template sets are kept (most recently used first).</summary>
    public const int CacheCapacity = 8;
    private static readonly object s_cacheLock = new();
    private static readonly LinkedList<KeyValuePair<TemplateSet, Compiled>> s_cache = new();

    /// <summary>Compiled template sets held right now (at most <see cref="CacheCapacity"/>), for tests.</summary>
    public static int CachedSets
    {
        get
        {
            lock (s_cacheLock)
                return s_cache.Count;
        }
    }

    /// <summary>Renders every part for <paramref name="view"/>: the built-in parts of its framing, then any extra user templates.</summary>
    /// <exception cref="TemplateException">A template does not compile or names something the view lacks.</exception>
    public static IReadOnlyList<GeneratedFile> Render(ProtocolView view, TemplateSet templates)
    {
        var compiled = Compile(templates);
        var files = new List<GeneratedFile>();
        var parts = view.IsText ? TemplateSet.TextParts : TemplateSet.BinaryParts;
        foreach (var part in parts)
            files.Add(new GeneratedFile($"{view.Namespace}.{view.ClassName}.{part}.g.cs", compiled.Render(part, view)));
        foreach (var t in templates.Templates)
        {
            if (!t.IsPartial && !TemplateSet.IsBuiltInName(t.Name))
                files.Add(new GeneratedFile($"{view.Namespace}.{view.ClassName}.{t.Name}.g.cs", compiled.Render(t.Name, view)));
        }
        return files;
    }

    /// <summary>Renders a server or client state machine (template <c>Server</c> or <c>Client</c>).</summary>
    /// <exception cref="TemplateException">A template does not compile or names something the view lacks.</exception>
    public static GeneratedFile RenderMachine(MachineView view, TemplateSet templates)
    {
        var part = view.IsServer ? "Server" : "Client";
        return new GeneratedFile($"{view.Namespace}.{view.ClassName}.{part}.g.cs", Compile(templates).Render(part, view));
    }

    private static Compiled Compile(TemplateSet set)
    {
        lock (s_cacheLock)
        {
            for (var node = s_cache.First; node is not null; node = node.Next)
            {
                if (node.Value.Key.Equals(set))
                {
                    s_cache.Remove(node);
                    s_cache.AddFirst(node);
                    return node.Value.Value;
                }
            }
        }
        var compiled = new Compiled(set);
        lock (s_cacheLock)
        {
            s_cache.AddFirst(new KeyValuePair<TemplateSet, Compiled>(set, compiled));
            while (s_cache.Count > CacheCapacity)
                s_cache.RemoveLast();
        }
        return compiled;
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

    private sealed class Compiled
    {
        private readonly Dictionary<string, HandlebarsTemplate<object, object>> _templates = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TemplateSource> _sources = new(StringComparer.Ordinal);

        public Compiled(TemplateSet set)
        {
            var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = true });
            foreach (var t in set.Templates)
            {
                _sources[t.Name] = t;
                if (t.IsPartial)
                    Guard(t, () => handlebars.RegisterTemplate(t.Name.Substring(1), t.Text));
            }
            foreach (var t in set.Templates)
            {
                if (!t.IsPartial)
                    Guard(t, () => _templates[t.Name] = handlebars.Compile(t.Text));
            }
        }

        public string Render(string name, object view)
        {
            var source = _sources[name];
            try
            {
                return Normalize(_templates[name](view));
            }
            catch (HandlebarsDotNet.Compiler.HandlebarsUndefinedBindingException e)
            {
                // Handlebars gives no position: point at the first use of the name, in the
                // template rendered or else in a partial (which renders inside its caller).
                var (at, line, column) = Locate(source, e.MissingKey);
                throw new TemplateException(at.Name, at.Path, isBinding: true,
                    $"'{{{{{e.Path}}}}}' names nothing in the {view.GetType().Name} it renders (rendering '{name}'); check its spelling", e)
                {
                    Line = line,
                    Column = column,
                };
            }
        }

        private (TemplateSource At, int Line, int Column) Locate(TemplateSource rendered, string key)
        {
            var candidates = new List<TemplateSource> { rendered };
            foreach (var t in _sources.Values)
                if (t.IsPartial) candidates.Add(t);
            foreach (var t in candidates)
            {
                var i = 0;
                while ((i = t.Text.IndexOf(key, i, StringComparison.Ordinal)) >= 0)
                {
                    var open = t.Text.LastIndexOf("{{", i, StringComparison.Ordinal);
                    var close = t.Text.LastIndexOf("}}", i, StringComparison.Ordinal);
                    var wordStart = i == 0 || !char.IsLetterOrDigit(t.Text[i - 1]);
                    var wordEnd = i + key.Length >= t.Text.Length || !char.IsLetterOrDigit(t.Text[i + key.Length]);
                    if (open >= 0 && open > close && wordStart && wordEnd)
                    {
                        var line = 1;
                        var lineStart = 0;
                        for (var k = 0; k < i; k++)
                        {
                            if (t.Text[k] == '\n')
                            {
                                line++;
                                lineStart = k + 1;
                            }
                        }
                        return (t, line, i - lineStart + 1);
                    }
                    i += key.Length;
                }
            }
            return (rendered, 1, 1);
        }

        private static void Guard(TemplateSource t, Action compile)
        {
            try
            {
                compile();
            }
            catch (HandlebarsException e)
            {
                // Parser messages end with "Occured at: line:column" (0-based).
                var (line, column) = (1, 1);
                var at = e.Message.LastIndexOf("Occured at: ", StringComparison.Ordinal);
                var message = e.Message;
                if (at >= 0)
                {
                    var parts = e.Message.Substring(at + "Occured at: ".Length).Trim().Split(':');
                    if (parts.Length == 2 && int.TryParse(parts[0], out var l) && int.TryParse(parts[1], out var c))
                        (line, column) = (l + 1, c + 1);
                    message = e.Message.Substring(0, at).Trim();
                }
                throw new TemplateException(t.Name, t.Path, isBinding: false, message, e) { Line = line, Column = column };
            }
        }
    }
}
