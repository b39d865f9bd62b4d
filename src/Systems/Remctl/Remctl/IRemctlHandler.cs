using System.Threading.Tasks;

namespace Remctl;

/// <summary>
/// A handler as a class, for handlers loaded from assemblies by <c>remctl-zmqd</c> (its config
/// names the assembly and the type). The type needs a public constructor that takes either nothing
/// or an <c>IReadOnlyDictionary&lt;string, string&gt;</c> of the settings given in the config. One
/// instance serves every request of its subcommand, concurrently: that is what makes it persistent
/// (open the database connection once, in the constructor or lazily).
/// </summary>
public interface IRemctlHandler
{
    /// <summary>Runs one command; see <see cref="RemctlHandler"/>.</summary>
    ValueTask<int> HandleAsync(RemctlContext context);
}
