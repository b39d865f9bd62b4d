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
    /// <summary>MSBuild/compiler style: <c>path(line,col): error ZP2001: message</c>.</summary>
    public override string ToString() =>
        $"{File}({Line},{Column}): {(Severity == Severity.Error ? "error" : "warning")} {Id}: {Message}";
}
