using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Zccp.Protocol;
using Zproto.Runtime.Clients;
using Zproto.Wire;
using MachineClient = Zccp.Machine.ZccpClient;

namespace Zccp;

/// <summary>
/// A ZCCP client: subscribe to zrex patterns, publish notifications, send DIRECT messages and
/// requests to one client by identifier, answer requests, and read deliveries as an async stream.
/// When the broker loses the session (INVALID, or silence past the presence timeout) the client
/// says HELLO again and replays its subscriptions. Disposing says GOODBYE.
/// </summary>
/// <example>
/// <code>
/// await using var client = await ZccpClient.ConnectAsync("ipc://@/zccp", "monitor", TimeSpan.FromSeconds(1));
/// await client.SubscribeAsync(@"^cpu\.");
/// await foreach (var delivery in client.ReadDeliveriesAsync())
///     Console.WriteLine($"{delivery.Address} from {delivery.Sender}: {delivery.Text}");
/// </code>
/// </example>
public sealed class ZccpClient : IAsyncDisposable
{
    private readonly MachineClient _machine;
    private readonly ZccpClientOptions _options;
    private readonly Channel<Delivery> _deliveries;
    private readonly RequestTracker _requests = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly ILogger? _logger;
    private Func<Delivery, CancellationToken, Task<IReadOnlyList<ReadOnlyMemory<byte>>>>? _handler;
    private int _reconnections;
    private long _dropped;
    private int _disposed;

    private ZccpClient(string endpoint, string identifier, ZccpClientOptions options)
    {
        Endpoint = endpoint;
        Identifier = identifier;
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger<ZccpClient>();
        _deliveries = Channel.CreateBounded<Delivery>(
            new BoundedChannelOptions(options.DeliveryQueueLimit) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => Interlocked.Increment(ref _dropped));
        _machine = new MachineClient(options, options.LoggerFactory?.CreateLogger<MachineClient>())
        {
            PresenceTimeout = options.PresenceTimeout,
            Deliveries = OnDelivery,
            Reconnected = () => Interlocked.Increment(ref _reconnections),
        };
    }

    /// <summary>The broker's endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>The identifier this client greeted with; DIRECT messages to it reach this client.</summary>
    public string Identifier { get; }

    /// <summary>Sessions re-established after the broker lost one.</summary>
    public int Reconnections => Volatile.Read(ref _reconnections);

    /// <summary>Deliveries dropped because nobody read them fast enough (see <see cref="ZccpClientOptions.DeliveryQueueLimit"/>).</summary>
    public long DroppedDeliveries => Interlocked.Read(ref _dropped);

