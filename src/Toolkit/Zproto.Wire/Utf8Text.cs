using System;
using System.Text;
using System.Text.Unicode;

namespace Zproto.Wire;

/// <summary>
/// Text kept as validated UTF-8 octets: the value of a <c>string</c> or <c>longstr</c> field in a model
/// with <c>strings = "utf8"</c>. Decoding from memory the caller owns (a frame list, or
/// <c>TryDecode(ReadOnlyMemory&lt;byte&gt;)</c>) only validates the octets and points at them, so a
/// message that is routed on is never transcoded; <see cref="ToString"/> transcodes when asked.
/// </summary>
/// <remarks>
/// Lifetime: a value decoded from a frame is a view over that frame's memory and is valid while the
/// frame's memory is; keep it longer with <see cref="ToString"/> or <see cref="ToOwned"/>. A value
/// decoded from a <c>ReadOnlySpan&lt;byte&gt;</c> owns a copy of its octets.
/// </remarks>
public readonly struct Utf8Text : IEquatable<Utf8Text>
{
    private readonly ReadOnlyMemory<byte> _utf8;

    private Utf8Text(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>The empty text (also <c>default</c>).</summary>
    public static Utf8Text Empty => default;

    /// <summary>The UTF-8 octets.</summary>
    public ReadOnlyMemory<byte> Memory => _utf8;

    /// <summary>The UTF-8 octets.</summary>
    public ReadOnlySpan<byte> Span => _utf8.Span;

    /// <summary>Length in UTF-8 octets (the wire length), not in characters.</summary>
    public int Length => _utf8.Length;

    /// <summary>True for the empty text.</summary>
    public bool IsEmpty => _utf8.IsEmpty;

    /// <summary>Encodes <paramref name="value"/> as UTF-8 into a new array (null is empty). Lone surrogates become U+FFFD, as <see cref="Encoding.UTF8"/> writes them.</summary>
    public static Utf8Text FromString(string? value) =>
        string.IsNullOrEmpty(value) ? default : new Utf8Text(Encoding.UTF8.GetBytes(value));

    /// <summary>Wraps <paramref name="utf8"/> (not copied) if it is valid UTF-8.</summary>
    public static bool TryCreate(ReadOnlyMemory<byte> utf8, out Utf8Text text)
    {
        var valid = Utf8.IsValid(utf8.Span);
        text = valid ? new Utf8Text(utf8) : default;
        return valid;
    }

    /// <summary>Wraps <paramref name="utf8"/> (not copied).</summary>
    /// <exception cref="ArgumentException"><paramref name="utf8"/> is not valid UTF-8.</exception>
    public static Utf8Text Create(ReadOnlyMemory<byte> utf8) =>
        TryCreate(utf8, out var text) ? text : throw new ArgumentException("not valid UTF-8", nameof(utf8));

    /// <summary>Wraps octets the caller has already validated.</summary>
    internal static Utf8Text FromValidated(ReadOnlyMemory<byte> utf8) => new(utf8);

    /// <summary>Encodes <paramref name="value"/> (see <see cref="FromString"/>).</summary>
    public static implicit operator Utf8Text(string? value) => FromString(value);

    /// <summary>The same text in octets this value owns (a copy), independent of the frame it was decoded from.</summary>
    public Utf8Text ToOwned() => _utf8.IsEmpty ? default : new Utf8Text(_utf8.ToArray());

    /// <summary>Transcodes the text to a <see cref="string"/> (a new string each call).</summary>
    public override string ToString() => _utf8.IsEmpty ? string.Empty : Encoding.UTF8.GetString(_utf8.Span);

    /// <summary>True when the text is <paramref name="value"/>'s UTF-8 form, compared without allocating.</summary>
    public bool Equals(string? value)
    {
        var text = _utf8.Span;
        var other = value ?? string.Empty;
        // Each UTF-16 unit takes 1 to 3 octets: a length outside that range cannot match.
        if (text.Length < other.Length || text.Length > other.Length * 3)
            return false;
        Span<byte> scratch = text.Length <= 256 ? stackalloc byte[256] : new byte[text.Length];
        return Utf8.FromUtf16(other, scratch.Slice(0, text.Length), out var read, out var written) == System.Buffers.OperationStatus.Done
            && read == other.Length && scratch.Slice(0, written).SequenceEqual(text);
    }

    /// <summary>Octet-wise equality.</summary>
    public bool Equals(Utf8Text other) => _utf8.Span.SequenceEqual(other._utf8.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Utf8Text other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_utf8.Span);
        return hash.ToHashCode();
    }

    /// <summary>Octet-wise equality.</summary>
    public static bool operator ==(Utf8Text left, Utf8Text right) => left.Equals(right);

    /// <summary>Octet-wise inequality.</summary>
    public static bool operator !=(Utf8Text left, Utf8Text right) => !left.Equals(right);
}
