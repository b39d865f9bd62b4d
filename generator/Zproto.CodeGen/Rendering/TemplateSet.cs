using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Zproto.Model;

namespace Zproto.CodeGen.Rendering;

/// <summary>One template: its name (file name without <c>.hbs</c>) and text. Names starting with '_' are partials.</summary>
public sealed record TemplateSource(string Name, string Text)
{
    /// <summary>The file a user template came from (where its diagnostics point); empty for built-ins.</summary>
    public string Path { get; init; } = "";

    /// <summary>True for partials (<c>_Properties.hbs</c> is the partial <c>Properties</c>).</summary>
    public bool IsPartial => Name.StartsWith("_", StringComparison.Ordinal);
}

/// <summary>
/// The templates a render uses: the built-in ones embedded in this assembly (from /templates),
/// with any user template of the same name replacing the built-in, and any other user template
/// rendered as an extra output for every protocol.
/// </summary>
public sealed record TemplateSet(EquatableArray<TemplateSource> Templates)
{
    private const string ResourcePrefix = "Zproto.Templates.";

    /// <summary>Names of the templates rendered for frame and datagram protocols.</summary>
    public static readonly string[] BinaryParts = ["Messages", "Codec"];

    /// <summary>Names of the templates rendered for text-frame protocols.</summary>
    public static readonly string[] TextParts = ["TextMessages", "TextCodec"];

    private static readonly Lazy<EquatableArray<TemplateSource>> s_builtIn = new(LoadBuiltIn);

    /// <summary>The built-in templates.</summary>
    public static TemplateSet BuiltIn { get; } = new(s_builtIn.Value);

    /// <summary>The built-in set with <paramref name="overrides"/> replacing or adding templates by name.</summary>
    public static TemplateSet WithOverrides(IEnumerable<TemplateSource> overrides)
    {
        var byName = new SortedDictionary<string, TemplateSource>(StringComparer.Ordinal);
        foreach (var t in s_builtIn.Value)
            byName[t.Name] = t;
        foreach (var t in overrides)
            byName[t.Name] = t;
        return new TemplateSet(new List<TemplateSource>(byName.Values).ToEquatableArray());
    }

    /// <summary>
    /// The built-in set with the <c>.hbs</c> files among <paramref name="files"/> (path, text)
    /// replacing or adding templates by file name; the set both front ends build from user files.
    /// </summary>
    public static TemplateSet FromFiles(IEnumerable<KeyValuePair<string, string>> files)
    {
        var overrides = new List<TemplateSource>();
        foreach (var f in files)
        {
            if (f.Key.EndsWith(".hbs", StringComparison.OrdinalIgnoreCase))
                overrides.Add(new TemplateSource(System.IO.Path.GetFileNameWithoutExtension(f.Key), f.Value) { Path = f.Key });
        }
        return overrides.Count == 0 ? BuiltIn : WithOverrides(overrides);
    }

    /// <summary>The template text for <paramref name="name"/>, or null.</summary>
    public string? Find(string name)
    {
        foreach (var t in Templates)
            if (t.Name == name) return t.Text;
        return null;
    }

    /// <summary>True when <paramref name="name"/> is one of the built-in template names.</summary>
    public static bool IsBuiltInName(string name)
    {
        foreach (var t in s_builtIn.Value)
            if (t.Name == name) return true;
        return false;
    }

    private static EquatableArray<TemplateSource> LoadBuiltIn()
    {
        var assembly = typeof(TemplateSet).GetTypeInfo().Assembly;
        var names = new List<string>(assembly.GetManifestResourceNames());
        names.Sort(StringComparer.Ordinal);
        var result = new List<TemplateSource>();
        foreach (var resource in names)
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".hbs", StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var name = resource.Substring(ResourcePrefix.Length, resource.Length - ResourcePrefix.Length - ".hbs".Length);
            result.Add(new TemplateSource(name, reader.ReadToEnd()));
        }
        return result.ToEquatableArray();
    }
}
