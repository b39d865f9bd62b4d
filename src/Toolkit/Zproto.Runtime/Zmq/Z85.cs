using System;
using System.Buffers;
using System.Text;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// Z85, ZeroMQ's printable encoding of binary data (ZeroMQ RFC 32), through libzmq's
/// <c>zmq_z85_encode</c>/<c>zmq_z85_decode</c>. Every 4 bytes become 5 characters. Thread-safe.
/// </summary>
public static class Z85
{
    private static readonly SearchValues<char> s_alphabet = SearchValues.Create(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#");

    /// <summary>Encodes <paramref name="data"/>.</summary>
    /// <param name="data">The bytes; their count must be a multiple of 4.</param>
    /// <returns>The Z85 text, 5 characters per 4 bytes.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="data"/> is not a multiple of 4.</exception>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than 4.3.</exception>
    public static unsafe string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length % 4 != 0)
        {
            throw new ArgumentException($"Z85 encodes groups of 4 bytes; {data.Length} is not a multiple of 4.", nameof(data));
        }

        if (data.IsEmpty)
        {
            return string.Empty;
        }

        LibZmq.EnsureAvailable();
        int textLength = data.Length / 4 * 5;
        byte[] text = new byte[textLength + 1];
        fixed (byte* source = data)
        fixed (byte* destination = text)
        {
            if (LibZmq.zmq_z85_encode(destination, source, (nuint)data.Length) == null)
            {
                throw ZmqException.FromErrno(LibZmq.LastErrno(), "Z85 encoding");
            }
        }

        return Encoding.ASCII.GetString(text, 0, textLength);
    }

    /// <summary>Decodes Z85 <paramref name="text"/>.</summary>
    /// <param name="text">The Z85 text; its length must be a multiple of 5.</param>
    /// <returns>The bytes, 4 per 5 characters.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not Z85. The message does not
    /// quote it, since it is often a secret key.</exception>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than 4.3.</exception>
    public static unsafe byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length % 5 != 0)
        {
            throw new FormatException($"Z85 text comes in groups of 5 characters; {text.Length} is not a multiple of 5.");
        }

        // libzmq rejects foreign characters too, but only ASCII survives the trip to a C string intact.
        if (!IsValid(text))
        {
            throw new FormatException("The text contains a character outside the Z85 alphabet.");
        }

        if (text.Length == 0)
        {
            return [];
        }

        LibZmq.EnsureAvailable();
        byte[] source = new byte[text.Length + 1];
        Encoding.ASCII.GetBytes(text, source);
        byte[] data = new byte[text.Length / 5 * 4];
        fixed (byte* input = source)
        fixed (byte* output = data)
        {
            // Fails only for a group whose value overflows 32 bits, e.g. "%%%%%".
            if (LibZmq.zmq_z85_decode(output, input) == null)
            {
                throw new FormatException("The text is not valid Z85: a 5-character group exceeds 32 bits.");
            }
        }

        return data;
    }

    /// <summary>Whether every character of <paramref name="text"/> is in the Z85 alphabet.</summary>
    internal static bool IsValid(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(s_alphabet);
}
