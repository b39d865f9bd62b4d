using System;
using System.Collections.Generic;

namespace Remctl;

/// <summary>Settings of a <see cref="RemctlExecHandler"/>: remctl's classic "run a program per command".</summary>
public sealed record RemctlExecOptions
{
    /// <summary>The value of <see cref="StdinArgument"/> that designates the last argument.</summary>
    public const int LastArgument = -1;

    /// <summary>The program to run: an absolute path, or a name looked up on PATH.</summary>
    public required string Program { get; init; }

    /// <summary>Arguments placed before the request's own, e.g. a fixed mode switch.</summary>
    public IReadOnlyList<string> FixedArguments { get; init; } = [];

    /// <summary>Whether the subcommand is passed as the first argument (remctld passes it; the
    /// default here passes only the arguments after it, so <c>/bin/echo</c> echoes just those).</summary>
    public bool IncludeSubcommand { get; init; }

    /// <summary>Which argument after the subcommand (1-based; <see cref="LastArgument"/> for the last)
    /// goes to the program's stdin instead of its command line, like remctld's <c>stdin=</c>. That
    /// argument may hold any bytes, NUL included; the others cannot contain NUL (ERRORCODE 4),
    /// because a command line cannot. Null: stdin is empty.</summary>
    public int? StdinArgument { get; init; }

    /// <summary>How long the program may run; past it, it is killed (with its children) and the
    /// command ends with ERRORCODE 1. Output it wrote before is still sent.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the program starts from the daemon's environment (the request's variables
    /// are added on top either way).</summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>The working directory; null keeps the daemon's.</summary>
    public string? WorkingDirectory { get; init; }
}
