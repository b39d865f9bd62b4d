namespace Zproto.Wire;

/// <summary>
/// The two frame-count checks of a generated multi-frame codec, written once here so that each message's
/// decode step states only which frames it reads. Both run before the message's record is built, so a
/// message refused for its frame count allocates nothing.
/// </summary>
public static class FrameCount
{
    /// <summary>Whether frame <paramref name="index"/> (holding field <paramref name="field"/>) arrived;
    /// otherwise the reader records a <see cref="DecodeErrorKind.MissingFrame"/> error.</summary>
    /// <param name="frameCount">How many frames the message arrived in.</param>
    /// <param name="index">The zero-based frame the field is in.</param>
    /// <param name="field">The model name of the field, for the error.</param>
    /// <param name="reader">The reader of frame 0, which records the failure.</param>
    public static bool Has(ref ZprotoReader reader, int frameCount, int index, string field) =>
        frameCount > index || reader.Fail(new DecodeError(DecodeErrorKind.MissingFrame, field, index, 0));

    /// <summary>Whether a message that reads <paramref name="used"/> frames arrived in no more than that;
    /// otherwise the reader records a <see cref="DecodeErrorKind.TrailingFrames"/> error at the first extra frame.</summary>
    /// <param name="frameCount">How many frames the message arrived in.</param>
    /// <param name="used">How many frames the message reads.</param>
    /// <param name="message">The model name of the message, for the error.</param>
    /// <param name="reader">The reader of frame 0, which records the failure.</param>
    public static bool HasNoTrailing(ref ZprotoReader reader, int frameCount, int used, string message) =>
        frameCount <= used || reader.Fail(new DecodeError(DecodeErrorKind.TrailingFrames, message, used, 0, frameCount - used));
}
