namespace Zproto.Soak;

/// <summary>One attack's outcome: what was done, the bound it had to stay within, what was measured.</summary>
internal sealed record Result(string System, string Attack, string Bound, string Measured, bool Passed)
{
    public string ToMarkdownRow() => $"| {System} | {Attack} | {Bound} | {Measured} | {(Passed ? "pass" : "**FAIL**")} |";

    public static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):0.#} MiB";
}
