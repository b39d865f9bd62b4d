namespace Zproto.Model.Diagnostics;

/// <summary>How bad a model problem is. Any <see cref="Error"/> means no code is emitted.</summary>
public enum Severity
{
    /// <summary>Worth knowing; code is still emitted.</summary>
    Warning,
    /// <summary>The model is wrong; nothing is emitted.</summary>
    Error,
}

/// <summary>
/// One problem found in a model, with the file and the 1-based line and column of the element,
/// attribute or scalar it concerns. Kept apart from specs, so a spec never carries a position.
/// </summary>
public sealed record ModelDiagnostic(string Id, Severity Severity, string Message, string File, int Line, int Column)
{
    /// <summary>
    /// The arguments <see cref="Message"/> was formatted from with its descriptor's format, so the
    /// compiler can be given the descriptor's real message format and these arguments.
    /// </summary>
    public EquatableArray<string> Arguments { get; init; } = EquatableArray<string>.Empty;

    /// <summary>A diagnostic of kind <paramref name="descriptor"/> at a position, its message formatted from <paramref name="args"/>.</summary>
    public static ModelDiagnostic Create(DiagnosticDescriptor descriptor, string file, int line, int column, params object[] args)
    {
        var texts = new string[args.Length];
        for (var i = 0; i < args.Length; i++)
            texts[i] = System.Convert.ToString(args[i], System.Globalization.CultureInfo.InvariantCulture) ?? "";
        var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, descriptor.Format, texts);
        return new ModelDiagnostic(descriptor.Id, descriptor.Severity, message, file, line, column) { Arguments = texts.ToEquatableArray() };
    }

    /// <summary>MSBuild/compiler style: <c>path(line,col): error ZP2001: message</c>.</summary>
    public override string ToString() =>
        $"{File}({Line},{Column}): {(Severity == Severity.Error ? "error" : "warning")} {Id}: {Message}";
}
