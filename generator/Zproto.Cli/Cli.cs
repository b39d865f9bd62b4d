namespace Zproto.Cli;

/// <summary>The command tree (filled in by the commands).</summary>
internal static class Cli
{
    public static int Run(string[] args) => 0;
}
