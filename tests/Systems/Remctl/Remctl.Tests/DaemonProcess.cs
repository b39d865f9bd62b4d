using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Remctl.Tests;

/// <summary>
/// <c>remctl-zmqd</c> running as a real process, bound to <c>tcp://127.0.0.1:*</c> unless told
/// otherwise; the endpoint it chose is read from its log. Disposing kills it if it still runs.
/// </summary>
internal sealed partial class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stderr;

    private DaemonProcess(IReadOnlyList<string> args)
    {
        _process = Process.Start(Programs.StartInfo(Programs.DaemonDll, args))!;
        _process.StandardInput.Close();
        _stderr = Task.Run(ReadLogAsync);
    }

    public string Endpoint { get; private set; } = "";

    public int Id => _process.Id;

    /// <summary>Everything logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>Starts the daemon and waits until it listens.</summary>
    public static DaemonProcess Start(params string[] extraArgs) => StartBound("tcp://127.0.0.1:*", extraArgs);

    public static DaemonProcess StartBound(string bind, params string[] extraArgs)
    {
        var daemon = new DaemonProcess(["--bind", bind, .. extraArgs]);
        try
        {
            if (!daemon._listening.Task.Wait(TimeSpan.FromSeconds(30)))
                throw new TimeoutException("remctl-zmqd did not start listening within 30 s:\n" + daemon.Log);
            daemon.Endpoint = daemon._listening.Task.Result;
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGTERM as an init system would and returns the exit code.</summary>
    public int Terminate(int timeoutMs = 20_000)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        if (!_process.WaitForExit(timeoutMs))
            throw new TimeoutException("remctl-zmqd did not exit after SIGTERM:\n" + Log);
        _stderr.Wait(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    private async Task ReadLogAsync()
    {
        string? line;
        while ((line = await _process.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            lock (_log)
                _log.AppendLine(line);
            if (ListeningLine().Match(line) is { Success: true } match)
                _listening.TrySetResult(match.Groups[1].Value);
        }
        _listening.TrySetException(new InvalidOperationException("remctl-zmqd exited before listening:\n" + Log));
    }

    [GeneratedRegex(@"listening on (tcp://\S+)")]
    private static partial Regex ListeningLine();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
