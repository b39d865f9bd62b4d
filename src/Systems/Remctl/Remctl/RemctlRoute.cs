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
