using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Zproto.Generator.Tests.Infrastructure;
using Xunit;
using static Microsoft.CodeAnalysis.IncrementalStepRunReason;
using StepNames = Zproto.Generator.ZprotoGenerator.StepNames;

namespace Zproto.Generator.Tests;

/// <summary>
/// Proves what the incremental pipeline caches, step by step (<see cref="ZprotoGenerator.StepNames"/>):
/// each case runs the generator over every model, makes one edit, runs again and checks the reason
/// each tracked step gives for each of its outputs. The table reads as the caching contract.
/// </summary>
public sealed class IncrementalTests
{
    // The models the edits touch: a protocol that state machines speak (for a comment, which must
    // reach nothing), one that none speaks, and a machine with its protocol.
    private const string CommentedModel = "zpipes_msg.xml";
    private const string PlainProtocol = "zproto_example.xml";
    private const string Machine = "echo_server.xml";
    private const string MachineProtocol = "echo_msg.xml";
    private static readonly string[] s_machines = ["echo_server.xml", "echo_client.xml"];

    /// <summary>What one step may report after the edit.</summary>
    public sealed record Expect(string Description, Func<string?, IncrementalStepRunReason, bool> Allows, string[]? MustSee = null);

    private static readonly Expect s_stable = new("Cached or Unchanged", (_, r) => r is Cached or Unchanged);

    private static readonly Expect s_cached = new("Cached", (_, r) => r is Cached);

    private static readonly Expect s_any = new("anything", (_, _) => true);

    private static readonly Expect s_reran = new("re-run everywhere (Modified or Unchanged, never Cached)", (_, r) => r is Modified or Unchanged or New);

    /// <summary>The outputs of <paramref name="owners"/> report one of <paramref name="reasons"/>; every other output is Cached or Unchanged.</summary>
    private static Expect Only(string[] owners, params IncrementalStepRunReason[] reasons) =>
        new($"{string.Join(" or ", reasons)} for {string.Join(", ", owners)}, Cached or Unchanged for the rest",
            (o, r) => o is not null && owners.Contains(o) ? reasons.Contains(r) : r is Cached or Unchanged,
            owners);

    private static Expect Only(string owner, params IncrementalStepRunReason[] reasons) => Only([owner], reasons);

    /// <summary>The outputs of <paramref name="owner"/> report one of <paramref name="reasons"/>; every other model's output is Cached: it did not run at all.</summary>
    private static Expect OthersCached(string owner, params IncrementalStepRunReason[] reasons) =>
        new($"{string.Join(" or ", reasons)} for {owner}, Cached (not run) for every other model",
            (o, r) => o == owner ? reasons.Contains(r) : r is Cached,
            [owner]);

    // A model that includes a fragment, added to the inputs of every case (next to models/).
    private const string Includer = "with_include.xml";
    private const string Fragment = "fragment.xml";
    private static readonly TestAdditionalText s_includer = new("/project/inc/" + Includer, """
        <class name = "with_include" signature = "9">
            <include filename = "fragment.xml" />
            <message name = "FIRST" id = "1" />
        </class>
        """);
    private static readonly TestAdditionalText s_fragment = new("/project/inc/" + Fragment, """
        <message name = "EXTRA" id = "2">
            <field name = "note" type = "string">A note</field>
        </message>
        """);

    private sealed record Case(Func<State, State> Edit, IReadOnlyDictionary<string, Expect> Steps, Expect Outputs);


