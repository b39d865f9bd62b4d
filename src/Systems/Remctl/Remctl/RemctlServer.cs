using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Remctl.Protocol;

namespace Remctl;

/// <summary>
/// A remctl ZeroMQ backend: binds an endpoint, receives the requests remctld sends (REQ), and
/// dispatches each on its subcommand (argument 0) to a handler. Replies carry the handler's output
/// in write order, then <c>RETURNCODE</c> or <c>ERRORCODE</c>.
/// </summary>
/// <remarks>
/// <para>Requests are handled by <see cref="RemctlBackend"/>, the state machine generated from
/// models/remctl_server.xml on the shared server engine: a ROUTER that keeps each request's envelope
/// (routing id and empty delimiter), so REQ clients see ordinary REP behaviour while many requests are
/// served at once. The socket lives on the engine's owner thread; handlers run on the thread pool and
/// their replies are posted back, unless their route runs inline (<see cref="RemctlRoute.RunInline"/>).</para>
/// <para>Every request that is received gets exactly one reply: a malformed one ERRORCODE 4, an
/// unknown subcommand 5, a refused one 6, a handler that throws 1 (logged; the server goes on).</para>
/// <para>Routing: a request with no subcommand (<c>ARGUMENT|0</c>) goes to the <c>EMPTY</c> route,
/// else to <c>ALL</c>; a subcommand without a route of its own goes to <c>ALL</c>; with neither,
/// ERRORCODE 5. A subcommand containing NUL is refused with 4, as remctld would.</para>
/// <para>Configure routes before <see cref="Start"/>.</para>
/// </remarks>
public sealed class RemctlServer : IAsyncDisposable, IDisposable
{
    /// <summary>The route name for requests without a subcommand (remctld's <c>EMPTY</c>).</summary>
    public const string EmptyRoute = "EMPTY";

    /// <summary>The route name for any subcommand without a route of its own (remctld's <c>ALL</c>).</summary>
    public const string FallbackRoute = "ALL";

    private readonly Dictionary<string, RemctlRoute> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _abort = new();
    private readonly ILogger _logger;
    private RemctlBackend? _backend;
    private int _disposed;

