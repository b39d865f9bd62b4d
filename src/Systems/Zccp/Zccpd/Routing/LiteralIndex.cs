using System;
using System.Collections.Generic;

namespace Zccpd.Routing;

/// <summary>
/// Finds which of many byte literals occur in an address without searching for each one. Every
/// literal is filed under one of its substrings of up to <see cref="GramLength"/> bytes (a gram),
/// chosen when it is added as the gram that the fewest literals are filed under so far, so literals
/// that share a common part (<c>dev-1-temp</c>, <c>dev-2-temp</c>, …) spread over their distinctive
/// grams. A search looks up each gram of the address and checks only the literals filed there: the
/// cost is a few dictionary lookups per address byte, whatever the number of literals. Owner thread
/// only.
/// </summary>
internal sealed class LiteralIndex<T> where T : class
{
    /// <summary>The longest gram; literals this long or shorter are filed under themselves.</summary>
    public const int GramLength = 4;

    private readonly Dictionary<ulong, List<Slot>> _buckets = new();
    private readonly Dictionary<T, Slot> _slots = new(ReferenceEqualityComparer.Instance);
    // How many literals are filed under grams of each length (index 1..GramLength): a search looks
    // up only the lengths in use.
    private readonly int[] _gramLengths = new int[GramLength + 1];
    private long _search;

    /// <summary>Literals held.</summary>
    public int Count => _slots.Count;

    /// <summary>Files <paramref name="item"/> under <paramref name="literal"/> (not empty; at most once per item).</summary>
    public void Add(T item, ReadOnlyMemory<byte> literal)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (literal.IsEmpty)
            throw new ArgumentException("A literal index holds non-empty literals.", nameof(literal));
        var span = literal.Span;
        var length = Math.Min(span.Length, GramLength);
        var key = 0UL;
        var fewest = int.MaxValue;
        for (var i = 0; i + length <= span.Length && fewest > 0; i++)
        {
            var candidate = Key(span.Slice(i, length));
            var count = _buckets.TryGetValue(candidate, out var filed) ? filed.Count : 0;
            if (count < fewest)
            {
                key = candidate;
                fewest = count;
            }
        }
        var slot = new Slot(item, literal, key);
        _slots.Add(item, slot);
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new List<Slot>();
            _buckets[key] = bucket;
        }
        bucket.Add(slot);
        _gramLengths[length]++;
    }

    /// <summary>Removes every item of <paramref name="items"/> that is held; one pass per bucket touched.</summary>
    public void RemoveAll(IReadOnlySet<T> items)
    {
        HashSet<ulong>? touched = null;
        foreach (var item in items)
        {
            if (_slots.Remove(item, out var slot))
            {
                (touched ??= new HashSet<ulong>()).Add(slot.Key);
                _gramLengths[Math.Min(slot.Literal.Length, GramLength)]--;
            }
        }
        if (touched is null)
            return;
        foreach (var key in touched)
        {
            var bucket = _buckets[key];
            bucket.RemoveAll(slot => items.Contains(slot.Item));
            if (bucket.Count == 0)
                _buckets.Remove(key);
        }
    }

    /// <summary>Adds to <paramref name="found"/> each item whose literal occurs in <paramref name="address"/>, once, in no particular order.</summary>
    public void FindIn(ReadOnlySpan<byte> address, List<T> found)
    {
        if (_slots.Count == 0)
            return;
        var search = ++_search;
        for (var length = 1; length <= GramLength; length++)
        {
            if (_gramLengths[length] == 0)
                continue;
            for (var i = 0; i + length <= address.Length; i++)
            {
                if (!_buckets.TryGetValue(Key(address.Slice(i, length)), out var bucket))
                    continue;
                foreach (var slot in bucket)
                {
                    // A gram may occur more than once in the address: each literal is checked once.
                    if (slot.Search == search)
                        continue;
                    slot.Search = search;
                    if (slot.Literal.Length == length || address.IndexOf(slot.Literal.Span) >= 0)
                        found.Add(slot.Item);
                }
            }
        }
    }

    // The gram's bytes and its length in one number: grams of different lengths never collide.
    private static ulong Key(ReadOnlySpan<byte> gram)
    {
        var key = (ulong)gram.Length << 32;
        for (var i = 0; i < gram.Length; i++)
            key |= (ulong)gram[i] << (8 * i);
        return key;
    }

    private sealed class Slot(T item, ReadOnlyMemory<byte> literal, ulong key)
    {
        public T Item { get; } = item;

        public ReadOnlyMemory<byte> Literal { get; } = literal;

        public ulong Key { get; } = key;

        /// <summary>The last search that checked this literal.</summary>
        public long Search { get; set; }
    }
}
