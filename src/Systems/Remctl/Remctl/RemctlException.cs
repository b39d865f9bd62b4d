using System;

namespace Remctl;

/// <summary>
/// Thrown by a handler to end its command with an <c>ERRORCODE</c> instead of a <c>RETURNCODE</c>.
/// Output the handler wrote before throwing is still sent, ahead of the error (remctl allows an
/// error after output).
/// </summary>
public class RemctlException : Exception
{
    /// <summary>Creates the exception for a remctl error code.</summary>
    public RemctlException(RemctlError error, string? message = null)
        : this((int)error, message)
    {
    }

    /// <summary>Creates the exception for any error code, including ones remctl does not define.</summary>
    public RemctlException(int code, string? message = null)
        : base(message ?? RemctlErrors.Message(code))
    {
        Code = code;
    }

    /// <summary>The code sent in the <c>ERRORCODE</c> frame.</summary>
    public int Code { get; }
}
