using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Zproto.Generator.Tests.Infrastructure;
using Zproto.Testing;
using Xunit;

namespace Zproto.Generator.Tests;

/// <summary>
/// A client method's <c>number</c> arguments and reply properties are as wide as their model
/// <c>size</c> says (1, 2, 4, 8 octets: byte, ushort, uint, ulong; uint without a size), checked in
/// the compiled API and in a verified snapshot of the generated client.
/// </summary>
public sealed class MethodNumberTests
{
    private static readonly SnapshotDirectory s_snapshots = new(Path.Combine(Repository.TestSourceDirectory, "Snapshots", "Fixtures"));

    private const string Protocol = """
        <class name = "counter_msg" signature = "6">
            <message name = "ADD" id = "1">
                <field name = "small" type = "number" size = "1" />
                <field name = "short" type = "number" size = "2" />
                <field name = "plain" type = "number" size = "4" />
                <field name = "wide" type = "number" size = "8" />
            </message>
            <message name = "ADD-OK" id = "2"><field name = "total" type = "number" size = "8" /></message>
        </class>
        """;

    private const string Client = """
        <class name = "counter_client" protocol_class = "counter_msg" script = "zproto_client_c">
            <state name = "start">
                <event name = "increase"><action name = "send" message = "ADD" /></event>
                <event name = "ADD-OK"><action name = "signal added" /></event>
                <event name = "*" />
            </state>
            <method name = "increase">
                <field argument = "small" type = "number" size = "1" />
                <field argument = "short" type = "number" size = "2" />
                <field argument = "plain" type = "number" size = "4" />
                <field argument = "wide" type = "number" size = "8" />
                <field argument = "unsized" type = "number" />
                <accept reply = "added" />
            </method>
            <reply name = "added">
                <field property = "total" type = "number" size = "8" />
                <field property = "count" type = "number" size = "2" />
            </reply>
        </class>
        """;

    [Fact]
    public void Method_arguments_and_reply_properties_take_the_width_of_their_size()
    {
        var outcome = GeneratorHarness.Run([new TestAdditionalText("counter_msg.xml", Protocol), new TestAdditionalText("counter_client.xml", Client)]);
        Assert.True(outcome.GeneratorDiagnostics.IsEmpty, GeneratorHarness.Format(outcome.GeneratorDiagnostics));
        var client = outcome.Sources.Single(s => s.HintName.EndsWith(".Client.g.cs", StringComparison.Ordinal));

        var tree = outcome.Compilation.SyntaxTrees.Single(t => t.FilePath.EndsWith(client.HintName, StringComparison.Ordinal));
        var model = outcome.Compilation.GetSemanticModel(tree);
        var increaseAsync = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "IncreaseAsync");
        var parameters = ((IMethodSymbol)model.GetDeclaredSymbol(increaseAsync)!).Parameters.Take(5).Select(p => (p.Name, p.Type.SpecialType)).ToArray();
        Assert.Equal(
            [("small", SpecialType.System_Byte), ("short", SpecialType.System_UInt16), ("plain", SpecialType.System_UInt32), ("wide", SpecialType.System_UInt64), ("unsized", SpecialType.System_UInt32)],
            parameters);

        var added = outcome.Compilation.GetTypeByMetadataName("Zproto.Generated.CounterClient+Added")!;
        Assert.Equal(SpecialType.System_UInt64, ((IPropertySymbol)added.GetMembers("Total").Single()).Type.SpecialType);
        Assert.Equal(SpecialType.System_UInt16, ((IPropertySymbol)added.GetMembers("Count").Single()).Type.SpecialType);

        // The rest of the client compiles: only the user's action is left to write.
        var errors = outcome.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !GeneratorHarness.IsActionForTheUser(d)).ToList();
        Assert.True(errors.Count == 0, GeneratorHarness.Format(errors));
        s_snapshots.Verify(SnapshotDirectory.NameOf(client.HintName), client.SourceText.ToString());
    }
}
