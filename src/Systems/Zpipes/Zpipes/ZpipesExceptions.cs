using System;
using System.IO;

namespace Zpipes;

/// <summary>
/// A ZPIPES request failed. <see cref="Errno"/> is the errno the 2014 C client set for the same
/// answer, so code ported from it can keep its checks; <see cref="Reason"/> is the broker's text
/// (often empty: the reason field is optional).
/// </summary>
public abstract class ZpipesException : IOException
{
    /// <summary>Creates the exception.</summary>
    protected ZpipesException(string message, string reason, int errno, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Errno = errno;
    }

    /// <summary>The reason the broker gave, or "" when it gave none.</summary>
    public string Reason { get; }

    /// <summary>The C client's errno for this failure (Linux numbering).</summary>
    public int Errno { get; }

    /// <summary>EAGAIN: the request's timeout passed.</summary>
    public const int EAGAIN = 11;

    /// <summary>EINTR: the broker refused or abandoned the request.</summary>
    public const int EINTR = 4;

    /// <summary>EBADF: the request is not valid on this pipe now.</summary>
    public const int EBADF = 9;

    /// <summary>EHOSTUNREACH: the broker did not answer (the C client hung instead).</summary>
    public const int EHOSTUNREACH = 113;

    internal static string WithReason(string message, string reason) =>
        reason.Length == 0 ? message : $"{message}: {reason}";
}

/// <summary>READ-TIMEOUT or WRITE-TIMEOUT: no data, or no reader, within the timeout (EAGAIN).</summary>
public sealed class ZpipesTimeoutException(string message) : ZpipesException(message, "", EAGAIN);

/// <summary>
/// The broker refused or abandoned the request (EINTR): INPUT-FAILED or OUTPUT-FAILED (the pipe
/// already has a reader or writer), READ-FAILED (the pipe was closed while the read waited),
/// WRITE-FAILED (the reader has gone), CLOSE-FAILED.
/// </summary>
public sealed class ZpipesFailedException(string message, string reason) : ZpipesException(WithReason(message, reason), reason, EINTR);

/// <summary>INVALID: the request is not valid now, e.g. a write on a pipe opened for reading, or a session the broker expired (EBADF).</summary>
public sealed class ZpipesInvalidException(string message) : ZpipesException(message, "", EBADF);

/// <summary>The broker did not answer within the receive timeout, despite heartbeats; the pipe is unusable.</summary>
public sealed class ZpipesBrokerUnreachableException(string message, Exception? inner = null) : ZpipesException(message, "", EHOSTUNREACH, inner);
