using System;

namespace Zp.Client;

/// <summary>ssh's first-contact question on the terminal, for the CLIs' <see cref="HostKeyPolicy.Confirm"/>.</summary>
public static class HostKeyPrompt
{
    /// <summary>True when someone can answer: stdin and stderr are a terminal (scripts and pipes are never asked).</summary>
    public static bool Interactive => !Console.IsInputRedirected && !Console.IsErrorRedirected;

    /// <summary>Shows the fingerprint and asks; only "yes" trusts the key, as ssh.</summary>
    public static bool Ask(string authority, string fingerprint)
    {
        Console.Error.WriteLine($"The authenticity of host '{authority}' can't be established.");
        Console.Error.WriteLine($"Its CURVE key fingerprint is {fingerprint}.");
        while (true)
        {
            Console.Error.Write("Are you sure you want to continue connecting (yes/no)? ");
            switch (Console.ReadLine()?.Trim().ToLowerInvariant())
            {
                case "yes":
                    return true;
                case "no" or null:
                    return false;
                default:
                    Console.Error.WriteLine("Please type 'yes' or 'no'.");
                    break;
            }
        }
    }
}
