using System;
using System.Collections.Generic;

namespace Zpd;

/// <summary>A job's life: queued (not started yet), running, then finished, failed (could not start) or cancelled.</summary>
internal enum JobState
{
    Queued,
    Running,
    Finished,
    Failed,
    Cancelled,
}

/// <summary>
/// A command zpd runs: owned by (user, client id), it outlives the session that started it. Its
/// output is buffered per stream (<see cref="OutputBuffer"/>) for followers; touched only on the
/// server's thread.
/// </summary>
internal sealed class Job
{
    public Job(uint handle, string owner, IReadOnlyList<string> args, long outputBound)
    {
        Handle = handle;
        Owner = owner;
        Args = args;
        Output = new[] { new OutputBuffer(outputBound), new OutputBuffer(outputBound) };
    }

    public uint Handle { get; }

    /// <summary>The owning session key (user and client id, see <see cref="JobTable.OwnerKey"/>).</summary>
    public string Owner { get; }

    public IReadOnlyList<string> Args { get; }

    public JobState State { get; set; } = JobState.Queued;

    /// <summary>The exit status once ended: 0–255, 128+N for signal N, 127 when the command could not run.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Stdout (index 0) and stderr (index 1).</summary>
    public OutputBuffer[] Output { get; }

    /// <summary>True once the stream's pipe reached end of file.</summary>
    public bool[] OutputClosed { get; } = new bool[2];

    public List<Follower> Followers { get; } = new();

    /// <summary>Sessions that asked to cancel and wait for the final status.</summary>
    public List<string> Cancellers { get; } = new();

    public IJobProcess? Process { get; set; }

    /// <summary>When the job ended (Environment.TickCount64), for retention.</summary>
    public long EndedAt { get; set; }

    public bool Ended => State is JobState.Finished or JobState.Failed or JobState.Cancelled;

    /// <summary>The command line as <c>zp job status</c> prints it: arguments joined by spaces.</summary>
    public string CommandLine => string.Join(' ', Args);

    /// <summary>True when every byte of the followed streams was sent and the job ended.</summary>
    public bool Drained(Follower follower)
    {
        if (!Ended)
            return false;
        for (var i = 0; i < 2; i++)
        {
            if ((follower.Mask & (1 << i)) != 0 && (!OutputClosed[i] || follower.Offsets[i] < Output[i].End))
                return false;
        }
        return true;
    }
}

/// <summary>A session attached to a job's output: which streams, how far it has received, and the credit it granted.</summary>
internal sealed class Follower(string session, byte mask, long stdoutOffset, long stderrOffset, long credit)
{
    public string Session { get; } = session;

    /// <summary>1 stdout, 2 stderr, 3 both.</summary>
    public byte Mask { get; } = mask;

    public long[] Offsets { get; } = { stdoutOffset, stderrOffset };

    public long Credit { get; set; } = credit;
}
