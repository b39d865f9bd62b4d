namespace Remctl;

/// <summary>
/// remctl protocol error codes (remctl's <c>util/protocol.h</c>). A backend returns one in an
/// <c>ERRORCODE</c> frame; remctld relays it to the user as MESSAGE_ERROR.
/// </summary>
public enum RemctlError
{
    /// <summary>Server or backend failure: "Internal failure".</summary>
    Internal = 1,
    /// <summary>Malformed token: "Invalid token".</summary>
    BadToken = 2,
    /// <summary>Unknown message type: "Unknown message".</summary>
    UnknownMessage = 3,
    /// <summary>Bad command format, or NUL in the command or subcommand: "Invalid command token".</summary>
    BadCommand = 4,
    /// <summary>No handler for the command: "Unknown command".</summary>
    UnknownCommand = 5,
    /// <summary>An access policy refused the caller: "Access denied".</summary>
    Access = 6,
    /// <summary>"Too many arguments".</summary>
    TooManyArgs = 7,
    /// <summary>"Too much data".</summary>
    TooMuchData = 8,
    /// <summary>"Unexpected message".</summary>
    UnexpectedMessage = 9,
    /// <summary>"No help defined for command".</summary>
    NoHelp = 10,
}

/// <summary>The standard texts remctld sends with each error code.</summary>
public static class RemctlErrors
{
    /// <summary>The text remctld and the stock client use for <paramref name="code"/>, or
    /// "Unknown error" for a code remctl does not define (clients must accept those).</summary>
    public static string Message(long code) => code switch
    {
        1 => "Internal failure",
        2 => "Invalid token",
        3 => "Unknown message",
        4 => "Invalid command token",
        5 => "Unknown command",
        6 => "Access denied",
        7 => "Too many arguments",
        8 => "Too much data",
        9 => "Unexpected message",
        10 => "No help defined for command",
        _ => "Unknown error",
    };

    /// <summary>The standard text for <paramref name="error"/>.</summary>
    public static string Message(RemctlError error) => Message((long)error);
}
