using System;
using System.Collections.Generic;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Model;

/// <summary>The result of reading one model: a spec when it has no errors, and every diagnostic found.</summary>
public sealed record ParseResult(ProtocolSpec? Spec, EquatableArray<ModelDiagnostic> Diagnostics)
{
    /// <summary>The state machine, when the model is a server or client model rather than a codec.</summary>
    public Machines.MachineSpec? Machine { get; init; }

    /// <summary>Positions in a state-machine model, for the checks that need its protocol.</summary>
    public Machines.MachinePositions? MachinePositions { get; init; }

    /// <summary>
    /// The state machine as built even when the model has errors: the checks against its
    /// protocol still run on it, so one run reports every problem of the file. Never bound.
    /// </summary>
    public Machines.MachineSpec? CheckableMachine { get; init; }

    /// <summary>True when any diagnostic is an error (and so <see cref="Spec"/> is null).</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var d in Diagnostics)
                if (d.Severity == Severity.Error) return true;
            return false;
        }
    }
}

/// <summary>Entry point of the model library: text in, spec and diagnostics out.</summary>
public static class ModelParser
{
    /// <summary>
    /// Parses and validates a model (XML, or YAML by extension). A model with any error yields no
    /// spec, so no code is ever generated from a model that is wrong.
    /// </summary>
    public static ParseResult Parse(ModelSource source, IModelFileResolver resolver)
    {
        var diagnostics = new List<ModelDiagnostic>();
        ProtocolSpec? spec = null;
        var root = source.IsYaml
            ? YamlModelReader.Read(source, resolver, diagnostics)
            : XmlModelReader.Read(source, resolver, diagnostics);
        Machines.MachineSpec? machine = null;
        Machines.MachinePositions? positions = null;
        if (root is not null && Machines.MachineBuilder.IsMachine(root))
            (machine, positions) = new Machines.MachineBuilder(diagnostics).Build(root, source.Path);
        else if (root is not null)
            spec = new ModelBuilder(diagnostics).Build(root, source.Path);
        var result = new ParseResult(spec, diagnostics.ToEquatableArray()) { Machine = machine, MachinePositions = positions, CheckableMachine = machine };
        return result.HasErrors ? result with { Spec = null, Machine = null } : result;
    }

    /// <summary>
    /// Where the class name of <paramref name="source"/> is (its <c>name</c>, else the root
    /// element; the file start when it does not parse): for checks across models, which are rare
    /// enough to read the text again rather than carry positions through cached steps.
    /// </summary>
    public static (int Line, int Column) ClassNameAt(ModelSource source)
    {
        var ignored = new List<ModelDiagnostic>();
        var root = source.IsYaml
            ? YamlModelReader.Read(source, NoIncludes.Instance, ignored)
            : XmlModelReader.Read(source, NoIncludes.Instance, ignored);
        IHasPosition? at = (IHasPosition?)root?.Attribute("name") ?? root;
        return at is null ? (1, 1) : (at.Line, at.Column);
    }

    private sealed class NoIncludes : IModelFileResolver
    {
        public static readonly NoIncludes Instance = new();

        public string? TryRead(string path) => null;
    }

    /// <summary>
    /// The files <paramref name="source"/> includes, directly or through other includes, each
    /// with its text (null when <paramref name="resolver"/> has none). Reads the model without
    /// building it, so the source generator can make a model's parse depend on these files only.
    /// </summary>
    public static List<KeyValuePair<string, string?>> IncludedFiles(ModelSource source, IModelFileResolver resolver)
    {
        var recorder = new RecordingResolver(resolver);
        var ignored = new List<ModelDiagnostic>();
        if (source.IsYaml)
            YamlModelReader.Read(source, recorder, ignored);
        else
            XmlModelReader.Read(source, recorder, ignored);
        return recorder.Reads;
    }

    private sealed class RecordingResolver(IModelFileResolver inner) : IModelFileResolver
    {
        public List<KeyValuePair<string, string?>> Reads { get; } = new();

        public string? TryRead(string path)
        {
            var text = inner.TryRead(path);
            Reads.Add(new KeyValuePair<string, string?>(path, text));
            return text;
        }
    }

    /// <summary>
    /// A cheap probe: is this text a model (XML whose root element is &lt;class&gt;, or YAML with a
    /// top-level <c>class:</c> key)? Lets the generator skip other .xml/.yaml AdditionalFiles, such
    /// as included fragments, without reporting them.
    /// </summary>
    public static bool LooksLikeModel(string path, string text)
    {
        if (new ModelSource(path, text).IsYaml)
        {
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("class:", StringComparison.OrdinalIgnoreCase))
                    return true;
            }
            return false;
        }
        var i = 0;
        while (true)
        {
            i = text.IndexOf('<', i);
            if (i < 0 || i + 1 >= text.Length)
                return false;
            var next = text[i + 1];
            if (next != '?' && next != '!')
                return string.Compare(text, i + 1, "class", 0, 5, StringComparison.OrdinalIgnoreCase) == 0
                    && (i + 6 >= text.Length || !char.IsLetterOrDigit(text[i + 6]));
            i++;
        }
    }

    /// <summary>True for file names the model readers accept.</summary>
    public static bool IsModelFile(string path) =>
        path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
