using System;
using System.Text;

namespace Zproto.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Decoded strings and diagnostics may hold any Unicode; never let a code page mangle them.
        try
        {
            Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }
        catch (Exception e) when (e is System.IO.IOException or PlatformNotSupportedException)
        {
            // No console to configure (a service, some CI hosts): the default writers still work.
        }
        return Cli.Run(args, Console.Out, Console.Error, Console.In);
    }
}
