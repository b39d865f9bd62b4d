using System;
using System.Collections.Generic;
using System.IO;
using Zp.Client;

namespace Zpd;

/// <summary>
/// zpd's <c>authorized_keys</c>: one line per client key, <c>Z85-PUBLIC-KEY user[,user...]</c>;
/// blank lines and lines starting with <c>#</c> are ignored. Only listed keys pass the CURVE
/// handshake (ZAP), and a session may act only as a user its own key's line lists.
/// </summary>
internal sealed class AuthorizedKeys
{
    private readonly Dictionary<string, string[]> _users = new(StringComparer.Ordinal);

    /// <summary>The client public keys allowed in.</summary>
    public IReadOnlyCollection<string> Keys => _users.Keys;

    /// <summary>Users <paramref name="key"/> may act as (empty for an unknown key).</summary>
    public IReadOnlyList<string> UsersOf(string key) => _users.TryGetValue(key, out var users) ? users : Array.Empty<string>();

    /// <summary>Parses the file's text; a malformed line throws <see cref="FormatException"/> naming its number.</summary>
    public static AuthorizedKeys Parse(string text, string source)
    {
        var result = new AuthorizedKeys();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
                throw new FormatException($"{source}:{lineNumber}: expected 'Z85-PUBLIC-KEY user[,user...]'");
            if (!KeyFiles.IsKey(parts[0]))
                throw new FormatException($"{source}:{lineNumber}: '{parts[0]}' is not a Z85 CURVE public key (40 characters)");
            var users = parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (users.Length == 0)
                throw new FormatException($"{source}:{lineNumber}: no user after the key");
            result._users[parts[0]] = users;
        }
        return result;
    }

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    public static AuthorizedKeys Load(string path) => Parse(File.ReadAllText(path), path);
}