    /// <summary>Creates a server; nothing is bound until <see cref="Start"/>.</summary>
    public RemctlServer(RemctlServerOptions? options = null, ILogger<RemctlServer>? logger = null)
    {
        Options = options ?? new RemctlServerOptions();
        if (Options.MaxArguments < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxArguments cannot be negative.");
        if (Options.MaxConcurrentHandlers < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrentHandlers must be at least 1.");
        if (Options.MaxQueuedRequests < 0 || Options.MaxQueuedBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxQueuedRequests and MaxQueuedBytes cannot be negative.");
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The settings.</summary>
    public RemctlServerOptions Options { get; }

    /// <summary>The bound endpoint, resolved (a wildcard port shows the port chosen); null before <see cref="Start"/>.</summary>
    public string? Endpoint => _backend?.Endpoints[0];

    /// <summary>The running state machine; null before <see cref="Start"/>.</summary>
    internal RemctlBackend? Backend => _backend;

    /// <summary>The routes, by name.</summary>
    public IReadOnlyDictionary<string, RemctlRoute> Routes => _routes;

    /// <summary>Routes <paramref name="subcommand"/> to <paramref name="handler"/>. The names
    /// <c>EMPTY</c> and <c>ALL</c> mean what they mean in remctld's config: no subcommand, and any
    /// subcommand without a route of its own.</summary>
    /// <returns>The route, to add access policies to.</returns>
    /// <exception cref="ArgumentException">The name is empty, contains NUL, or is already routed.</exception>
    /// <exception cref="InvalidOperationException">The server has started.</exception>
    public RemctlRoute Map(string subcommand, RemctlHandler handler)
    {
        ArgumentNullException.ThrowIfNull(subcommand);
        ArgumentNullException.ThrowIfNull(handler);
        if (subcommand.Length == 0 || subcommand.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("A subcommand is a non-empty string without NUL.", nameof(subcommand));
        if (_backend is not null)
            throw new InvalidOperationException("Routes are fixed once the server has started.");
        if (_routes.ContainsKey(subcommand))
            throw new ArgumentException($"Subcommand '{subcommand}' already has a handler.", nameof(subcommand));
        var route = new RemctlRoute(subcommand, handler);
        _routes.Add(subcommand, route);
        return route;
    }

    /// <summary>Routes <paramref name="subcommand"/> to a handler object; see <see cref="Map(string, RemctlHandler)"/>.</summary>
    public RemctlRoute Map(string subcommand, IRemctlHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(subcommand, handler.HandleAsync);
    }

    /// <summary>Routes <paramref name="subcommand"/> to a synchronous handler that returns the exit status.</summary>
    public RemctlRoute Map(string subcommand, Func<RemctlContext, int> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(subcommand, context => ValueTask.FromResult(handler(context)));
    }

    /// <summary>Routes requests without a subcommand (<c>ARGUMENT|0</c>).</summary>
    public RemctlRoute MapEmpty(RemctlHandler handler) => Map(EmptyRoute, handler);

    /// <summary>Routes every subcommand that has no route of its own.</summary>
    public RemctlRoute MapFallback(RemctlHandler handler) => Map(FallbackRoute, handler);

    /// <summary>Binds <paramref name="endpoint"/> (e.g. <c>tcp://127.0.0.1:5555</c>, or <c>tcp://127.0.0.1:*</c>
    /// for any free port, read back from <see cref="Endpoint"/>) and starts serving.</summary>
    /// <exception cref="Zproto.Runtime.Zmq.ZmqException">The endpoint cannot be bound.</exception>
    public void Start(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_backend is not null)
            throw new InvalidOperationException("The server has already started.");
        var backend = new RemctlBackend(this, endpoint, _logger);
        try
        {
            backend.Start();
        }
        catch
        {
            backend.Dispose();
            throw;
        }
        _backend = backend;
        _logger.LogInformation("remctl backend listening on {Endpoint} with {Count} route(s)", backend.Endpoints[0], _routes.Count);
    }

    /// <summary>Stops serving: requests that arrive from now on get ERRORCODE 1, running handlers
    /// get <see cref="RemctlServerOptions.DrainTimeout"/> to finish (then <see cref="RemctlContext.Aborted"/>
    /// is signalled), their replies are sent, and the socket is closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_backend is { } backend)
        {
            var drained = await backend.BeginDrainAsync().ConfigureAwait(false);
            if (await Task.WhenAny(drained, Task.Delay(Options.DrainTimeout)).ConfigureAwait(false) != drained)
            {
                _logger.LogWarning("{Count} handler(s) still running after {Timeout}; aborting them", backend.InFlight, Options.DrainTimeout);
                await _abort.CancelAsync().ConfigureAwait(false);
                if (await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false) != drained)
                    _logger.LogWarning("{Count} request(s) left unanswered at shutdown", backend.InFlight);
            }
            await backend.DisposeAsync().ConfigureAwait(false);
        }
        _abort.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Runs one admitted request's handler to its reply; never throws. Called on the thread pool, or on the owner thread for a route that runs inline.</summary>
    internal async Task<RemctlMsg.Reply> ExecuteAsync(RemctlMsg.Request request, RemctlRoute route, RemctlEnvironment environment, string? subcommand)
    {
        var output = new RemctlOutput();
        RemctlMsg.Reply.StatusChoice status;
        try
        {
            var context = new RemctlContext(request, environment, output, _abort.Token);
            var code = await route.Handler(context).ConfigureAwait(false);
            status = new RemctlMsg.Reply.ReturnCode { Code = code };
            _logger.LogDebug("{Command} {Subcommand} for {User}: return code {Code}, {Bytes} octets of output",
                environment.Command, subcommand, environment.User, code, output.Length);
        }
        catch (RemctlException e)
        {
            status = new RemctlMsg.Reply.ErrorCode { Code = e.Code };
            _logger.LogInformation("{Command} {Subcommand} for {User}: error {Code} ({Message})",
                environment.Command, subcommand, environment.User, e.Code, e.Message);
        }
        catch (Exception e)
        {
            // A failing handler costs its own request, never the server.
            status = new RemctlMsg.Reply.ErrorCode { Code = (int)RemctlError.Internal };
            _logger.LogError(e, "{Command} {Subcommand} for {User}: handler failed",
                environment.Command, subcommand, environment.User);
        }
        return new RemctlMsg.Reply { Output = output.Seal(), Status = status };
    }

    /// <summary>The route of <paramref name="request"/> after remctld's limits (systems.md 2.8: dispatch
    /// on argument 0); throws <see cref="RemctlException"/> with the refusal's code.</summary>
    internal RemctlRoute Resolve(RemctlMsg.Request request, out string? subcommand)
    {
        subcommand = null;
        var arguments = request.Arguments;
        if (arguments.Count > Options.MaxArguments)
            throw new RemctlException(RemctlError.TooManyArgs);
        long size = 0;
        foreach (var argument in arguments)
            size += argument.Length;
        foreach (var item in request.Environment)
            size += System.Text.Encoding.UTF8.GetByteCount(item.Name) + System.Text.Encoding.UTF8.GetByteCount(item.Value);
        if (size > Options.MaxRequestBytes)
            throw new RemctlException(RemctlError.TooMuchData);

        if (arguments.Count == 0)
        {
            return (_routes.GetValueOrDefault(EmptyRoute) ?? _routes.GetValueOrDefault(FallbackRoute))
                ?? throw new RemctlException(RemctlError.UnknownCommand, "no subcommand, and no EMPTY or ALL route");
        }

        var name = arguments[0].Span;
        if (name.Contains((byte)0))
            throw new RemctlException(RemctlError.BadCommand, "NUL in the subcommand");
        subcommand = System.Text.Encoding.UTF8.GetString(name);
        // EMPTY and ALL are route names, not subcommands a client can reach by spelling them.
        if (subcommand is not EmptyRoute and not FallbackRoute && _routes.TryGetValue(subcommand, out var route))
            return route;
        return _routes.GetValueOrDefault(FallbackRoute)
            ?? throw new RemctlException(RemctlError.UnknownCommand, $"no handler for '{subcommand}'");
    }
}
