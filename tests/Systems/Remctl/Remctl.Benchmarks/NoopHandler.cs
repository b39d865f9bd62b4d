using System.Threading.Tasks;

namespace Remctl.Benchmarks;

/// <summary>
/// The persistent handler the daemon loads from this assembly: it does what <c>/bin/true</c> does
/// (no output, status 0), so the two benchmarks differ only in how the command runs.
/// </summary>
public sealed class NoopHandler : IRemctlHandler
{
    public ValueTask<int> HandleAsync(RemctlContext context) => ValueTask.FromResult(0);
}
