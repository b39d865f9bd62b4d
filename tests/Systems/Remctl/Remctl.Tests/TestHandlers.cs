using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Remctl.Tests;

/// <summary>
/// A handler the daemon loads from this test assembly through its config, as it would load a
/// site's own handler assembly. It counts its calls, which shows that one instance serves every
/// request: the handler is persistent.
/// </summary>
public sealed class GreetingHandler : IRemctlHandler
{
    private readonly string _greeting;
    private int _calls;

    public GreetingHandler(IReadOnlyDictionary<string, string> settings)
    {
        _greeting = settings.TryGetValue("greeting", out var greeting) ? greeting : "hello";
    }

    public ValueTask<int> HandleAsync(RemctlContext context)
    {
        var call = Interlocked.Increment(ref _calls);
        context.Out.Write($"{_greeting} {context.User} ({string.Join(",", context.Parameters)}) call {call}\n");
        return ValueTask.FromResult(0);
    }
}

/// <summary>Writes where the daemon called it: on a pool thread, or on the named thread that serves requests.</summary>
public sealed class WhereHandler : IRemctlHandler
{
    public ValueTask<int> HandleAsync(RemctlContext context)
    {
        context.Out.Write(Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name ?? "unnamed");
        return ValueTask.FromResult(0);
    }
}

/// <summary>A handler with no usable constructor, to check the daemon's config error.</summary>
public sealed class UnconstructibleHandler(int unused) : IRemctlHandler
{
    public int Unused { get; } = unused;

    public ValueTask<int> HandleAsync(RemctlContext context) => ValueTask.FromResult(0);
}
