using System;
using System.Collections.Generic;
using System.Linq;

namespace Remctl;

/// <summary>
/// A subcommand's handler and its access policies. Policies run before the handler, in the order
/// added; the first that refuses ends the command with ERRORCODE 6 (access denied).
/// </summary>
public sealed class RemctlRoute
{
    private readonly List<Func<RemctlEnvironment, bool>> _policies = [];

    internal RemctlRoute(string name, RemctlHandler handler)
    {
        Name = name;
        Handler = handler;
    }

    /// <summary>The subcommand, or <c>EMPTY</c>/<c>ALL</c> for the special routes.</summary>
    public string Name { get; }

    /// <summary>The handler.</summary>
    public RemctlHandler Handler { get; }

    /// <summary>Whether the handler is called on the server's own thread (<see cref="RunInline"/>)
    /// instead of the thread pool.</summary>
    public bool RunsInline { get; private set; }

    /// <summary>Calls the handler on the server's thread, the one that receives and answers requests,
    /// instead of handing it to the thread pool: a handler whose task completes synchronously is then
    /// answered without a thread hand-off (none to the pool, none back to the server's thread). While
    /// its synchronous part runs no other request is read, so use this only for handlers whose
    /// synchronous part is short and never blocks (cached lookups, in-memory state); one that awaits
    /// real I/O still works, its reply is posted back when the I/O completes.</summary>
    public RemctlRoute RunInline()
    {
        RunsInline = true;
        return this;
    }

    /// <summary>Admits only these <c>REMOTE_USER</c> principals (exact, case-sensitive match, as
    /// Kerberos principals are). A request without REMOTE_USER is refused.</summary>
    public RemctlRoute AllowUsers(params IEnumerable<string> principals)
    {
        ArgumentNullException.ThrowIfNull(principals);
        var allowed = new HashSet<string>(principals, StringComparer.Ordinal);
        return Require(env => env.User is { } user && allowed.Contains(user));
    }

    /// <summary>Adds a policy over the request's environment (user, address, host, ...); it must be
    /// thread-safe and quick, as it runs for every request of the route.</summary>
    public RemctlRoute Require(Func<RemctlEnvironment, bool> policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policies.Add(policy);
        return this;
    }

    /// <summary>Whether every policy admits the request.</summary>
    internal bool Admits(RemctlEnvironment environment) => _policies.All(policy => policy(environment));
}
