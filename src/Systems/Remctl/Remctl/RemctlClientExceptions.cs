using System;
using Zproto.Wire;

namespace Remctl;

/// <summary>A command that got no usable reply. remctld reports either kind as ERROR_INTERNAL.</summary>
public abstract class RemctlClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected RemctlClientException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>No reply within the timeout on any attempt: the backend is down, stuck or unreachable.</summary>
public sealed class RemctlUnreachableException : RemctlClientException
{
    /// <summary>Creates the exception.</summary>
    public RemctlUnreachableException(string endpoint, int attempts, TimeSpan timeout)
        : base($"backend not reachable at {endpoint}: no reply within {timeout.TotalMilliseconds:0} ms on {attempts} attempt(s)")
    {
        Endpoint = endpoint;
        Attempts = attempts;
    }

    /// <summary>The endpoint tried.</summary>
    public string Endpoint { get; }

    /// <summary>How many requests were sent, each on a fresh socket.</summary>
    public int Attempts { get; }
}

/// <summary>The backend replied with frames that are not a valid reply.</summary>
public sealed class RemctlProtocolException : RemctlClientException
{
    /// <summary>Creates the exception.</summary>
    public RemctlProtocolException(DecodeError error)
        : base($"malformed reply from the backend: {error.Message}")
    {
        Error = error;
    }

    /// <summary>What the decoder found wrong.</summary>
    public DecodeError Error { get; }
}
