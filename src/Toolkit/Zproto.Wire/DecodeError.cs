namespace Zproto.Wire;

/// <summary>Why a frame or datagram could not be decoded.</summary>
public enum DecodeErrorKind
{
    /// <summary>The first two octets are not the protocol's signature.</summary>
    BadSignature = 1,
    /// <summary>The message id (or discriminator) names no message of the protocol.</summary>
    UnknownMessageId,
    /// <summary>A value, length prefix, count or item runs past the end of the frame.</summary>
    Truncated,
    /// <summary>A frame the message needs (a <c>frame</c> field, a text section) is not there.</summary>
    MissingFrame,
    /// <summary>A field declared with <c>value=</c> carries a different value.</summary>
    ConstantMismatch,
    /// <summary>A string is not well-formed UTF-8.</summary>
    InvalidUtf8,
    /// <summary>A value is outside its domain: a boolean other than 0/1, an undefined enum value,
    /// a duplicate hash key, a decimal number that does not parse.</summary>
    InvalidValue,
    /// <summary>The frame has octets after the last field.</summary>
    TrailingBytes,
    /// <summary>The message has frames after the last field it defines.</summary>
    TrailingFrames,
    /// <summary>A datagram is larger than the protocol allows.</summary>
    TooLarge,
    /// <summary>A text-frame message has a tag where another element was expected.</summary>
    UnexpectedTag,
}

/// <summary>
/// A typed decoding failure: what went wrong, in which field, and where (frame index and octet
/// offset inside that frame). A struct so that the failure path of <c>TryDecode</c> allocates nothing.
/// </summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Field">The model name of the field (or element) being decoded, e.g. <c>public key</c>.</param>
/// <param name="Frame">Zero-based index of the frame (always 0 for a datagram).</param>
/// <param name="Offset">Octet offset inside that frame where the failing element starts.</param>
/// <param name="Value">The offending value when there is one (an id, a length, a count), else -1.</param>
public readonly record struct DecodeError(DecodeErrorKind Kind, string Field, int Frame, int Offset, long Value = -1)
{
    /// <summary>A one-line human description, e.g. <c>field 'pipename' (frame 0, offset 3): length 200 runs past the end of the frame</c>.</summary>
    public string Message => $"field '{Field}' (frame {Frame}, offset {Offset}): {Describe()}";

    private string Describe() => Kind switch
    {
        DecodeErrorKind.BadSignature => "bad signature",
        DecodeErrorKind.UnknownMessageId => $"unknown message id {Value}",
        DecodeErrorKind.Truncated => Value >= 0 ? $"length or count {Value} runs past the end of the frame" : "value cut short by the end of the frame",
        DecodeErrorKind.MissingFrame => "frame is missing",
        DecodeErrorKind.ConstantMismatch => $"constant field carries {Value}",
        DecodeErrorKind.InvalidUtf8 => "string is not valid UTF-8",
        DecodeErrorKind.InvalidValue => Value >= 0 ? $"invalid value {Value}" : "invalid value",
        DecodeErrorKind.TrailingBytes => $"{Value} unexpected octet(s) after the last field",
        DecodeErrorKind.TrailingFrames => $"{Value} unexpected frame(s) after the last field",
        DecodeErrorKind.TooLarge => $"size {Value} is over the protocol's limit",
        DecodeErrorKind.UnexpectedTag => "unexpected tag",
        _ => Kind.ToString(),
    };

    /// <inheritdoc />
    public override string ToString() => Message;
}
