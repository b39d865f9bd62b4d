using System;
using System.Collections.Generic;

namespace Remctl.Daemon;

/// <summary>One entry of the config's <c>commands</c> object: which handler serves a subcommand and who may run it.</summary>
internal sealed record CommandConfig
{
    /// <summary>The subcommand, or <c>EMPTY</c> / <c>ALL</c>.</summary>
    public required string Subcommand { get; init; }

    /// <summary>The handler: an exec handler or one loaded from an assembly.</summary>
    public required HandlerConfig Handler { get; init; }

    /// <summary>Admitted REMOTE_USER principals; null admits everyone.</summary>
    public IReadOnlyList<string>? Users { get; init; }
}

/// <summary>What serves a command.</summary>
internal abstract record HandlerConfig;

/// <summary><c>"handler": "exec"</c>: a program run per request.</summary>
internal sealed record ExecHandlerConfig(RemctlExecOptions Options) : HandlerConfig;

/// <summary><c>"handler": "assembly"</c>: an <see cref="IRemctlHandler"/> type loaded from an assembly;
/// <paramref name="Inline"/> (<c>"inline": true</c>) runs it on the server's thread (<see cref="RemctlRoute.RunInline"/>).</summary>
internal sealed record AssemblyHandlerConfig(string Path, string TypeName, IReadOnlyDictionary<string, string> Settings, bool Inline) : HandlerConfig;

/// <summary>A parsed config file.</summary>
internal sealed record DaemonConfig(string? Source, IReadOnlyList<CommandConfig> Commands)
{
    /// <summary>No file: no commands, so every request gets ERRORCODE 5.</summary>
    public static DaemonConfig Empty { get; } = new(null, Array.Empty<CommandConfig>());
}