    /// <summary>Connects to the broker at <paramref name="endpoint"/> and greets it as <paramref name="identifier"/>.</summary>
    /// <exception cref="ZccpNotReachableException">No HELLO-OK within <paramref name="timeout"/>.</exception>
    /// <exception cref="ZccpIdentifierRefusedException">The broker answered the HELLO with INVALID (its ACL does not admit the identifier).</exception>
    /// <exception cref="ArgumentException">The identifier is over 255 UTF-8 bytes or the timeout is not positive.</exception>
    public static async Task<ZccpClient> ConnectAsync(string endpoint, string identifier, TimeSpan timeout, ZccpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(identifier);
        if (Encoding.UTF8.GetByteCount(identifier) > ZrexPattern.MaxLength)
            throw new ArgumentException($"an identifier is at most {ZrexPattern.MaxLength} UTF-8 bytes", nameof(identifier));
        if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timeout), "the connect timeout must be positive");
        var client = new ZccpClient(endpoint, identifier, options ?? new ZccpClientOptions());
        try
        {
            client._machine.Start();
            var reply = await client._machine.ConnectAsync(endpoint, identifier, (uint)timeout.TotalMilliseconds, timeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            if (reply.Value is MachineClient.Refused)
                throw new ZccpIdentifierRefusedException(endpoint, identifier);
            if (reply.Value is MachineClient.Failure)
                throw new ZccpNotReachableException(endpoint);
            return client;
        }
        catch
        {
            await client.CloseAsync(sayGoodbye: false).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Subscribes to deliveries whose address contains a match of the zrex <paramref name="pattern"/>.</summary>
    /// <exception cref="ZccpPatternException">The pattern is not valid zrex (checked here; nothing is sent).</exception>
    /// <exception cref="ZccpSubscriptionFailedException">The broker ended the session first (over its limit, or refused).</exception>
    public async Task SubscribeAsync(string pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var compiled = ZrexPattern.Parse(pattern);
        if (!compiled.IsValid)
            throw new ZccpPatternException(pattern, compiled.Error!);
        var reply = await _machine.SubscribeToAsync(pattern, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (reply.Value is MachineClient.Failure failure)
            throw new ZccpSubscriptionFailedException(pattern, failure.Reason);
    }

    /// <summary>Publishes a notification to <paramref name="address"/> (fire and forget; no self-delivery).</summary>
    public Task PublishAsync(string address, IReadOnlyList<ReadOnlyMemory<byte>> content, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default) =>
        _machine.PublishToAsync(address, Hash(headers), content, cancellationToken: cancellationToken);

    /// <summary>Publishes one UTF-8 text frame.</summary>
    public Task PublishAsync(string address, string content, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default) =>
        PublishAsync(address, Frames(content), headers, cancellationToken);

    /// <summary>Sends a message to the client whose identifier is <paramref name="target"/> (fire and forget).</summary>
    public Task DirectAsync(string target, IReadOnlyList<ReadOnlyMemory<byte>> content, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default) =>
        _machine.DirectToAsync(target, Hash(headers), content, cancellationToken: cancellationToken);

    /// <summary>
    /// Sends a request to <paramref name="target"/> and waits for its reply: a DIRECT with headers
    /// <c>request-id</c> and <c>reply-to</c>, answered by a DIRECT with the same <c>request-id</c>.
    /// </summary>
    /// <exception cref="ZccpNoRouteException">No client with that identifier is connected.</exception>
    /// <exception cref="ZccpRequestFailedException">The target answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    public async Task<Delivery> RequestAsync(string target, IReadOnlyList<ReadOnlyMemory<byte>> content, TimeSpan timeout, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (id, reply) = _requests.Start(target);
        var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [RequestTracker.RequestIdHeader] = id,
            [RequestTracker.ReplyToHeader] = Identifier,
        };
        try
        {
            await DirectAsync(target, content, all, cancellationToken).ConfigureAwait(false);
            return await reply.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{target}' did not answer request {id} within {timeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            _requests.Abandon(id);
        }
    }

    /// <summary>Sends a one-frame text request; see <see cref="RequestAsync(string, IReadOnlyList{ReadOnlyMemory{byte}}, TimeSpan, IReadOnlyDictionary{string, string}?, CancellationToken)"/>.</summary>
    public Task<Delivery> RequestAsync(string target, string content, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        RequestAsync(target, Frames(content), timeout, null, cancellationToken);

    /// <summary>
    /// Answers requests sent to this client with <paramref name="handler"/> (for devices). Requests
    /// then no longer appear in <see cref="ReadDeliveriesAsync"/>. A handler that throws answers
    /// with header <c>error=handler-failed</c>. Dispose the result to stop handling.
    /// </summary>
    public IDisposable HandleRequests(Func<Delivery, CancellationToken, Task<IReadOnlyList<ReadOnlyMemory<byte>>>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.CompareExchange(ref _handler, handler, null) is not null)
            throw new InvalidOperationException("a request handler is already registered");
        return new Registration(() => Interlocked.CompareExchange(ref _handler, null, handler));
    }

    /// <summary>Answers <paramref name="request"/> (a delivery with <c>reply-to</c>) with <paramref name="content"/>.</summary>
    public Task ReplyAsync(Delivery request, IReadOnlyList<ReadOnlyMemory<byte>> content, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(RequestTracker.ReplyToHeader, out var replyTo) || !request.Headers.TryGetValue(RequestTracker.RequestIdHeader, out var id))
            throw new ArgumentException("the delivery is not a request: it has no reply-to and request-id headers", nameof(request));
        var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [RequestTracker.RequestIdHeader] = id };
        return DirectAsync(replyTo, content, all, cancellationToken);
    }

    /// <summary>Deliveries as they arrive (requests too, unless a handler takes them), until the client is disposed.</summary>
    public IAsyncEnumerable<Delivery> ReadDeliveriesAsync(CancellationToken cancellationToken = default) => _deliveries.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Says GOODBYE (briefly waiting for GOODBYE-OK) and closes the client.</summary>
    public ValueTask DisposeAsync() => CloseAsync(sayGoodbye: true);

    private async ValueTask CloseAsync(bool sayGoodbye)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (sayGoodbye && _machine.Connected && !_machine.Terminated)
        {
            try
            {
                await _machine.DisconnectAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or ZprotoMethodNotValidException or ZprotoClientTerminatedException or ObjectDisposedException)
            {
                // The broker is gone or the session was mid-reconnect: closing goes on regardless.
            }
        }
        await _closing.CancelAsync().ConfigureAwait(false);
        _requests.FailAll(new ObjectDisposedException(nameof(ZccpClient)));
        _deliveries.Writer.TryComplete();
        await _machine.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    // Runs on the machine's owner thread: never block here.
    private void OnDelivery(Delivery delivery)
    {
        switch (_requests.Classify(delivery))
        {
            case RequestTracker.Kind.Reply:
                return;
            case RequestTracker.Kind.Request when Volatile.Read(ref _handler) is { } handler:
                _ = Task.Run(() => AnswerAsync(handler, delivery));
                return;
            default:
                _deliveries.Writer.TryWrite(delivery);
                return;
        }
    }

    private async Task AnswerAsync(Func<Delivery, CancellationToken, Task<IReadOnlyList<ReadOnlyMemory<byte>>>> handler, Delivery request)
    {
        try
        {
            IReadOnlyList<ReadOnlyMemory<byte>> content;
            IReadOnlyDictionary<string, string>? headers = null;
            try
            {
                content = await handler(request, _closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_closing.IsCancellationRequested)
            {
                content = Frames(e.Message);
                headers = new Dictionary<string, string> { [RequestTracker.ErrorHeader] = "handler-failed" };
            }
            await ReplyAsync(request, content, headers).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or ZprotoClientTerminatedException or ZprotoMethodNotValidException or ZprotoSendQueueFullException or TimeoutException)
        {
            // Closing, the session is being re-established, or the broker has not read this client's
            // last 10,000 messages: the answer cannot go out, and the requester's own timeout reports it.
            _logger?.LogWarning("request {RequestId} from {ReplyTo} not answered: {Reason}", request.Headers.GetValueOrDefault(RequestTracker.RequestIdHeader), request.Headers.GetValueOrDefault(RequestTracker.ReplyToHeader), e.Message);
        }
    }

    private static ZprotoHash Hash(IReadOnlyDictionary<string, string>? headers) =>
        headers is null || headers.Count == 0 ? ZprotoHash.Empty : headers as ZprotoHash ?? ZprotoHash.Create(headers.ToArray());

    private static ReadOnlyMemory<byte>[] Frames(string text) => new ReadOnlyMemory<byte>[] { Encoding.UTF8.GetBytes(text) };

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
