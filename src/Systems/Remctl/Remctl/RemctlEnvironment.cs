using System;
using System.Collections;
using System.Collections.Generic;
using Remctl.Protocol;

namespace Remctl;

/// <summary>
/// The environment remctld sent with a command: <c>REMOTE_USER</c>, <c>REMOTE_ADDR</c>,
/// <c>REMOTE_HOST</c> (only when reverse DNS succeeded), <c>REMCTL_COMMAND</c> and whatever else it
/// chose to add. Names are case-sensitive; if a name repeats, the last value wins, as it would in
/// a process environment built from the same list.
/// </summary>
public sealed class RemctlEnvironment : IReadOnlyDictionary<string, string>
{
    /// <summary>The authenticated principal.</summary>
    public const string RemoteUser = "REMOTE_USER";

    /// <summary>The client's IPv4 or IPv6 address.</summary>
    public const string RemoteAddr = "REMOTE_ADDR";

    /// <summary>The client's reverse-DNS name.</summary>
    public const string RemoteHost = "REMOTE_HOST";

    /// <summary>The remctl command (never an argument: the subcommand is argument 0).</summary>
    public const string RemctlCommand = "REMCTL_COMMAND";

    private readonly Dictionary<string, string> _values;

    /// <summary>Builds the environment from the pairs in their wire order.</summary>
    public RemctlEnvironment(IReadOnlyList<RemctlMsg.Request.EnvironmentItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        _values = new Dictionary<string, string>(items.Count, StringComparer.Ordinal);
        foreach (var item in items)
            _values[item.Name] = item.Value;
    }

    /// <summary>The pairs exactly as they arrived, duplicates and order included.</summary>
    public IReadOnlyList<RemctlMsg.Request.EnvironmentItem> Items { get; }

    /// <summary><c>REMOTE_USER</c>, or null when remctld did not send it.</summary>
    public string? User => Get(RemoteUser);

    /// <summary><c>REMOTE_ADDR</c>, or null.</summary>
    public string? Address => Get(RemoteAddr);

    /// <summary><c>REMOTE_HOST</c>, or null (remctld omits it when reverse DNS fails).</summary>
    public string? Host => Get(RemoteHost);

    /// <summary><c>REMCTL_COMMAND</c>, or null.</summary>
    public string? Command => Get(RemctlCommand);

    /// <summary>The value of <paramref name="name"/>, or null when absent.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public string this[string key] => _values[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<string> Values => _values.Values;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out string value)
    {
        if (_values.TryGetValue(key, out var found))
        {
            value = found;
            return true;
        }
        value = "";
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
