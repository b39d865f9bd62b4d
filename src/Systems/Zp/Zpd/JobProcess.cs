using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Zpd;

/// <summary>
/// Runs a job's program as a child process: stdin fed from a queue, stdout and stderr read in
/// chunks (each pump waits while its <see cref="Gate"/> is closed: backpressure), and the exit
/// reported after both pipes reached end of file. A program that cannot be started exits 127 with
/// the reason on stderr (the shell's "command not found" convention).
/// </summary>
internal sealed partial class JobProcess : IJobProcess
{
    public const int NotFoundExitCode = 127;
    private const string SetprivPath = "/usr/bin/setpriv";
    private const int Sigterm = 15;

    private readonly Job _job;
    private readonly IJobEvents _events;
    private readonly Process _process = new();
    private readonly Gate[] _room = { new(), new() };
    private readonly Channel<ReadOnlyMemory<byte>> _stdin = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _chunkSize;
    private int _terminating;

    private JobProcess(Job job, IJobEvents events, int chunkSize)
    {
        _job = job;
        _events = events;
        _chunkSize = chunkSize;
    }

    /// <summary>Starts <paramref name="launch"/>; every event goes through <paramref name="events"/> (which marshals to the server thread).</summary>
    public static JobProcess Start(Job job, JobLaunch launch, IJobEvents events, int chunkSize)
    {
        var runner = new JobProcess(job, events, chunkSize);
        runner.Run(launch);
        return runner;
    }

    private void Run(JobLaunch launch)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = launch.WorkingDirectory ?? launch.RunAs?.Home ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        };
        if (launch.RunAs is { } user)
        {
            // zpd is root: switch uid, gid and supplementary groups in the child (util-linux setpriv),
            // so nothing of root's identity reaches the command.
            info.FileName = SetprivPath;
            foreach (var arg in new[] { "--reuid", user.Uid.ToString(CultureInfo.InvariantCulture), "--regid", user.Gid.ToString(CultureInfo.InvariantCulture), "--init-groups", "--" })
                info.ArgumentList.Add(arg);
            info.ArgumentList.Add(launch.Args[0]);
            info.Environment["HOME"] = user.Home;
            info.Environment["USER"] = user.Name;
            info.Environment["LOGNAME"] = user.Name;
        }
        else
        {
            info.FileName = launch.Args[0];
        }
        for (var i = 1; i < launch.Args.Count; i++)
            info.ArgumentList.Add(launch.Args[i]);
        foreach (var (key, value) in launch.Environment)
            info.Environment[key] = value;
        _process.StartInfo = info;
        try
        {
            _process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            var reason = Encoding.UTF8.GetBytes($"zpd: {launch.Args[0]}: {Describe(e)}\n");
            _events.Output(_job, 2, reason);
            _events.Exited(_job, NotFoundExitCode, failedToStart: true);
            return;
        }
        if (!launch.PipeStdin)
            _process.StandardInput.Close();
        else
            _ = Task.Run(FeedStdinAsync);
        var stdout = Task.Run(() => PumpAsync(1, _process.StandardOutput.BaseStream));
        var stderr = Task.Run(() => PumpAsync(2, _process.StandardError.BaseStream));
        _ = Task.Run(async () =>
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            _stdin.Writer.TryComplete();
            // .NET reports a child killed by signal N as 128+N, the shell's convention.
            _events.Exited(_job, _process.ExitCode & 0xFF, failedToStart: false);
        });
    }

    private static string Describe(Exception e) =>
        e is Win32Exception { NativeErrorCode: 2 } ? "command not found" : e.Message;

    private async Task PumpAsync(int fd, Stream stream)
    {
        try
        {
            while (true)
            {
                await _room[fd - 1].WaitAsync().ConfigureAwait(false);
                var buffer = new byte[_chunkSize];
                var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                    break;
                _events.Output(_job, fd, read == buffer.Length ? buffer : buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (IOException)
        {
            // The pipe broke: treat as end of file.
        }
        _events.OutputClosed(_job, fd);
    }

    private async Task FeedStdinAsync()
    {
        var input = _process.StandardInput.BaseStream;
        try
        {
            await foreach (var data in _stdin.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await input.WriteAsync(data).ConfigureAwait(false);
                await input.FlushAsync().ConfigureAwait(false);
                _events.InputWritten(_job, data.Length);
            }
        }
        catch (IOException)
        {
            // The program closed its stdin (e.g. head): the rest is dropped, as a pipe would.
        }
        try
        {
            input.Close();
        }
        catch (IOException)
        {
            // Already broken.
        }
    }

    public void WriteInput(ReadOnlyMemory<byte> data) => _stdin.Writer.TryWrite(data);

    public void CloseInput() => _stdin.Writer.TryComplete();

    public void SetRoom(int fd, bool room) => _room[fd - 1].Set(room);

    public void Terminate(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _terminating, 1) != 0)
            return;
        int pid;
        try
        {
            if (_process.HasExited)
                return;
            pid = _process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }
        // Output must keep flowing while the program dies, or it could block on a full pipe.
        _room[0].Set(true);
        _room[1].Set(true);
        _ = Kill(pid, Sigterm);
        _ = Task.Delay(grace).ContinueWith(_ =>
        {
            try
            {
                if (!_process.HasExited)
                    _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }, TaskScheduler.Default);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
