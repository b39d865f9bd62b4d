using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Remctl.Daemon;

/// <summary>
/// Reads the daemon's JSON config (comments and trailing commas allowed). Strict: an unknown
/// property or a value of the wrong type is an error naming its path, so a typo cannot silently
/// open or close a command. Relative paths are resolved against the config file's folder.
/// </summary>
/// <example>
/// <code>
/// {
///   "commands": {
///     "echo":  { "handler": "exec", "program": "/bin/echo", "timeoutMs": 5000 },
///     "admin": { "handler": "exec", "program": "/usr/local/sbin/admin", "stdin": "last",
///                "users": ["kula@TPROA.NET"] },
///     "query": { "handler": "assembly", "path": "handlers/Db.Remctl.dll", "type": "Db.Remctl.QueryHandler",
///                "settings": { "connection": "Host=db;Database=ops" } },
///     "stats": { "handler": "assembly", "path": "handlers/Stats.dll", "type": "Stats.CountersHandler", "inline": true }
///   }
/// }
/// </code>
/// </example>
internal static class DaemonConfigReader
{
    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly string[] s_rootProperties = ["commands"];
    private static readonly string[] s_commonProperties = ["handler", "users"];
    private static readonly string[] s_execProperties = ["program", "args", "includeSubcommand", "stdin", "timeoutMs", "inheritEnvironment", "workingDirectory"];
    private static readonly string[] s_assemblyProperties = ["path", "type", "settings", "inline"];

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="DaemonConfigException">The file is missing, unreadable, not JSON, or not a valid config.</exception>
    public static DaemonConfig Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DaemonConfigException($"cannot read config file {path}: {e.Message}", e);
        }
        try
        {
            return Parse(text, fullPath);
        }
        catch (DaemonConfigException e)
        {
            throw new DaemonConfigException($"config file {path}: {e.Message}", e);
        }
    }

    /// <summary>Parses config text; <paramref name="source"/> anchors relative paths.</summary>
    public static DaemonConfig Parse(string text, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, s_jsonOptions);
        }
        catch (JsonException e)
        {
            throw new DaemonConfigException($"not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            Expect(root, JsonValueKind.Object, "the top level");
            CheckProperties(root, "the top level", s_rootProperties);
            var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(source)) ?? Directory.GetCurrentDirectory();
            var commands = new List<CommandConfig>();
            if (root.TryGetProperty("commands", out var commandsElement))
            {
                Expect(commandsElement, JsonValueKind.Object, "commands");
                foreach (var command in commandsElement.EnumerateObject())
                {
                    if (commands.Any(existing => existing.Subcommand == command.Name))
                        throw new DaemonConfigException($"commands: '{command.Name}' is configured twice");
                    commands.Add(ReadCommand(command.Name, command.Value, baseDirectory));
                }
            }
            return new DaemonConfig(source, commands);
        }
    }

    private static CommandConfig ReadCommand(string name, JsonElement element, string baseDirectory)
    {
        var where = $"commands.{name}";
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
            throw new DaemonConfigException($"{where}: a subcommand is a non-empty name without NUL");
        Expect(element, JsonValueKind.Object, where);
        var kind = RequiredString(element, "handler", where);
        HandlerConfig handler = kind switch
        {
            "exec" => ReadExec(element, where, baseDirectory),
            "assembly" => ReadAssembly(element, where, baseDirectory),
            _ => throw new DaemonConfigException($"{where}.handler: '{kind}' is not a handler (expected 'exec' or 'assembly')"),
        };
        IReadOnlyList<string>? users = null;
        if (element.TryGetProperty("users", out var usersElement))
            users = StringArray(usersElement, $"{where}.users");
        return new CommandConfig { Subcommand = name, Handler = handler, Users = users };
    }

    private static ExecHandlerConfig ReadExec(JsonElement element, string where, string baseDirectory)
    {
        CheckProperties(element, where, [.. s_commonProperties, .. s_execProperties]);
        var program = RequiredString(element, "program", where);
        // A bare name is looked up on PATH, like a shell would; only a relative path is anchored.
        if (program.Contains('/', StringComparison.Ordinal))
            program = Path.GetFullPath(program, baseDirectory);
        var options = new RemctlExecOptions { Program = program };
        if (element.TryGetProperty("args", out var args))
            options = options with { FixedArguments = StringArray(args, $"{where}.args") };
        if (element.TryGetProperty("includeSubcommand", out var include))
            options = options with { IncludeSubcommand = Boolean(include, $"{where}.includeSubcommand") };
        if (element.TryGetProperty("inheritEnvironment", out var inherit))
            options = options with { InheritEnvironment = Boolean(inherit, $"{where}.inheritEnvironment") };
        if (element.TryGetProperty("workingDirectory", out var directory))
            options = options with { WorkingDirectory = Path.GetFullPath(String(directory, $"{where}.workingDirectory"), baseDirectory) };
        if (element.TryGetProperty("timeoutMs", out var timeout))
        {
            if (timeout.ValueKind != JsonValueKind.Number || !timeout.TryGetInt32(out var milliseconds) || milliseconds <= 0)
                throw new DaemonConfigException($"{where}.timeoutMs: expected a positive number of milliseconds");
            options = options with { Timeout = TimeSpan.FromMilliseconds(milliseconds) };
        }
        if (element.TryGetProperty("stdin", out var stdin))
        {
            int? argument = stdin.ValueKind switch
            {
                JsonValueKind.String when stdin.GetString() == "last" => RemctlExecOptions.LastArgument,
                JsonValueKind.Number when stdin.TryGetInt32(out var n) && n >= 1 => n,
                _ => throw new DaemonConfigException($"{where}.stdin: expected \"last\" or an argument number from 1"),
            };
            options = options with { StdinArgument = argument };
        }
        return new ExecHandlerConfig(options);
    }

    private static AssemblyHandlerConfig ReadAssembly(JsonElement element, string where, string baseDirectory)
    {
        CheckProperties(element, where, [.. s_commonProperties, .. s_assemblyProperties]);
        var path = Path.GetFullPath(RequiredString(element, "path", where), baseDirectory);
        var type = RequiredString(element, "type", where);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("settings", out var settingsElement))
        {
            Expect(settingsElement, JsonValueKind.Object, $"{where}.settings");
            foreach (var setting in settingsElement.EnumerateObject())
                settings[setting.Name] = String(setting.Value, $"{where}.settings.{setting.Name}");
        }
        var inline = element.TryGetProperty("inline", out var inlineElement) && Boolean(inlineElement, $"{where}.inline");
        return new AssemblyHandlerConfig(path, type, settings, inline);
    }

    private static void CheckProperties(JsonElement element, string where, IReadOnlyCollection<string> known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
                throw new DaemonConfigException($"{where}: unknown property '{property.Name}' (expected one of: {string.Join(", ", known)})");
        }
    }

    private static string RequiredString(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value))
            throw new DaemonConfigException($"{where}: '{name}' is required");
        var text = String(value, $"{where}.{name}");
        if (text.Length == 0)
            throw new DaemonConfigException($"{where}.{name}: cannot be empty");
        return text;
    }

    private static string String(JsonElement element, string where)
    {
        Expect(element, JsonValueKind.String, where);
        return element.GetString()!;
    }

    private static bool Boolean(JsonElement element, string where) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new DaemonConfigException($"{where}: expected true or false"),
    };

    private static string[] StringArray(JsonElement element, string where)
    {
        Expect(element, JsonValueKind.Array, where);
        return element.EnumerateArray().Select((item, i) => String(item, $"{where}[{i}]")).ToArray();
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string where)
    {
        if (element.ValueKind != kind)
            throw new DaemonConfigException($"{where}: expected {Describe(kind)}, found {Describe(element.ValueKind)}");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
