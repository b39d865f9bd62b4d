using System;

namespace Remctl.Client;

internal static class Program
{
    private static int Main(string[] args)
    {
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        return ClientCommand.Run(args, stdout, stderr);
    }
}