    // Each case: an edit, then the steps that may do work; every step not named must be Cached or
    // Unchanged for every output (a new step is held to that until its row says otherwise).
    private static readonly IReadOnlyDictionary<string, Case> s_cases = new Dictionary<string, Case>(StringComparer.Ordinal)
    {
        ["rerun with no change"] = new(
            s => s,
            StableExcept(),
            Outputs: s_stable),

        // A comment moves every line of the model: the parse re-runs, but positions are not in
        // the spec, so the spec is equal and nothing after it runs again.
        ["comment-only model edit"] = new(
            s => s.ReplaceText(CommentedModel, text => "<!-- x -->\n" + text),
            StableExcept(
                (StepNames.Files, Only(CommentedModel, Modified)),
                (StepNames.ModelInputs, Only(CommentedModel, Modified)),
                (StepNames.Includes, Only(CommentedModel, Modified)),
                (StepNames.Parse, OthersCached(CommentedModel, Unchanged))),
            Outputs: s_stable),

        // The same for a comment line inside a message, between its doc text and a field.
        ["comment line inside a message"] = new(
            s => s.ReplaceText(CommentedModel, text => ReplaceFirst(text, "    <field name = \"pipename\"", "    <!-- the pipe -->\n    <field name = \"pipename\"")),
            StableExcept(
                (StepNames.Files, Only(CommentedModel, Modified)),
                (StepNames.ModelInputs, Only(CommentedModel, Modified)),
                (StepNames.Includes, Only(CommentedModel, Modified)),
                (StepNames.Parse, OthersCached(CommentedModel, Unchanged))),
            Outputs: s_stable),

        // The pipeline never looks at the C# compilation.
        ["unrelated C# edit"] = new(
            s => s.EditCode("namespace Consumer { internal static class Unrelated { internal const int Value = 2; } }"),
            StableExcept(),
            Outputs: s_stable),

        // New documentation of one field changes that model's spec, view and files, no other's
        // (a model no state machine speaks; the last row covers those).
        ["field doc edit"] = new(
            s => s.ReplaceText(PlainProtocol, text => text.Replace(">Log severity level<", ">Log severity level, 0 to 7<", StringComparison.Ordinal)),
            StableExcept(
                (StepNames.Files, Only(PlainProtocol, Modified)),
                (StepNames.ModelInputs, Only(PlainProtocol, Modified)),
                (StepNames.Includes, Only(PlainProtocol, Modified)),
                (StepNames.Parse, OthersCached(PlainProtocol, Modified)),
                (StepNames.Specs, Only(PlainProtocol, Modified)),
                (StepNames.Bind, Only(PlainProtocol, Modified)),
                (StepNames.Render, Only(PlainProtocol, Modified))),
            Outputs: s_any),

        // A template is rendered for every model, codec and machine alike; no model is parsed
        // or bound again.
        ["template override added"] = new(
            s => s.AddText(new TestAdditionalText("/project/templates/Codec.hbs", File.ReadAllText(Path.Combine(Repository.Templates, "Codec.hbs")) + "// A user's codec.\n")),
            StableExcept(
                (StepNames.Files, Only("Codec.hbs", New)),
                (StepNames.Parse, s_cached),
                (StepNames.Templates, new("Modified", (_, r) => r is Modified or New)),
                (StepNames.Render, s_reran),
                (StepNames.MachineRender, s_reran)),
            Outputs: s_any),

        // A file that is neither model nor template changes nothing. (Roslyn 4.14 does not even
        // hand a .txt to the Files step, as no filter after it keeps one; New is fine if it does.)
        ["unrelated additional file added"] = new(
            s => s.AddText(new TestAdditionalText("/project/notes.txt", "not a model\n")),
            StableExcept(
                (StepNames.Files, new("New for notes.txt if read at all, else Cached or Unchanged", (o, r) => o == "notes.txt" ? r is New : r is Cached or Unchanged)),
                (StepNames.Parse, s_cached)),
            Outputs: s_stable),

        // A state machine's own edit re-checks, binds and renders that machine only.
        ["state machine doc edit"] = new(
            s => s.ReplaceText(Machine, text => text.Replace("The server side of the echo protocol.", "The server side of the echo protocol, edited.", StringComparison.Ordinal)),
            StableExcept(
                (StepNames.Files, Only(Machine, Modified)),
                (StepNames.ModelInputs, Only(Machine, Modified)),
                (StepNames.Includes, Only(Machine, Modified)),
                (StepNames.Parse, OthersCached(Machine, Modified)),
                (StepNames.Machines, Only(Machine, Modified)),
                (StepNames.MachineChecks, Only(Machine, Modified)),
                (StepNames.MachineBind, Only(Machine, Modified)),
                (StepNames.MachineRender, Only(Machine, Modified))),
            Outputs: s_any),

        // A protocol's edit reaches the machines that speak it: they are checked and bound again.
        ["protocol edit seen by its machines"] = new(
            s => s.ReplaceText(MachineProtocol, text => text.Replace(">Client's name<", ">The client's name<", StringComparison.Ordinal)),
            StableExcept(
                (StepNames.Files, Only(MachineProtocol, Modified)),
                (StepNames.ModelInputs, Only(MachineProtocol, Modified)),
                (StepNames.Includes, Only(MachineProtocol, Modified)),
                (StepNames.Parse, OthersCached(MachineProtocol, Modified)),
                (StepNames.Specs, Only(MachineProtocol, Modified)),
                (StepNames.Bind, Only(MachineProtocol, Modified)),
                (StepNames.Render, Only(MachineProtocol, Modified)),
                (StepNames.MachineChecks, Only(s_machines, Modified)),
                (StepNames.MachineBind, Only(s_machines, Modified, Unchanged)),
                (StepNames.MachineRender, Only(s_machines, Modified, Unchanged, Cached))),
            Outputs: s_any),

        // A model's parse depends on the files it includes and on nothing else: editing an
        // included fragment parses its includer again and no other model.
        ["included fragment edit"] = new(
            s => s.ReplaceText(Fragment, text => text.Replace(">A note<", ">A longer note<", StringComparison.Ordinal)),
            StableExcept(
                (StepNames.Files, Only(Fragment, Modified)),
                (StepNames.Includes, Only(Includer, Modified)),
                (StepNames.Parse, OthersCached(Includer, Modified)),
                (StepNames.Specs, Only(Includer, Modified)),
                (StepNames.Bind, Only(Includer, Modified)),
                (StepNames.Render, Only(Includer, Modified))),
            Outputs: s_any),

        // Editing a model that includes a fragment leaves every other model unparsed.
        ["includer edit"] = new(
            s => s.ReplaceText(Includer, text => text.Replace("id = \"1\" />", "id = \"1\">First.</message>", StringComparison.Ordinal)),
            StableExcept(
                (StepNames.Files, Only(Includer, Modified)),
                (StepNames.ModelInputs, Only(Includer, Modified)),
                (StepNames.Includes, Only(Includer, Modified)),
                (StepNames.Parse, OthersCached(Includer, Modified)),
                (StepNames.Specs, Only(Includer, Modified)),
                (StepNames.Bind, Only(Includer, Modified)),
                (StepNames.Render, Only(Includer, Modified))),
            Outputs: s_any),
    };

