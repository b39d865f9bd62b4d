using System;
using System.Collections.Generic;
using System.Linq;

namespace Zpd;

/// <summary>Bounds and windows of the job table.</summary>
internal sealed record JobLimits
{
    /// <summary>Output kept per stream of a job (and, while a follower is attached, the most it may lag behind).</summary>
    public long OutputBound { get; init; } = 4 * 1024 * 1024;

    /// <summary>Stdin bytes a client may have in flight (the server re-grants as the program reads).</summary>
    public ulong StdinWindow { get; init; } = 256 * 1024;

    /// <summary>Largest EXEC-CHUNK payload.</summary>
    public int MaxChunk { get; init; } = 64 * 1024;

    /// <summary>How long an ended job stays listed.</summary>
    public TimeSpan EndedRetention { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most jobs kept at once (ended ones are dropped oldest first to make room; running ones refuse new starts).</summary>
    public int MaxJobs { get; init; } = 1000;

    /// <summary>Time between SIGTERM and SIGKILL on cancel and shutdown.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>What a job's program needs to start.</summary>
internal sealed record JobLaunch(IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment, string? WorkingDirectory, bool PipeStdin, LocalUser? RunAs = null);

/// <summary>A request that cannot be served; the server answers ERROR with this code and keeps the session.</summary>
internal sealed class JobRequestException(ushort code, string reason) : Exception(reason)
{
    public ushort Code { get; } = code;
}

/// <summary>
/// zpd's jobs: start, list, describe, follow, cancel; output buffered per job and streamed to
/// followers under their credit; backpressure to the program when an attached follower lags by
/// the bound. Jobs belong to a session key (user and client id) and outlive sessions. Not
/// thread-safe: the server calls it on its own thread, and the process events are marshalled there.
/// </summary>
internal sealed class JobTable : IJobEvents
{
    public const ushort Running = 1024;
    public const ushort Queued = 1025;

    private readonly Dictionary<uint, Job> _jobs = new();
    private readonly IJobTransport _transport;
    private readonly Func<Job, JobLaunch, IJobEvents, IJobProcess> _launcher;
    private readonly Func<long> _clock;
    private uint _nextHandle;

    public JobTable(JobLimits limits, IJobTransport transport, Func<Job, JobLaunch, IJobEvents, IJobProcess> launcher, Func<long>? clock = null)
    {
        Limits = limits;
        _transport = transport;
        _launcher = launcher;
        _clock = clock ?? (() => Environment.TickCount64);
        // Handles start at a random point so a restarted zpd does not hand out a previous run's handles.
        _nextHandle = (uint)Random.Shared.Next(1, 1 << 20);
    }

    public JobLimits Limits { get; }

    public int Count => _jobs.Count;

    /// <summary>The key jobs and sessions are owned by.</summary>
    public static string OwnerKey(string user, string clientId) => user + "\n" + clientId;

    /// <summary>Starts a job. Synchronous jobs (not <paramref name="detached"/>) attach <paramref name="owner"/> as a follower of both streams.</summary>
    public Job Start(string owner, JobLaunch launch, bool detached, ulong credit)
    {
        if (launch.Args.Count == 0 || launch.Args[0].Length == 0)
            throw new JobRequestException(400, "no command");
        Sweep();
        if (_jobs.Count >= Limits.MaxJobs)
            throw new JobRequestException(503, "too many jobs");
        var job = new Job(NextHandle(), owner, launch.Args, Limits.OutputBound);
        _jobs.Add(job.Handle, job);
        if (!detached)
            job.Followers.Add(new Follower(owner, 3, 0, 0, (long)Math.Min(credit, long.MaxValue)));
        job.State = JobState.Running;
        job.Process = _launcher(job, launch, this);
        return job;
    }

    /// <summary>Stdin credit to grant after the start reply (only when stdin is piped).</summary>
    public void GrantInitialStdin(Job job) => _transport.SendStdinCredit(job.Owner, job.Handle, Limits.StdinWindow);

    /// <summary>The job with <paramref name="handle"/> owned by <paramref name="owner"/>; 404 otherwise (another owner's job does not leak).</summary>
    public Job Get(string owner, uint handle) =>
        _jobs.TryGetValue(handle, out var job) && job.Owner == owner ? job : throw new JobRequestException(404, "no such job");

    public IReadOnlyList<Job> List(string owner)
    {
        Sweep();
        return _jobs.Values.Where(j => j.Owner == owner).OrderBy(j => j.Handle).ToList();
    }

    /// <summary>EXEC-STATUS-REPLY's returncode for a job.</summary>
    public static ushort StatusCode(Job job) => job.ExitCode is { } code ? (ushort)code : job.State == JobState.Queued ? Queued : Running;

    /// <summary>The details <c>zp job status</c> prints.</summary>
    public IReadOnlyList<(string Key, string Value)> Describe(Job job)
    {
        var info = new List<(string, string)>
        {
            ("status", job.State.ToString().ToLowerInvariant()),
            ("command_line", job.CommandLine),
            ("stdout", Attached(job, 0) ? "connected" : "disconnected"),
            ("stderr", Attached(job, 1) ? "connected" : "disconnected"),
        };
        if (job.ExitCode is { } code)
            info.Add(("returncode", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return info;
    }

    /// <summary>Attaches (or re-attaches) <paramref name="session"/> to a job's output from the given offsets; acknowledged by a RUNNING status when the job still runs.</summary>
    public void Follow(string session, Job job, byte mask, long stdoutOffset, long stderrOffset, long credit)
    {
        if (mask is < 1 or > 3)
            throw new JobRequestException(400, "mask must be 1, 2 or 3");
        job.Followers.RemoveAll(f => f.Session == session);
        job.Followers.Add(new Follower(session, mask, stdoutOffset, stderrOffset, credit));
        if (!job.Ended)
            _transport.SendStatus(session, job.Handle, Running);
        Pump(job);
    }

    /// <summary>EXEC-CREDIT for output: the session has room for <paramref name="credit"/> more bytes.</summary>
    public void AddCredit(string session, uint handle, ulong credit)
    {
        if (!_jobs.TryGetValue(handle, out var job))
            return;
        foreach (var follower in job.Followers)
        {
            if (follower.Session == session)
                follower.Credit = (long)Math.Min((ulong)follower.Credit + credit, long.MaxValue);
        }
        Pump(job);
    }

    /// <summary>An fd-0 chunk: bytes for stdin, or end of file when empty. Input after the job ended is dropped.</summary>
    public void WriteInput(Job job, ReadOnlyMemory<byte> data)
    {
        if (job.Ended || job.Process is null)
            return;
        if (data.IsEmpty)
            job.Process.CloseInput();
        else
            job.Process.WriteInput(data);
    }

    /// <summary>Starts killing the job; <paramref name="session"/> hears its final status.</summary>
    public void Cancel(string session, Job job)
    {
        if (job.Ended)
        {
            _transport.SendStatus(session, job.Handle, StatusCode(job));
            return;
        }
        if (!job.Cancellers.Contains(session))
            job.Cancellers.Add(session);
        job.State = JobState.Cancelled;
        job.Process?.Terminate(Limits.KillGrace);
    }

    /// <summary>A session ended (closed or expired): it follows nothing any more, so its jobs buffer (bounded) instead of waiting.</summary>
    public void SessionEnded(string session)
    {
        foreach (var job in _jobs.Values)
        {
            if (job.Followers.RemoveAll(f => f.Session == session) > 0)
                UpdateRoom(job);
        }
    }

    /// <summary>Shutdown: terminate every running job.</summary>
    public void TerminateAll()
    {
        foreach (var job in _jobs.Values)
        {
            if (!job.Ended)
                job.Process?.Terminate(Limits.KillGrace);
        }
    }

    public int RunningCount => _jobs.Values.Count(j => !j.Ended);

    // ---- process events (on the server thread) -------------------------------------------------

    void IJobEvents.Output(Job job, int fd, byte[] data)
    {
        job.Output[fd - 1].Append(data);
        Pump(job);
    }

    void IJobEvents.OutputClosed(Job job, int fd)
    {
        job.OutputClosed[fd - 1] = true;
        Pump(job);
    }

    void IJobEvents.InputWritten(Job job, int count)
    {
        if (!job.Ended)
            _transport.SendStdinCredit(job.Owner, job.Handle, (ulong)count);
    }

    void IJobEvents.Exited(Job job, int exitCode, bool failedToStart)
    {
        job.ExitCode = exitCode;
        if (job.State != JobState.Cancelled)
            job.State = failedToStart ? JobState.Failed : JobState.Finished;
        job.EndedAt = _clock();
        // The pipes are closed by now; a process that never started has none.
        job.OutputClosed[0] = job.OutputClosed[1] = true;
        foreach (var session in job.Cancellers)
            _transport.SendStatus(session, job.Handle, (ushort)exitCode);
        job.Cancellers.Clear();
        Pump(job);
    }

    // ---- streaming -----------------------------------------------------------------------------

    /// <summary>Sends each follower what it has credit for, ends drained followers with the final status, and sets backpressure.</summary>
    private void Pump(Job job)
    {
        for (var i = job.Followers.Count - 1; i >= 0; i--)
        {
            var follower = job.Followers[i];
            SendAvailable(job, follower);
            if (job.Drained(follower))
            {
                job.Followers.RemoveAt(i);
                _transport.SendStatus(follower.Session, job.Handle, StatusCode(job));
            }
        }
        UpdateRoom(job);
    }

    private void SendAvailable(Job job, Follower follower)
    {
        var progress = true;
        while (follower.Credit > 0 && progress)
        {
            progress = false;
            // Alternate between the streams chunk by chunk so neither starves the other.
            for (var i = 0; i < 2 && follower.Credit > 0; i++)
            {
                if ((follower.Mask & (1 << i)) == 0)
                    continue;
                var data = job.Output[i].Read(follower.Offsets[i], (int)Math.Min(Limits.MaxChunk, follower.Credit), out var offset);
                if (data.IsEmpty)
                {
                    follower.Offsets[i] = offset;
                    continue;
                }
                _transport.SendChunk(follower.Session, job.Handle, i + 1, data);
                follower.Offsets[i] = offset + data.Length;
                follower.Credit -= data.Length;
                progress = true;
            }
        }
    }

    private static bool Attached(Job job, int stream) => job.Followers.Any(f => (f.Mask & (1 << stream)) != 0);

    private void UpdateRoom(Job job)
    {
        if (job.Process is null || job.Ended)
            return;
        for (var i = 0; i < 2; i++)
        {
            // Unfollowed output only fills the bounded buffer (oldest dropped); followed output waits
            // for the slowest follower, so nothing it has not received is ever dropped.
            var lag = 0L;
            foreach (var follower in job.Followers)
            {
                if ((follower.Mask & (1 << i)) != 0)
                    lag = Math.Max(lag, job.Output[i].End - follower.Offsets[i]);
            }
            job.Process.SetRoom(i + 1, lag + Limits.MaxChunk <= Limits.OutputBound);
        }
    }

    private uint NextHandle()
    {
        do
        {
            _nextHandle = _nextHandle >= 0x7FFF_FFFF ? 1 : _nextHandle + 1;
        }
        while (_jobs.ContainsKey(_nextHandle));
        return _nextHandle;
    }

    /// <summary>Drops ended jobs past their retention, and the oldest ended ones when the table is full.</summary>
    public void Sweep()
    {
        var now = _clock();
        foreach (var job in _jobs.Values.Where(j => j.Ended && j.Followers.Count == 0 && now - j.EndedAt > (long)Limits.EndedRetention.TotalMilliseconds).ToList())
            _jobs.Remove(job.Handle);
        if (_jobs.Count < Limits.MaxJobs)
            return;
        foreach (var job in _jobs.Values.Where(j => j.Ended).OrderBy(j => j.EndedAt).Take(_jobs.Count - Limits.MaxJobs + 1).ToList())
            _jobs.Remove(job.Handle);
    }
}
