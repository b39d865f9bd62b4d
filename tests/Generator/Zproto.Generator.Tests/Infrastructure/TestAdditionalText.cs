using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Zproto.Generator.Tests.Infrastructure;

/// <summary>An AdditionalFile held in memory, as MSBuild would hand it to the compiler.</summary>
internal sealed class TestAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

    public override string Path { get; } = path;

    public string Text { get; } = text;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;

    /// <summary>A new file at the same path with other text (for ReplaceAdditionalText).</summary>
    public TestAdditionalText WithText(string newText) => new(Path, newText);

    /// <summary>One of the real models in models/, at its real path.</summary>
    public static TestAdditionalText Model(string fileName) =>
        new(Repository.ModelPath(fileName), Repository.ReadModel(fileName));
}
