using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Zproto.Tests.Shared;

/// <summary>
/// Runs a program's dll (built next to the tests) with <c>dotnet</c> as a child process, signals it,
/// or runs it to completion. Shared as source by the tests of the systems' command-line programs.
/// </summary>
internal static partial class ChildProcesses
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    public static Process Start(string dll, IEnumerable<string> args, bool redirectInput = false)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
    }

    public static void Signal(Process process, int signal)
    {
        if (Kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>
    /// Runs <paramref name="dll"/> to completion, feeding it <paramref name="stdin"/> (then end of
    /// file); kills it and throws <see cref="TimeoutException"/> after <paramref name="limit"/>.
    /// </summary>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(string dll, IEnumerable<string> args, byte[]? stdin, TimeSpan limit)
    {
        using var process = Start(dll, args, redirectInput: true);
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        var feed = Task.Run(async () =>
        {
            try
            {
                if (stdin is not null)
                    await process.StandardInput.BaseStream.WriteAsync(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited before reading all of stdin.
            }
        });
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{Path.GetFileNameWithoutExtension(dll)} {string.Join(' ', args)} did not finish; stderr: {await stderr}");
        }
        await copyOut;
        await feed;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}
