using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Zproto.Generator.Tests.Infrastructure;
using Zproto.Testing;
using Xunit;

namespace Zproto.Generator.Tests;

/// <summary>
/// The code generated for a model with <c>strings = "utf8"</c>, which no model in models/ uses:
/// Fixtures/utf8_strings_msg.xml puts text everywhere a model can (header, message, composite, list
/// items, constant, rest of frame, strings, hash). Its codec and messages are compared with verified
/// snapshots in Snapshots/Fixtures, and the fields that become Utf8Text, and those that stay string,
/// are checked in the compiled API.
/// </summary>
public sealed class Utf8StringsSnapshotTests
{
    private static readonly SnapshotDirectory s_snapshots = new(Path.Combine(Repository.TestSourceDirectory, "Snapshots", "Fixtures"));

    private static readonly string s_model = Path.Combine(Repository.TestSourceDirectory, "Fixtures", "utf8_strings_msg.xml");

    private static GeneratorOutcome Generate() =>
        GeneratorHarness.Run([new TestAdditionalText(s_model, File.ReadAllText(s_model))]);

    [Fact]
    public void Codec_and_messages_match_their_verified_snapshots()
    {
        var outcome = Generate();
        Assert.True(outcome.GeneratorDiagnostics.IsEmpty, GeneratorHarness.Format(outcome.GeneratorDiagnostics));
        Assert.Equal(["Zproto.Generated.Utf8StringsMsg.Codec.g.cs", "Zproto.Generated.Utf8StringsMsg.Messages.g.cs"], outcome.HintNames.Order(StringComparer.Ordinal));

        // Warning-free, as the generated code of every model must be.
        var diagnostics = outcome.Compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(diagnostics.Count == 0, GeneratorHarness.Format(diagnostics));

        foreach (var source in outcome.Sources)
            s_snapshots.Verify(SnapshotDirectory.NameOf(source.HintName), source.SourceText.ToString());
    }

    [Theory]
    [InlineData("Contact", "Name", "global::Zproto.Wire.Utf8Text")]
    [InlineData("Contact", "Address", "global::Zproto.Wire.Utf8Text")]
    [InlineData("Note", "Origin", "global::Zproto.Wire.Utf8Text")]
    [InlineData("Note", "Title", "global::Zproto.Wire.Utf8Text")]
    [InlineData("Note", "Body", "global::Zproto.Wire.Utf8Text")]
    [InlineData("Note", "Tags", "global::System.Collections.Generic.IReadOnlyList<global::Zproto.Wire.Utf8Text>")]
    [InlineData("Note", "Lines", "global::System.Collections.Generic.IReadOnlyList<global::Zproto.Wire.Utf8Text>")]
    [InlineData("Note", "Kind", "string")]
    [InlineData("Note", "Aliases", "global::System.Collections.Generic.IReadOnlyList<string>")]
    [InlineData("Note", "Headers", "global::Zproto.Wire.ZprotoHash")]
    [InlineData("Trailer", "Origin", "global::Zproto.Wire.Utf8Text")]
    [InlineData("Trailer", "Rest", "string")]
    public void Text_fields_have_the_documented_types(string record, string property, string type)
    {
        var symbol = Generate().Compilation.GetTypeByMetadataName("Zproto.Generated.Utf8StringsMsg+" + record);
        Assert.NotNull(symbol);
        var member = Assert.IsAssignableFrom<IPropertySymbol>(Assert.Single(symbol.GetMembers(property)));
        Assert.Equal(type, member.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
    }
}
