using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Zproto.Runtime.Configuration;

/// <summary>
/// ZPL, the ZeroMQ property language (ZeroMQ RFC 5) zproto servers read their configuration from:
/// a tree of names, nesting by four-space indentation, <c>name = value</c> leaves, <c>#</c> comments.
/// Values are addressed by path, e.g. <c>server/timeout</c> or <c>zpipes_server/bind/endpoint</c>.
/// </summary>
public sealed class ZplConfig
{
    private readonly List<KeyValuePair<string, string>> _entries;

    private ZplConfig(List<KeyValuePair<string, string>> entries) => _entries = entries;

    /// <summary>Every (path, value) in document order; a section with no value has an empty value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

    /// <summary>The value at <paramref name="path"/>, or null.</summary>
    public string? this[string path]
    {
        get
        {
            foreach (var e in _entries)
                if (string.Equals(e.Key, path, StringComparison.Ordinal)) return e.Value;
            return null;
        }
    }

    /// <summary>All values at <paramref name="path"/> (ZPL allows repeated names, e.g. several <c>bind/endpoint</c>).</summary>
    public IEnumerable<string> All(string path)
    {
        foreach (var e in _entries)
            if (string.Equals(e.Key, path, StringComparison.Ordinal)) yield return e.Value;
    }

    /// <summary>Reads a ZPL file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">A line is malformed; the message names the file and line.</exception>
    public static ZplConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"configuration file '{path}' not found", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses ZPL text.</summary>
    public static ZplConfig Parse(string text, string source = "<text>")
    {
        var entries = new List<KeyValuePair<string, string>>();
        var stack = new List<string>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1];
            var content = StripComment(line);
            if (content.Trim().Length == 0)
                continue;
            var indent = 0;
            while (indent < content.Length && content[indent] == ' ')
                indent++;
            if (indent < content.Length && content[indent] == '\t')
                throw new FormatException($"{source}({number}): ZPL indents with spaces, not tabs");
            if (indent % 4 != 0)
                throw new FormatException($"{source}({number}): indentation must be a multiple of 4 spaces");
            var level = indent / 4;
            if (level > stack.Count)
                throw new FormatException($"{source}({number}): indented deeper than its parent");
            stack.RemoveRange(level, stack.Count - level);
            var body = content.Substring(indent).Trim();
            string name, value = "";
            var equals = body.IndexOf('=');
            if (equals >= 0)
            {
                name = body.Substring(0, equals).Trim();
                value = Unquote(body.Substring(equals + 1).Trim(), source, number);
            }
            else
            {
                name = body;
            }
            if (name.Length == 0 || name.IndexOfAny([' ', '/']) >= 0)
                throw new FormatException($"{source}({number}): '{name}' is not a valid ZPL name");
            stack.Add(name);
            entries.Add(new KeyValuePair<string, string>(string.Join("/", stack), value));
        }
        return new ZplConfig(entries);
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#')
            {
                return line.Substring(0, i);
            }
        }
        return line;
    }

    private static string Unquote(string value, string source, int number)
    {
        if (value.Length >= 1 && value[0] is '"' or '\'')
        {
            if (value.Length < 2 || value[^1] != value[0])
                throw new FormatException($"{source}({number}): unterminated quoted value");
            return value.Substring(1, value.Length - 2);
        }
        return value;
    }

    /// <summary>Milliseconds at <paramref name="path"/> as a TimeSpan, or null when absent.</summary>
    public TimeSpan? Milliseconds(string path)
    {
        var text = this[path];
        if (text is null)
            return null;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            throw new FormatException($"'{path}' must be a number of milliseconds, not '{text}'");
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>A boolean (1/0, true/false, yes/no) at <paramref name="path"/>, or null.</summary>
    public bool? Boolean(string path) => this[path]?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" or "" => false,
        var other => throw new FormatException($"'{path}' must be 1 or 0, not '{other}'"),
    };
}
