using System;
using System.Collections.Generic;

namespace Zproto.Wire;

/// <summary>
/// Structural equality for the value types message records hold. Records compare
/// <see cref="ReadOnlyMemory{T}"/> and lists by reference; generated records call these instead,
/// so two messages with the same content are equal.
/// </summary>
public static class WireEquality
{
    /// <summary>Octet-wise equality.</summary>
    public static bool Equal(ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b) => a.Span.SequenceEqual(b.Span);

    /// <summary>Item-wise ordinal equality; null equals empty.</summary>
    public static bool Equal(IReadOnlyList<string>? a, IReadOnlyList<string>? b)
    {
        var count = a?.Count ?? 0;
        if (count != (b?.Count ?? 0))
            return false;
        for (var i = 0; i < count; i++)
        {
            if (!string.Equals(a![i], b![i], StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    /// <summary>Frame-wise equality. Null (an unset <c>msg</c>) equals only null.</summary>
    public static bool Equal(IReadOnlyList<ReadOnlyMemory<byte>>? a, IReadOnlyList<ReadOnlyMemory<byte>>? b)
    {
        if (a is null || b is null)
            return a is null && b is null;
        if (a.Count != b.Count)
            return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!a[i].Span.SequenceEqual(b[i].Span))
                return false;
        }
        return true;
    }

    /// <summary>Item-wise equality of lists of records or values.</summary>
    public static bool Equal<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b)
    {
        var count = a?.Count ?? 0;
        if (count != (b?.Count ?? 0))
            return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < count; i++)
        {
            if (!comparer.Equals(a![i], b![i]))
                return false;
        }
        return true;
    }

    /// <summary>Content equality of hashes; null equals empty.</summary>
    public static bool Equal(ZprotoHash? a, ZprotoHash? b) => (a ?? ZprotoHash.Empty).Equals(b ?? ZprotoHash.Empty);

    /// <summary>A hash code consistent with <see cref="Equal(ReadOnlyMemory{byte}, ReadOnlyMemory{byte})"/>.</summary>
    public static int Hash(ReadOnlyMemory<byte> value)
    {
        var h = new HashCode();
        h.AddBytes(value.Span);
        return h.ToHashCode();
    }

    /// <summary>A hash code consistent with the list overloads of Equal (count only: cheap and correct).</summary>
    public static int Hash<T>(IReadOnlyList<T>? value) => value?.Count ?? -1;

    /// <summary>A hash code consistent with <see cref="Equal(ZprotoHash, ZprotoHash)"/>.</summary>
    public static int Hash(ZprotoHash? value) => (value ?? ZprotoHash.Empty).GetHashCode();
}
