namespace Remctl.Daemon;

internal static class Program
{
    private static int Main(string[] args) => DaemonCommand.Run(args);
}
