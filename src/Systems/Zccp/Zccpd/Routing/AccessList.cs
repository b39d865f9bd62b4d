using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Zccp.Protocol;

namespace Zccpd.Routing;

/// <summary>What a client does that the ACL decides.</summary>
public enum AccessAction
{
    /// <summary>PUBLISH to an address.</summary>
    Publish,
    /// <summary>SUBSCRIBE to a pattern, and receive a PUBLISH to an address.</summary>
    Subscribe,
    /// <summary>Send DIRECT to a client identifier.</summary>
    Direct,
}

/// <summary>
/// zccpd's access control list, one statement per line (<c>#</c> at the start of a line or after
/// a blank starts a comment; a <c>#</c> inside a word is part of it, as Z85 keys may hold one):
/// <list type="bullet">
/// <item><c>key Z85-KEY IDENTIFIER[,IDENTIFIER...]</c> binds a CURVE client key to the identifiers it
/// may HELLO as. A bound key cannot HELLO as anything else, and a bound identifier can be taken only
/// by the keys bound to it; unbound keys may take any unbound identifier.</item>
/// <item><c>SUBJECT ACTION PATTERN</c>: SUBJECT is a HELLO identifier, <c>key:Z85-KEY</c> for whoever
/// authenticated with that key, or <c>*</c> for anyone; ACTION is <c>publish</c>, <c>subscribe</c>
/// or <c>direct</c>; PATTERN a zrex pattern tested against the PUBLISH address, the address of a
/// notification the client would receive, or the DIRECT target.</item>
/// </list>
/// A <c>subscribe</c> pattern must be <c>.</c> (every address) or <c>^PREFIX</c> (addresses starting
/// with a literal prefix), so a SUBSCRIBE can be judged when it arrives: it is allowed when every
/// address it can match starts with an allowed prefix. Whatever no rule allows is refused; with no
/// ACL at all the broker allows everything.
/// </summary>
public sealed class AccessList
{
    private const int CacheCapacity = 4096;
    private const string KeySubject = "key:";
    private readonly List<Rule> _rules;
    private readonly Dictionary<string, HashSet<string>> _identifiersOfKey;
    private readonly HashSet<string> _boundIdentifiers;
    private readonly Dictionary<(string Identifier, string Key, AccessAction Action, string Subject), bool> _cache = new();

