using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Zproto.Wire;

/// <summary>
/// The value of a <c>hash</c> (alias <c>dictionary</c>) field: an immutable map of string keys to
/// string values that remembers insertion order, because the encoder writes entries in that order
/// and zproto peers' bytes can only be reproduced that way. Equality is by content, ignoring order,
/// as a hash on the wire has no meaningful order.
/// </summary>
[CollectionBuilder(typeof(ZprotoHash), nameof(Create))]
public sealed class ZprotoHash : IReadOnlyDictionary<string, string>, IEquatable<ZprotoHash>
{
    // Small hashes (the common case) are searched linearly; a dictionary is built on first lookup
    // only for larger ones.
    private const int LinearLimit = 8;
    private readonly KeyValuePair<string, string>[] _entries;
    private Dictionary<string, string>? _index;

    /// <summary>The empty hash.</summary>
    public static ZprotoHash Empty { get; } = new(Array.Empty<KeyValuePair<string, string>>());

    private ZprotoHash(KeyValuePair<string, string>[] entries) => _entries = entries;

    /// <summary>Creates a hash from entries in order. Duplicate keys are an error.</summary>
    /// <exception cref="ArgumentException">A key occurs twice or a key or value is null.</exception>
    public static ZprotoHash Create(ReadOnlySpan<KeyValuePair<string, string>> entries)
    {
        if (entries.IsEmpty)
            return Empty;
        var copy = entries.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in copy)
        {
            if (entry.Key is null || entry.Value is null)
                throw new ArgumentException("hash keys and values cannot be null", nameof(entries));
            if (!seen.Add(entry.Key))
                throw new ArgumentException($"duplicate hash key '{entry.Key}'", nameof(entries));
        }
        return new ZprotoHash(copy);
    }

    /// <summary>Creates a hash from entries in order. Duplicate keys are an error.</summary>
    public static ZprotoHash Create(IEnumerable<KeyValuePair<string, string>> entries) =>
        Create(new List<KeyValuePair<string, string>>(entries).ToArray().AsSpan());

    /// <summary>Creates a hash from (key, value) tuples in order.</summary>
    public static ZprotoHash Create(params (string Key, string Value)[] entries)
    {
        var pairs = new KeyValuePair<string, string>[entries.Length];
        for (var i = 0; i < entries.Length; i++)
            pairs[i] = new KeyValuePair<string, string>(entries[i].Key, entries[i].Value);
        return Create(pairs.AsSpan());
    }

    /// <summary>Wraps entries the decoder has already checked for duplicates; no copy.</summary>
    internal static ZprotoHash FromTrusted(KeyValuePair<string, string>[] entries) =>
        entries.Length == 0 ? Empty : new ZprotoHash(entries);

    /// <summary>The entries in insertion (wire) order.</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> Entries => _entries;

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <inheritdoc />
    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    /// <inheritdoc />
    public IEnumerable<string> Keys
    {
        get { foreach (var e in _entries) yield return e.Key; }
    }

    /// <inheritdoc />
    public IEnumerable<string> Values
    {
        get { foreach (var e in _entries) yield return e.Value; }
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        if (_entries.Length <= LinearLimit)
        {
            foreach (var e in _entries)
            {
                if (string.Equals(e.Key, key, StringComparison.Ordinal))
                {
                    value = e.Value;
                    return true;
                }
            }
            value = null;
            return false;
        }
        _index ??= BuildIndex();
        return _index.TryGetValue(key, out value);
    }

    private Dictionary<string, string> BuildIndex()
    {
        var index = new Dictionary<string, string>(_entries.Length, StringComparer.Ordinal);
        foreach (var e in _entries)
            index[e.Key] = e.Value;
        return index;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Content equality: same keys with the same values, in any order.</summary>
    public bool Equals(ZprotoHash? other)
    {
        if (ReferenceEquals(this, other))
            return true;
        if (other is null || other.Count != Count)
            return false;
        foreach (var e in _entries)
        {
            if (!other.TryGetValue(e.Key, out var v) || !string.Equals(v, e.Value, StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ZprotoHash);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Order-independent: XOR of per-entry hashes.
        var h = 0;
        foreach (var e in _entries)
            h ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(e.Key), StringComparer.Ordinal.GetHashCode(e.Value));
        return HashCode.Combine(Count, h);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new string[_entries.Length];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = _entries[i].Key + "=" + _entries[i].Value;
        return "{" + string.Join(", ", parts) + "}";
    }
}
