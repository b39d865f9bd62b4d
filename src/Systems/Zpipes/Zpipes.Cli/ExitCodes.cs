namespace Zpipes.Cli;

/// <summary>zpipes' exit codes: each says what failed, so scripts can react.</summary>
public static class ExitCodes
{
    /// <summary>The transfer completed (write: every chunk taken and the pipe closed; read: the pipe ended).</summary>
    public const int Success = 0;

    /// <summary>The broker refused: the pipe already has a reader/writer, the other side went (WRITE-FAILED, READ-FAILED), or INVALID.</summary>
    public const int BrokerRefused = 1;

    /// <summary>The command line does not parse.</summary>
    public const int Usage = 2;

    /// <summary>A request timed out (--timeout passed: READ-TIMEOUT, WRITE-TIMEOUT) or the broker did not answer at all.</summary>
    public const int TimeoutOrUnreachable = 3;

    /// <summary>Local I/O failed: stdin could not be read or stdout written (e.g. a closed pipe downstream).</summary>
    public const int LocalIo = 4;

    /// <summary>Interrupted by SIGINT/SIGTERM; the pipe was closed.</summary>
    public const int Interrupted = 130;
}