    public static TheoryData<string> Cases => new(s_cases.Keys);

    [Fact]
    public void The_table_covers_an_edit_of_every_kind_of_model()
    {
        // Nine cases beyond "no change" plus the two include cases: a regression that drops a row shows here.
        Assert.Equal(11, s_cases.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tracked_steps_rerun_only_as_the_table_says(string name)
    {
        var @case = s_cases[name];
        var before = State.Initial();
        var driver = before.CreateDriver().RunGenerators(before.Compilation);

        var after = @case.Edit(before);
        driver = after.Apply(before, driver).RunGenerators(after.Compilation);
        var result = driver.GetRunResult().Results.Single();

        Assert.Null(result.Exception);
        foreach (var (step, expect) in @case.Steps)
        {
            Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), $"step {step} was not tracked");
            Assert.NotEmpty(runs);
            var outputs = runs.SelectMany(run => run.Outputs.Select(o => (Owner: OwnerOf(run, o.Value), o.Reason))).ToList();
            var wrong = outputs.Where(o => !expect.Allows(o.Owner, o.Reason)).ToList();
            Assert.True(wrong.Count == 0, $"{name}: step {step} should be {expect.Description}, but: {string.Join(", ", wrong.Select(w => $"{w.Owner ?? "?"}={w.Reason}"))}");
            foreach (var owner in expect.MustSee ?? [])
                Assert.True(outputs.Any(o => o.Owner == owner), $"{name}: step {step} has no output for {owner}, only {string.Join(", ", outputs.Select(o => $"{o.Owner ?? "?"}={o.Reason}"))}");
        }
        foreach (var (kind, runs) in result.TrackedOutputSteps)
        {
            var wrong = runs.SelectMany(run => run.Outputs).Where(o => !@case.Outputs.Allows(null, o.Reason)).ToList();
            Assert.True(wrong.Count == 0, $"{name}: output {kind} should be {@case.Outputs.Description}, but: {string.Join(", ", wrong.Select(w => w.Reason))}");
        }

        // Whatever was reused, the files are those a fresh run on the edited inputs produces.
        var fresh = after.CreateDriver().RunGenerators(after.Compilation).GetRunResult().Results.Single();
        Assert.Equal(Texts(fresh), Texts(result));
    }

    /// <summary>
    /// Issue 15.5: a no-op rebuild (the same inputs; or every file read again with the same text,
    /// as after a save that changed nothing) runs no parse, check, bind or render step at all:
    /// each reports Cached, never Unchanged (which would mean it ran and produced an equal result).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_no_op_rebuild_runs_no_parse_bind_or_render_step(bool filesReadAgain)
    {
        var before = State.Initial();
        var driver = before.CreateDriver().RunGenerators(before.Compilation);
        var after = filesReadAgain ? before with { Texts = [.. before.Texts.Select(t => t.WithText(t.Text))] } : before;

        var result = after.Apply(before, driver).RunGenerators(after.Compilation).GetRunResult().Results.Single();

        string[] heavy = [StepNames.Parse, StepNames.Bind, StepNames.Render, StepNames.MachineChecks, StepNames.MachineBind, StepNames.MachineRender];
        foreach (var step in heavy)
        {
            var reasons = result.TrackedSteps[step].SelectMany(run => run.Outputs).Select(o => o.Reason).ToList();
            Assert.True(reasons.Count > 0, $"{step} has no outputs");
            Assert.True(reasons.All(r => r == Cached), $"{step}: {string.Join(", ", reasons)}");
        }
        // Every model's files are still there: 24 for models/ plus the include test's model.
        Assert.True(result.GeneratedSources.Length >= Repository.ModelFileNames.Count(), $"{result.GeneratedSources.Length} files");
    }

