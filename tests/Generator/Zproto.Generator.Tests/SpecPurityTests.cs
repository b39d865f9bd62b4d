using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Zproto.CodeGen.Rendering;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Specs;
using Zproto.Generator.Tests.Infrastructure;
using Xunit;

namespace Zproto.Generator.Tests;

/// <summary>
/// The values that flow through the incremental pipeline are compared with Equals to decide what
/// to cache. These tests walk every field reachable from the step output types and prove that
/// none holds compiler objects, text or positions, and that every collection compares by value.
/// </summary>
public sealed class SpecPurityTests
{
    private static readonly Type[] s_forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(AdditionalText),
        typeof(SourceText), typeof(Location), typeof(XObject), typeof(YamlDotNet.RepresentationModel.YamlNode),
        typeof(Zproto.Model.Syntax.ModelNode),
    ];

    /// <summary>
    /// The types to walk: the model library's spec, the binder's view, templates, the generator's
    /// own records, and whatever the tracked steps actually output when run over every model.
    /// </summary>
    public static IReadOnlyList<Type> Roots { get; } =
        [.. new[] { typeof(ProtocolSpec), typeof(ProtocolView), typeof(TemplateSet) }
            .Concat(typeof(ZprotoGenerator).GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).Where(IsRecord))
            .Concat(ObservedStepOutputTypes())
            .Distinct()
            .OrderBy(t => t.Name, StringComparer.Ordinal)];

    public static TheoryData<string> RootNames => new(Roots.Select(RootName));

    // Generic step outputs (Bound<ProtocolView>, Bound<MachineView>) share a Name; their arguments tell them apart.
    private static string RootName(Type t) =>
        t.IsGenericType ? $"{t.Name}[{string.Join(",", t.GetGenericArguments().Select(a => a.Name))}]" : t.Name;

    [Fact]
    public void The_generator_has_its_pipeline_records_to_walk()
    {
        var names = Roots.Select(t => t.Name).ToList();

        Assert.Contains("ParsedModel", names);
        Assert.Contains("SpecInput", names);
        Assert.Contains("RenderOutput", names);
    }

    [Theory]
    [MemberData(nameof(RootNames))]
    public void No_symbol_syntax_text_node_or_location_is_reachable(string root)
    {
        var problems = new List<string>();
        Walk(Roots.Single(t => RootName(t) == root), root, new HashSet<Type>(), problems);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_tracked_step_output_is_walked()
    {
        Assert.Contains(typeof(ProtocolView), Roots);
        Assert.Contains(Roots, t => t.Name == "RenderOutput");
    }

    private static IEnumerable<Type> ObservedStepOutputTypes()
    {
        var texts = Repository.ModelFileNames.Select(TestAdditionalText.Model)
            .Append(new TestAdditionalText("/project/templates/Extra.hbs", "// {{ClassName}}\n"));
        var driver = GeneratorHarness.CreateDriver(texts, trackSteps: true).RunGenerators(GeneratorHarness.CreateCompilation());
        // Only the generator's own steps: Roslyn also tracks its input nodes (AdditionalTexts, ...).
        var ours = typeof(ZprotoGenerator.StepNames).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet(StringComparer.Ordinal);
        var values = driver.GetRunResult().Results.Single().TrackedSteps
            .Where(step => ours.Contains(step.Key))
            .SelectMany(step => step.Value).SelectMany(run => run.Outputs).Select(o => o.Value);
        return values.SelectMany(Unwrap).Select(v => v.GetType()).Distinct();
    }

    // Combine makes tuples and Collect makes ImmutableArrays; Roslyn compares those by their items.
    private static IEnumerable<object> Unwrap(object? value) => value switch
    {
        null => [],
        ITuple tuple => Enumerable.Range(0, tuple.Length).SelectMany(i => Unwrap(tuple[i])),
        System.Collections.IEnumerable items when value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(ImmutableArray<>) =>
            items.Cast<object?>().SelectMany(Unwrap),
        _ => [value],
    };

    private static void Walk(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (!seen.Add(type))
            return;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal))
            return;
        if (s_forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } forbidden)
        {
            problems.Add($"{path}: {type.Name} is a {forbidden.Name}");
            return;
        }
        if (type == typeof(object) || type.IsInterface || type.IsAbstract)
        {
            problems.Add($"{path}: {type.Name} could hold anything; a spec member needs a concrete, equatable type");
            return;
        }
        if (type.IsArray)
        {
            // Arrays compare by reference; only EquatableArray may wrap one.
            problems.Add($"{path}: {type.Name} compares by reference; use EquatableArray<T>");
            return;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            var item = type.GetGenericArguments()[0];
            Walk(item, $"{path}[]", seen, problems);
            return;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>))
        {
            Walk(type.GetGenericArguments()[0], path, seen, problems);
            return;
        }
        if (!type.IsValueType && !IsRecord(type))
        {
            problems.Add($"{path}: {type.Name} is a class without value equality (not a record)");
            return;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Walk(field.FieldType, $"{path}.{MemberName(field)}", seen, problems);
    }

    private static bool IsRecord(Type type) =>
        type.GetProperty("EqualityContract", BindingFlags.Instance | BindingFlags.NonPublic) is not null;

    // "<Messages>k__BackingField" reads better as "Messages".
    private static string MemberName(FieldInfo field) =>
        field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
}
