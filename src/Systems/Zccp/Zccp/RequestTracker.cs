using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Zccp;

/// <summary>
/// Request-reply over DIRECT. A request carries <c>request-id</c> (unique per client) and
/// <c>reply-to</c> (the requester's identifier); a reply carries the same <c>request-id</c> and no
/// <c>reply-to</c>; the broker's refusal echoes the request's headers plus <c>error=no-route</c>.
/// <see cref="Classify"/> sorts each delivery into one of those, or an ordinary delivery.
/// </summary>
internal sealed class RequestTracker
{
    public const string RequestIdHeader = "request-id";
    public const string ReplyToHeader = "reply-to";
    public const string ErrorHeader = "error";
    public const string NoRoute = "no-route";

    private readonly ConcurrentDictionary<string, (string Target, TaskCompletionSource<Delivery> Reply)> _pending = new(StringComparer.Ordinal);
    private long _nextId;

    /// <summary>What a delivery is.</summary>
    public enum Kind
    {
        /// <summary>A notification or a DIRECT that is not part of a request.</summary>
        Ordinary,
        /// <summary>Someone's request to this client: answer it.</summary>
        Request,
        /// <summary>The answer to one of this client's requests (now completed).</summary>
        Reply,
    }

    /// <summary>Requests awaiting an answer.</summary>
    public int Pending => _pending.Count;

    /// <summary>Registers a request; returns its id and the task its reply completes.</summary>
    public (string Id, Task<Delivery> Reply) Start(string target)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<Delivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (target, reply);
        return (id, reply.Task);
    }

    /// <summary>Forgets a request given up on (timeout, cancellation).</summary>
    public void Abandon(string id) => _pending.TryRemove(id, out _);

    /// <summary>Sorts <paramref name="delivery"/>; a reply (or refusal) completes its request here.</summary>
    public Kind Classify(Delivery delivery)
    {
        if (!delivery.Headers.TryGetValue(RequestIdHeader, out var id))
            return Kind.Ordinary;
        var error = delivery.Headers.GetValueOrDefault(ErrorHeader);
        // The broker's no-route answer comes from no one (empty sender) and echoes reply-to.
        var isAnswer = error is not null && delivery.Sender.Length == 0 || !delivery.Headers.ContainsKey(ReplyToHeader);
        if (isAnswer && _pending.TryRemove(id, out var request))
        {
            if (error == NoRoute && delivery.Sender.Length == 0)
                request.Reply.TrySetException(new ZccpNoRouteException(request.Target));
            else if (error is not null)
                request.Reply.TrySetException(new ZccpRequestFailedException(request.Target, error));
            else
                request.Reply.TrySetResult(delivery);
            return Kind.Reply;
        }
        return delivery.Headers.ContainsKey(ReplyToHeader) && error is null ? Kind.Request : Kind.Ordinary;
    }

    /// <summary>Fails every waiting request (the client is closing).</summary>
    public void FailAll(Exception error)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var request))
                request.Reply.TrySetException(error);
        }
    }
}
