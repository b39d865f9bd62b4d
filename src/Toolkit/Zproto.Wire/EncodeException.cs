using System;

namespace Zproto.Wire;

/// <summary>
/// A message cannot be encoded as it stands: a <c>string</c> over 255 UTF-8 octets, <c>octets</c>
/// of the wrong size, a datagram over its limit. Thrown instead of truncating anything.
/// </summary>
public sealed class EncodeException : Exception
{
    /// <summary>Creates the exception for a field.</summary>
    public EncodeException(string field, string reason)
        : base($"field '{field}': {reason}")
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>The model name of the field that cannot be encoded.</summary>
    public string Field { get; }

    /// <summary>Why it cannot be encoded.</summary>
    public string Reason { get; }
}
