using System;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Zproto.Wire;

/// <summary>
/// Helpers for text-frame protocols (remctl's ZeroMQ backend): every value is its own frame and
/// numbers are ASCII decimal, so byte order and width never matter.
/// </summary>
public static class TextFrames
{
    /// <summary>
    /// Parses a frame holding an ASCII decimal integer: an optional '-', then 1 to 19 digits, nothing else
    /// (no sign '+', no spaces, no leading zeros beyond a single "0", no "-0"). Only the canonical form
    /// that <see cref="FormatDecimal"/> writes is accepted, so decoding and re-encoding is lossless.
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> frame, out long value)
    {
        value = 0;
        var negative = frame.Length > 0 && frame[0] == (byte)'-';
        var digits = negative ? frame.Slice(1) : frame;
        if (digits.IsEmpty || digits.Length > 19)
            return false;
        if (digits[0] == (byte)'0' && (digits.Length > 1 || negative))
            return false;
        foreach (var b in digits)
        {
            if (b < (byte)'0' || b > (byte)'9')
                return false;
        }
        return Utf8Parser.TryParse(frame, out value, out var consumed) && consumed == frame.Length;
    }

    /// <summary>Formats a number as an ASCII decimal frame.</summary>
    public static byte[] FormatDecimal(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Decodes a frame that must be UTF-8 text.</summary>
    public static bool TryReadUtf8(ReadOnlySpan<byte> frame, out string value)
    {
        if (!Utf8.IsValid(frame))
        {
            value = string.Empty;
            return false;
        }
        value = Encoding.UTF8.GetString(frame);
        return true;
    }
}