    [Fact]
    public void Every_step_named_in_the_table_exists()
    {
        var names = AllStepNames();

        Assert.All(s_cases, c => Assert.All(c.Value.Steps.Keys, step => Assert.Contains(step, names)));
    }

    private static IReadOnlyList<string> AllStepNames() =>
        [.. typeof(StepNames).GetFields().Select(f => (string)f.GetValue(null)!).Order(StringComparer.Ordinal)];

    private static Dictionary<string, Expect> StableExcept(params (string Step, Expect Expect)[] changed)
    {
        var steps = AllStepNames().ToDictionary(n => n, _ => s_stable, StringComparer.Ordinal);
        foreach (var (step, expect) in changed)
        {
            Assert.True(steps.ContainsKey(step), $"no step {step}");
            steps[step] = expect;
        }
        return steps;
    }

    private static string ReplaceFirst(string text, string oldValue, string newValue)
    {
        var i = text.IndexOf(oldValue, StringComparison.Ordinal);
        Assert.True(i >= 0, $"'{oldValue}' not found");
        return string.Concat(text.AsSpan(0, i), newValue, text.AsSpan(i + oldValue.Length));
    }

    private static SortedDictionary<string, string> Texts(GeneratorRunResult result) =>
        new(result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString()), StringComparer.Ordinal);

    /// <summary>
    /// The model (file name) an output belongs to: read from the value where it names one
    /// (a file's path, a spec's or view's file name), else from the step's inputs.
    /// </summary>
    private static string? OwnerOf(IncrementalGeneratorRunStep step, object? value, int depth = 0)
    {
        if (Owner(value) is { } owner)
            return owner;
        if (depth > 8)
            return null;
        foreach (var (source, index) in step.Inputs)
        {
            if (index < source.Outputs.Length && OwnerOf(source, source.Outputs[index].Value, depth + 1) is { } found)
                return found;
        }
        return null;
    }

    // Specs and views name their model file; the generator's own records (internal, so read by
    // property name) carry a path, or a spec or machine that does.
    private static string? Owner(object? value)
    {
        if (value is null)
            return null;
        if (value is ITuple tuple)
            return Enumerable.Range(0, tuple.Length).Select(i => Owner(tuple[i])).FirstOrDefault(o => o is not null);
        var type = value.GetType();
        if (type.GetProperty("FileName")?.GetValue(value) is string fileName)
            return fileName;
        if (type.GetProperty("Path")?.GetValue(value) is string path)
            return Path.GetFileName(path);
        return Owner(type.GetProperty("Spec")?.GetValue(value)) ?? Owner(type.GetProperty("Machine")?.GetValue(value));
    }

    /// <summary>The inputs of one run: every model as an AdditionalText, and one C# file.</summary>
    private sealed record State(ImmutableArray<TestAdditionalText> Texts, Compilation Compilation)
    {
        public static State Initial() => new(
            [.. Repository.ModelFileNames.Select(TestAdditionalText.Model), s_includer, s_fragment],
            GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Unrelated { internal const int Value = 1; } }"));

        public GeneratorDriver CreateDriver() => GeneratorHarness.CreateDriver(Texts, trackSteps: true);

        public State ReplaceText(string fileName, Func<string, string> edit)
        {
            var old = Texts.Single(t => Path.GetFileName(t.Path) == fileName);
            var edited = old.WithText(edit(old.Text));
            Assert.NotEqual(old.Text, edited.Text);
            return this with { Texts = Texts.Replace(old, edited) };
        }

        public State AddText(TestAdditionalText text) => this with { Texts = Texts.Add(text) };

        public State EditCode(string code)
        {
            var old = Compilation.SyntaxTrees.Single();
            var edited = CSharpSyntaxTree.ParseText(code, GeneratorHarness.ParseOptions, old.FilePath);
            return this with { Compilation = Compilation.ReplaceSyntaxTree(old, edited) };
        }

        /// <summary>Brings <paramref name="driver"/>, which ran on <paramref name="before"/>, up to these texts.</summary>
        public GeneratorDriver Apply(State before, GeneratorDriver driver)
        {
            foreach (var text in before.Texts.Where(t => !Texts.Contains(t)))
            {
                var replacement = Texts.FirstOrDefault(t => t.Path == text.Path);
                driver = replacement is null ? driver.RemoveAdditionalTexts([text]) : driver.ReplaceAdditionalText(text, replacement);
            }
            var added = Texts.Where(t => !before.Texts.Any(b => b.Path == t.Path)).ToImmutableArray<AdditionalText>();
            return added.IsEmpty ? driver : driver.AddAdditionalTexts(added);
        }
    }
}
