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

    /// <summary>
    /// Item-wise equality of lists of records or values. Items that are themselves binary values or
    /// lists (a <c>list</c> of <c>chunk</c> or of <c>strings</c>) compare by content too.
    /// </summary>
    public static bool Equal<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b)
    {
        var count = a?.Count ?? 0;
        if (count != (b?.Count ?? 0))
            return false;
        var comparer = ItemComparer<T>.Instance;
        for (var i = 0; i < count; i++)
        {
            if (!comparer.Equals(a![i], b![i]))
                return false;
        }
        return true;
    }

    /// <summary>The comparer for list items: by content for binary values and string lists, else the type's own equality.</summary>
    private static class ItemComparer<T>
    {
        public static readonly IEqualityComparer<T> Instance = Create();

        private static IEqualityComparer<T> Create()
        {
            if (typeof(T) == typeof(ReadOnlyMemory<byte>))
                return (IEqualityComparer<T>)(object)new ContentComparer<ReadOnlyMemory<byte>>(static (x, y) => Equal(x, y), static x => Hash(x));
            if (typeof(T) == typeof(IReadOnlyList<string>))
                return (IEqualityComparer<T>)(object)new ContentComparer<IReadOnlyList<string>>(static (x, y) => Equal(x, y), static x => Hash(x));
            return EqualityComparer<T>.Default;
        }
    }

    private sealed class ContentComparer<T>(Func<T, T, bool> equals, Func<T, int> hash) : IEqualityComparer<T>
    {
        public bool Equals(T? x, T? y) => equals(x!, y!);

        public int GetHashCode(T obj) => hash(obj);
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
