using System;
using System.Collections.Generic;
using System.Text;
using Zccp.Protocol;

namespace Zccpd.Routing;

/// <summary>What <see cref="SubscriptionIndex{TSubscriber}.Subscribe"/> did.</summary>
public enum SubscribeResult
{
    /// <summary>The subscription is new.</summary>
    Added,

    /// <summary>The subscriber already had this expression; it is stored once (as the 2014 broker did).</summary>
    AlreadySubscribed,

    /// <summary>The expression is not a valid zrex pattern; nothing is stored (it would never match).</summary>
    Invalid,

    /// <summary>The subscriber already holds the maximum number of patterns; nothing is stored.</summary>
    LimitReached,
}

/// <summary>
/// The broker's subscriptions: distinct zrex expressions in the order they were first subscribed,
/// each with its subscribers in the order they subscribed. <see cref="Match"/> answers who gets a
/// PUBLISH to an address.
/// </summary>
/// <remarks>
/// A PUBLISH does not test every pattern: patterns anchored on a literal prefix (<c>^cpu\.</c>)
/// sit in a byte trie and only those whose prefix the address starts with are tested; the others
/// with a required literal (<c>dev-\d+-temp</c> needs <c>-temp</c>) sit in a <see cref="LiteralIndex{T}"/>
/// and only those whose literal occurs in the address are tested; only patterns with neither
/// (<c>\d+</c>, <c>a|b</c>) are tested one by one. Answers are cached per address until the subscriptions change, so a steady
/// stream of publishes to a few addresses costs one dictionary lookup each. Not thread-safe: the
/// broker uses it on its owner thread only.
/// </remarks>
public sealed class SubscriptionIndex<TSubscriber> where TSubscriber : class
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<TSubscriber, List<Entry>> _bySubscriber = new(ReferenceEqualityComparer.Instance);
    private readonly TrieNode _trie = new();
    private readonly LiteralIndex<Entry> _literals = new();
    private readonly List<Entry> _scanned = new();
    private readonly List<Entry> _candidates = new();
    private readonly Dictionary<string, TSubscriber[]> _cache = new(StringComparer.Ordinal);
    private readonly List<Entry> _matched = new();
    private readonly HashSet<TSubscriber> _seen = new(ReferenceEqualityComparer.Instance);
    private long _sequence;

    /// <summary>Creates an index.</summary>
    /// <param name="maxPatternsPerSubscriber">How many distinct expressions one subscriber may hold.</param>
    /// <param name="duplicateDeliveries">The 2014 behaviour: one delivery per matching pattern instead of one per subscriber.</param>
    /// <param name="cacheCapacity">Addresses whose answers are kept; the cache starts over when full.</param>
    public SubscriptionIndex(int maxPatternsPerSubscriber = 10_000, bool duplicateDeliveries = false, int cacheCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPatternsPerSubscriber);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCapacity);
        MaxPatternsPerSubscriber = maxPatternsPerSubscriber;
        DuplicateDeliveries = duplicateDeliveries;
        CacheCapacity = cacheCapacity;
    }

    /// <summary>How many distinct expressions one subscriber may hold.</summary>
    public int MaxPatternsPerSubscriber { get; }

    /// <summary>True for the 2014 behaviour: a subscriber with k matching patterns is listed k times.</summary>
    public bool DuplicateDeliveries { get; }

    /// <summary>Addresses whose answers are cached.</summary>
    public int CacheCapacity { get; }

    /// <summary>Distinct expressions with at least one subscriber.</summary>
    public int PatternCount => _entries.Count;

    /// <summary>Expressions <paramref name="subscriber"/> holds.</summary>
    public int CountOf(TSubscriber subscriber) => _bySubscriber.TryGetValue(subscriber, out var list) ? list.Count : 0;

    /// <summary>Adds <paramref name="expression"/> for <paramref name="subscriber"/>.</summary>
    public SubscribeResult Subscribe(TSubscriber subscriber, string expression)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(expression);
        if (_entries.TryGetValue(expression, out var entry) && Array.IndexOf(entry.Subscribers, subscriber) >= 0)
            return SubscribeResult.AlreadySubscribed;
        if (!_bySubscriber.TryGetValue(subscriber, out var held))
        {
            held = new List<Entry>();
            _bySubscriber[subscriber] = held;
        }
        if (held.Count >= MaxPatternsPerSubscriber)
            return SubscribeResult.LimitReached;
        if (entry is null)
        {
            var pattern = ZrexPattern.Parse(expression);
            if (!pattern.IsValid)
            {
                if (held.Count == 0)
                    _bySubscriber.Remove(subscriber);
                return SubscribeResult.Invalid;
            }
            entry = new Entry(pattern, ++_sequence);
            _entries[expression] = entry;
            if (!pattern.AnchoredPrefix.IsEmpty)
                _trie.NodeFor(pattern.AnchoredPrefix.Span).Entries.Add(entry);
            else if (!pattern.RequiredLiteral.IsEmpty)
                _literals.Add(entry, pattern.RequiredLiteral);
            else
                _scanned.Add(entry);
        }
        entry.Add(subscriber);
        held.Add(entry);
        _cache.Clear();
        return SubscribeResult.Added;
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>; expressions nobody holds any more are forgotten.</summary>
    public void Remove(TSubscriber subscriber)
    {
        if (!_bySubscriber.Remove(subscriber, out var held))
            return;
        HashSet<Entry>? emptied = null;
        foreach (var entry in held)
        {
            entry.Remove(subscriber);
            if (entry.Subscribers.Length == 0)
            {
                _entries.Remove(entry.Pattern.Expression);
                (emptied ??= new HashSet<Entry>()).Add(entry);
            }
        }
        if (emptied is not null)
        {
            // One pass per list, so dropping a client with 10,000 patterns stays linear.
            _literals.RemoveAll(emptied);
            _scanned.RemoveAll(emptied.Contains);
            _trie.RemoveAll(emptied);
        }
        _cache.Clear();
    }

    /// <summary>
    /// Who gets a PUBLISH to <paramref name="address"/>, in pattern order: each subscriber once, or
    /// once per matching pattern with <see cref="DuplicateDeliveries"/>. The publisher is included
    /// when it subscribed; the caller leaves it out. Valid until the subscriptions change.
    /// </summary>
    public ReadOnlySpan<TSubscriber> Match(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_cache.TryGetValue(address, out var cached))
            return cached;
        var result = Compute(address);
        if (CacheCapacity > 0)
        {
            if (_cache.Count >= CacheCapacity)
                _cache.Clear();
            _cache[address] = result;
        }
        return result;
    }

    private TSubscriber[] Compute(string address)
    {
        if (_entries.Count == 0)
            return Array.Empty<TSubscriber>();
        var count = Encoding.UTF8.GetMaxByteCount(address.Length);
        Span<byte> buffer = count <= 1024 ? stackalloc byte[count] : new byte[count];
        var bytes = buffer[..Encoding.UTF8.GetBytes(address, buffer)];
        _matched.Clear();
        var node = _trie;
        for (var i = 0; ; i++)
        {
            foreach (var entry in node.Entries)
            {
                if (entry.Pattern.IsMatch(bytes))
                    _matched.Add(entry);
            }
            if (i == bytes.Length || node.Children is null || !node.Children.TryGetValue(bytes[i], out var child))
                break;
            node = child;
        }
        _literals.FindIn(bytes, _candidates);
        foreach (var entry in _candidates)
        {
            if (entry.Pattern.IsMatch(bytes))
                _matched.Add(entry);
        }
        _candidates.Clear();
        foreach (var entry in _scanned)
        {
            if (entry.Pattern.IsMatch(bytes))
                _matched.Add(entry);
        }
        if (_matched.Count == 0)
            return Array.Empty<TSubscriber>();
        if (_matched.Count == 1)
        {
            // The common case (one pattern matches): its own subscriber array, already distinct, no copy.
            var only = _matched[0].Subscribers;
            _matched.Clear();
            return only;
        }
        _matched.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        var result = new List<TSubscriber>();
        _seen.Clear();
        foreach (var entry in _matched)
        {
            foreach (var subscriber in entry.Subscribers)
            {
                if (DuplicateDeliveries || _seen.Add(subscriber))
                    result.Add(subscriber);
            }
        }
        _seen.Clear();
        _matched.Clear();
        return result.ToArray();
    }

    private sealed class Entry(ZrexPattern pattern, long sequence)
    {
        public ZrexPattern Pattern { get; } = pattern;

        /// <summary>Creation order: matches are delivered in this order, as the 2014 broker walked its list.</summary>
        public long Sequence { get; } = sequence;

        /// <summary>Subscribers in the order they subscribed, each once; replaced (never changed) on subscribe and remove, so a match can hand it out.</summary>
        public TSubscriber[] Subscribers { get; private set; } = Array.Empty<TSubscriber>();

        public void Add(TSubscriber subscriber) => Subscribers = [.. Subscribers, subscriber];

        public void Remove(TSubscriber subscriber) => Subscribers = Array.FindAll(Subscribers, s => !ReferenceEquals(s, subscriber));
    }

    // A byte trie keyed by anchored prefixes; each node holds the patterns whose prefix ends there.
    private sealed class TrieNode
    {
        public Dictionary<byte, TrieNode>? Children { get; private set; }

        public List<Entry> Entries { get; } = new();

        public TrieNode NodeFor(ReadOnlySpan<byte> prefix)
        {
            var node = this;
            foreach (var b in prefix)
            {
                node.Children ??= new Dictionary<byte, TrieNode>();
                if (!node.Children.TryGetValue(b, out var child))
                {
                    child = new TrieNode();
                    node.Children[b] = child;
                }
                node = child;
            }
            return node;
        }

        // Removes the entries and prunes branches left with nothing; true when this node is now empty.
        public bool RemoveAll(HashSet<Entry> entries)
        {
            Entries.RemoveAll(entries.Contains);
            if (Children is not null)
            {
                List<byte>? empty = null;
                foreach (var (key, child) in Children)
                {
                    if (child.RemoveAll(entries))
                        (empty ??= new List<byte>()).Add(key);
                }
                if (empty is not null)
                {
                    foreach (var key in empty)
                        Children.Remove(key);
                }
                if (Children.Count == 0)
                    Children = null;
            }
            return Entries.Count == 0 && Children is null;
        }
    }
}
