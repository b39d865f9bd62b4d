using System;

namespace Zproto.Vtx;

/// <summary>A VTX control call failed; the subclasses name the 2011 C API's errno for each case (§5.2).</summary>
public class VtxException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VtxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public VtxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The endpoint has no <c>://</c> or its address does not parse (the C API's EINVAL).</summary>
public sealed class VtxInvalidEndpointException(string endpoint, string reason)
    : VtxException($"Invalid endpoint '{endpoint}': {reason}")
{
    /// <summary>The endpoint as given.</summary>
    public string Endpoint { get; } = endpoint;
}

/// <summary>No driver is registered for the endpoint's scheme (the C API's ENOPROTOOPT).</summary>
public sealed class VtxUnknownSchemeException(string scheme)
    : VtxException($"No driver is registered for scheme '{scheme}'")
{
    /// <summary>The scheme that has no driver.</summary>
    public string Scheme { get; } = scheme;
}

/// <summary>The socket was not created by this manager, or was already closed (the C API's EINVAL).</summary>
public sealed class VtxForeignSocketException()
    : VtxException("The socket was not created by this VTX manager, or it was closed");

/// <summary>The socket is already tied to another driver (the C API's ENOTSUP).</summary>
public sealed class VtxDriverMismatchException(string boundScheme, string requestedScheme)
    : VtxException($"The socket already uses the '{boundScheme}' driver and cannot also use '{requestedScheme}'");

/// <summary>A driver is already registered for the scheme (the C API's ENOTUNIQ).</summary>
public sealed class VtxDuplicateSchemeException(string scheme)
    : VtxException($"A driver for scheme '{scheme}' is already registered")
{
    /// <summary>The scheme registered twice.</summary>
    public string Scheme { get; } = scheme;
}

/// <summary>The driver refused a bind or connect: the address could not be bound, or the socket
/// already has its maximum of peerings (the C API's driver status "1").</summary>
public sealed class VtxDriverException : VtxException
{
    /// <summary>Creates the exception.</summary>
    public VtxDriverException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public VtxDriverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
