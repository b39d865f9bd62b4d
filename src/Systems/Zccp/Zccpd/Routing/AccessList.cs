using System;
using System.Collections.Generic;
using System.IO;
using Zccp.Protocol;

namespace Zccpd.Routing;

/// <summary>What a client does that the ACL decides.</summary>
public enum AccessAction
{
    /// <summary>PUBLISH to an address.</summary>
    Publish,
    /// <summary>Receive a PUBLISH to an address it subscribed to.</summary>
    Subscribe,
    /// <summary>Send DIRECT to a client identifier.</summary>
    Direct,
}

/// <summary>
/// zccpd's access control list: rules <c>IDENTIFIER ACTION PATTERN</c>, one per line, where
/// IDENTIFIER is a HELLO identifier or <c>*</c> for anyone, ACTION is <c>publish</c>,
/// <c>subscribe</c> or <c>direct</c>, and PATTERN a zrex pattern tested against the PUBLISH address,
/// the address of a notification the client would receive, or the DIRECT target. Whatever no rule
/// allows is refused; <c>#</c> starts a comment. With no ACL at all the broker allows everything.
/// </summary>
public sealed class AccessList
{
    private const int CacheCapacity = 4096;
    private readonly List<Rule> _rules;
    private readonly Dictionary<(string Identifier, AccessAction Action, string Subject), bool> _cache = new();

    private AccessList(List<Rule> rules) => _rules = rules;

    /// <summary>Rules loaded.</summary>
    public int Count => _rules.Count;

    /// <summary>Reads an ACL file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">A line is malformed (the message names the file and line).</exception>
    public static AccessList Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses ACL text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="FormatException">A line is malformed.</exception>
    public static AccessList Parse(string text, string source = "<acl>")
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new List<Rule>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
                line = line[..hash];
            var words = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
                continue;
            if (words.Length != 3)
                throw new FormatException($"{source}:{n + 1}: expected IDENTIFIER ACTION PATTERN");
            var action = words[1] switch
            {
                "publish" => AccessAction.Publish,
                "subscribe" => AccessAction.Subscribe,
                "direct" => AccessAction.Direct,
                _ => throw new FormatException($"{source}:{n + 1}: action '{words[1]}' is not publish, subscribe or direct"),
            };
            var pattern = ZrexPattern.Parse(words[2]);
            if (!pattern.IsValid)
                throw new FormatException($"{source}:{n + 1}: {pattern.Error}");
            rules.Add(new Rule(words[0] == "*" ? null : words[0], action, pattern));
        }
        return new AccessList(rules);
    }

    /// <summary>True when a rule lets <paramref name="identifier"/> do <paramref name="action"/> on <paramref name="subject"/>.</summary>
    public bool Allows(string identifier, AccessAction action, string subject)
    {
        var key = (identifier, action, subject);
        if (_cache.TryGetValue(key, out var allowed))
            return allowed;
        allowed = false;
        foreach (var rule in _rules)
        {
            if (rule.Action == action && (rule.Identifier is null || rule.Identifier == identifier) && rule.Pattern.IsMatch(subject))
            {
                allowed = true;
                break;
            }
        }
        if (_cache.Count >= CacheCapacity)
            _cache.Clear();
        _cache[key] = allowed;
        return allowed;
    }

    private sealed record Rule(string? Identifier, AccessAction Action, ZrexPattern Pattern);
}
