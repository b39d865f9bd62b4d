using System.Threading.Tasks;

namespace Remctl;

/// <summary>
/// Runs one command. Write output through <see cref="RemctlContext.Out"/>, <see cref="RemctlContext.Err"/>
/// or <see cref="RemctlContext.Stream"/> and return the exit status (sent as <c>RETURNCODE</c>);
/// throw <see cref="RemctlException"/> to send an <c>ERRORCODE</c> instead. Any other exception
/// becomes ERRORCODE 1 and is logged. Handlers run concurrently, so they must be thread-safe.
/// </summary>
/// <param name="context">The command's arguments, environment and output streams.</param>
public delegate ValueTask<int> RemctlHandler(RemctlContext context);