    private AccessList(List<Rule> rules, Dictionary<string, HashSet<string>> identifiersOfKey)
    {
        _rules = rules;
        _identifiersOfKey = identifiersOfKey;
        _boundIdentifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var identifiers in identifiersOfKey.Values)
            _boundIdentifiers.UnionWith(identifiers);
    }

    /// <summary>Rules loaded (key bindings not counted).</summary>
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
        var keys = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var words = StripComment(lines[n]).Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
                continue;
            if (words.Length != 3)
                throw new FormatException($"{source}:{n + 1}: expected 'key Z85-KEY IDENTIFIER[,IDENTIFIER...]' or 'SUBJECT ACTION PATTERN'");
            if (words[0] == "key")
            {
                if (!IsKey(words[1]))
                    throw new FormatException($"{source}:{n + 1}: '{words[1]}' is not a Z85 CURVE public key (40 characters)");
                if (!keys.TryGetValue(words[1], out var identifiers))
                    keys[words[1]] = identifiers = new HashSet<string>(StringComparer.Ordinal);
                identifiers.UnionWith(words[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                continue;
            }
            rules.Add(ParseRule(words, $"{source}:{n + 1}"));
        }
        return new AccessList(rules, keys);
    }

    /// <summary>Why the client that authenticated with <paramref name="key"/> (empty without CURVE) may not HELLO as <paramref name="identifier"/>, or null when it may.</summary>
    public string? RefuseIdentifier(string key, string identifier)
    {
        if (_identifiersOfKey.TryGetValue(key, out var allowed))
            return allowed.Contains(identifier) ? null : $"this client key may not use identifier '{identifier}'";
        return _boundIdentifiers.Contains(identifier) ? $"identifier '{identifier}' is bound to other client keys" : null;
    }

    /// <summary>True when a rule lets <paramref name="identifier"/> (authenticated with <paramref name="key"/>) do <paramref name="action"/> on <paramref name="subject"/>.</summary>
    public bool Allows(string identifier, string key, AccessAction action, string subject)
    {
        var cacheKey = (identifier, key, action, subject);
        if (_cache.TryGetValue(cacheKey, out var allowed))
            return allowed;
        allowed = false;
        foreach (var rule in _rules)
        {
            if (rule.Action == action && rule.AppliesTo(identifier, key) && rule.Pattern.IsMatch(subject))
            {
                allowed = true;
                break;
            }
        }
        if (_cache.Count >= CacheCapacity)
            _cache.Clear();
        _cache[cacheKey] = allowed;
        return allowed;
    }

    /// <summary>True when <paramref name="identifier"/> (authenticated with <paramref name="key"/>)
    /// may SUBSCRIBE to <paramref name="pattern"/>: a subscribe rule allows every address, or the
    /// pattern is anchored with a literal prefix that starts with a rule's prefix.</summary>
    public bool AllowsSubscription(string identifier, string key, ZrexPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var prefix = pattern.AnchoredPrefix.Span;
        foreach (var rule in _rules)
        {
            if (rule.Action == AccessAction.Subscribe && rule.AppliesTo(identifier, key) && prefix.StartsWith(rule.Prefix))
                return true;
        }
        return false;
    }

    private static Rule ParseRule(string[] words, string where)
    {
        var action = words[1] switch
        {
            "publish" => AccessAction.Publish,
            "subscribe" => AccessAction.Subscribe,
            "direct" => AccessAction.Direct,
            _ => throw new FormatException($"{where}: action '{words[1]}' is not publish, subscribe or direct"),
        };
        var pattern = ZrexPattern.Parse(words[2]);
        if (!pattern.IsValid)
            throw new FormatException($"{where}: {pattern.Error}");
        var prefix = Array.Empty<byte>();
        if (action == AccessAction.Subscribe)
        {
            prefix = SubscribePrefix(words[2], pattern)
                ?? throw new FormatException($"{where}: a subscribe pattern is '.' (every address) or '^PREFIX' (a literal prefix), so SUBSCRIBEs can be judged when they arrive; '{words[2]}' is neither");
        }
        var subject = words[0];
        if (subject.StartsWith(KeySubject, StringComparison.Ordinal) && !IsKey(subject[KeySubject.Length..]))
            throw new FormatException($"{where}: '{subject[KeySubject.Length..]}' is not a Z85 CURVE public key (40 characters)");
        return new Rule(subject, action, pattern, prefix);
    }

    /// <summary>The literal prefix a subscribe rule allows (empty for '.'), or null when the rule is not of that form.</summary>
    private static byte[]? SubscribePrefix(string expression, ZrexPattern pattern)
    {
        if (expression is "." or ".*")
            return Array.Empty<byte>();
        if (!expression.StartsWith('^') || expression.Length < 2)
            return null;
        var literal = new StringBuilder();
        for (var i = 1; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\\' && i + 1 < expression.Length && !char.IsAsciiLetterOrDigit(expression[i + 1]))
                literal.Append(expression[++i]);
            else if ("^$.\\+*?()[]|{}".Contains(c, StringComparison.Ordinal))
                return null;
            else
                literal.Append(c);
        }
        var bytes = Encoding.UTF8.GetBytes(literal.ToString());
        // The engine's own reading of the prefix must agree, or the rule is not the plain prefix it looks like.
        return pattern.AnchoredPrefix.Span.SequenceEqual(bytes) ? bytes : null;
    }

    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
                return line[..i];
        }
        return line;
    }

    private static bool IsKey(string text)
    {
        if (text.Length != 40)
            return false;
        try
        {
            return Zproto.Runtime.Zmq.Z85.Decode(text).Length == 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed record Rule(string Subject, AccessAction Action, ZrexPattern Pattern, byte[] Prefix)
    {
        public bool AppliesTo(string identifier, string key) =>
            Subject == "*"
            || (Subject.StartsWith(KeySubject, StringComparison.Ordinal) ? key.Length > 0 && Subject.AsSpan(KeySubject.Length).SequenceEqual(key) : Subject == identifier);
    }
}
