using System;

namespace Zpd;

/// <summary>The running program behind a job, as the job table drives it (a fake in unit tests).</summary>
internal interface IJobProcess
{
    /// <summary>Queues bytes for the program's stdin; <see cref="IJobEvents.InputWritten"/> reports them written.</summary>
    void WriteInput(ReadOnlyMemory<byte> data);

    /// <summary>Closes the program's stdin (end of file).</summary>
    void CloseInput();

    /// <summary>Lets the output pump for fd 1 or 2 read more (true) or makes it wait (false): backpressure from followers.</summary>
    void SetRoom(int fd, bool room);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/> if it is still running.</summary>
    void Terminate(TimeSpan grace);
}

/// <summary>What a job's process reports; the server marshals each call onto its own thread.</summary>
internal interface IJobEvents
{
    void Output(Job job, int fd, byte[] data);

    void OutputClosed(Job job, int fd);

    void InputWritten(Job job, int count);

    void Exited(Job job, int exitCode, bool failedToStart);
}

/// <summary>Where the job table sends what sessions must hear; the server's sends, a recorder in tests.</summary>
internal interface IJobTransport
{
    void SendChunk(string session, uint handle, int fd, ReadOnlyMemory<byte> data);

    void SendStatus(string session, uint handle, ushort returncode);

    void SendStdinCredit(string session, uint handle, ulong credit);
}
