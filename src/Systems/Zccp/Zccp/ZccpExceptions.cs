using System;

namespace Zccp;

/// <summary>Base of the ZCCP client's errors.</summary>
public class ZccpException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No broker answered HELLO within the connect timeout (the 2014 API's -1, "Server is not reachable").</summary>
public sealed class ZccpNotReachableException(string endpoint) : ZccpException($"Server is not reachable at {endpoint}")
{
    /// <summary>The endpoint tried.</summary>
    public string Endpoint { get; } = endpoint;
}

/// <summary>
/// The broker answered the HELLO with INVALID: it does not admit this identifier (zccpd's ACL binds it to
/// other CURVE keys, or this key to other identifiers). Thrown at once, not after the connect timeout.
/// </summary>
public sealed class ZccpIdentifierRefusedException(string endpoint, string identifier)
    : ZccpException($"the broker at {endpoint} refused identifier '{identifier}'")
{
    /// <summary>The endpoint tried.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The identifier refused.</summary>
    public string Identifier { get; } = identifier;
}

/// <summary>A subscription pattern that is not valid zrex; it was not sent.</summary>
public sealed class ZccpPatternException(string pattern, string reason) : ZccpException($"'{pattern}' is not a valid zrex pattern: {reason}")
{
    /// <summary>The pattern.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>The broker refused a subscription (its ACL forbids the pattern), or ended the session with INVALID before it acknowledged it (over its limit, or the session was lost).</summary>
public sealed class ZccpSubscriptionFailedException(string pattern, string reason) : ZccpException($"subscription '{pattern}' failed: {reason}");

/// <summary>A DIRECT request's target is not connected to the broker (the broker answered <c>error=no-route</c>).</summary>
public sealed class ZccpNoRouteException(string target) : ZccpException($"no client '{target}' is connected to the broker")
{
    /// <summary>The identifier asked for.</summary>
    public string Target { get; } = target;
}

/// <summary>A request's target answered with an <c>error</c> header (e.g. its handler threw).</summary>
public sealed class ZccpRequestFailedException(string target, string error) : ZccpException($"'{target}' answered the request with error '{error}'")
{
    /// <summary>The <c>error</c> header's value.</summary>
    public string Error { get; } = error;
}
