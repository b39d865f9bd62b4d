namespace Zp.Client;

/// <summary>The EXEC <c>aux</c> keys zp defines (the spec's suggested control keys).</summary>
public static class ExecKeys
{
    /// <summary><c>async=1</c>: start a background job; the session is not attached to its output.</summary>
    public const string Async = "async";

    /// <summary><c>stdin=pipe|null</c>: whether the client streams stdin (default null: the child reads end of file).</summary>
    public const string Stdin = "stdin";

    /// <summary><c>cwd=DIR</c>: working directory (default: the user's home).</summary>
    public const string Cwd = "cwd";

    /// <summary><c>credit=N</c>: output bytes the server may send before the client grants more.</summary>
    public const string Credit = "credit";

    /// <summary>Output credit when the client names none.</summary>
    public const ulong DefaultCredit = 256 * 1024;

    /// <summary>Largest EXEC-CHUNK payload either side sends.</summary>
    public const int MaxChunk = 64 * 1024;

    /// <summary>
    /// FILE-CHUNK payload zpc sends: four times an exec chunk, so a large copy costs a quarter of
    /// the messages (each crosses several threads on both sides).
    /// </summary>
    public const int FileChunk = 256 * 1024;

    /// <summary>EXEC-STATUS-REPLY returncode: the job is running.</summary>
    public const ushort Running = 1024;

    /// <summary>EXEC-STATUS-REPLY returncode: the job is queued.</summary>
    public const ushort Queued = 1025;
}
