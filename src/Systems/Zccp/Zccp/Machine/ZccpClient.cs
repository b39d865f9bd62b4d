using System;
using System.Collections.Generic;
using Zccp.Machine.Codec;

namespace Zccp.Machine;

/// <summary>
/// The ZCCP client machine's actions; the state machine and its async methods are generated from
/// models/zccp_client.xml. Applications use Zccp.ZccpClient, which wraps this. Each
/// action is a thin call into <see cref="SubscriptionLog"/> or the <see cref="Deliveries"/> sink.
/// </summary>
public sealed partial class ZccpClient
{
    private readonly SubscriptionLog _subscriptions = new();
    private string _identifier = "";
    private uint _connectTimeout;
    private string? _endpoint;
    private string _nextExpression = "";

    /// <summary>How long the broker may stay silent once connected before the client says HELLO again (the broker PINGs idle clients every second by default).</summary>
    public TimeSpan PresenceTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Receives every DELIVER, on the client's owner thread; it must not block.</summary>
    public Action<Delivery>? Deliveries { get; init; }

    /// <summary>Called on the owner thread each time a lost session was re-established and its subscriptions replayed.</summary>
    public Action? Reconnected { get; init; }

    private partial void ConnectToServer(ConnectArguments arguments)
    {
        if (_endpoint is not null)
            throw new InvalidOperationException($"this client already connected to {_endpoint}");
        _endpoint = arguments.Endpoint;
        _identifier = arguments.Identifier;
        _connectTimeout = arguments.Timeout;
        Connect(arguments.Endpoint);
    }

    private partial void UseConnectTimeout()
    {
        SetTimeout(TimeSpan.FromMilliseconds(_connectTimeout));
    }

    private partial ZccpMsg.Hello ComposeHello() => new() { Identifier = _identifier };

    private partial void SignalSuccess(ZccpMsg.HelloOk message)
    {
        Connected = true;
        SignalReply(new Success());
    }

    private partial void UsePresenceTimeout(ZccpMsg.HelloOk message) => SetTimeout(PresenceTimeout);

    private partial void SignalServerNotReachable() => SignalReply(new Failure { Reason = "Server is not reachable" });

    private partial void SignalRefused(ZccpMsg.Invalid message) => SignalReply(new Refused());

    private partial void StartReplay(ZccpMsg.HelloOk message) => SetNextEvent(_subscriptions.StartReplay() ? Event.Replay : Event.Replayed);

    private partial void PrepareNextReplay()
    {
        _nextExpression = _subscriptions.NextReplay(out var more);
        SetNextEvent(more ? Event.Replay : Event.Replayed);
    }

    private partial void SignalReconnected() => Reconnected?.Invoke();

    private partial void PrepareSubscribe(SubscribeToArguments arguments)
    {
        _subscriptions.Sent(arguments.Expression);
        _nextExpression = arguments.Expression;
    }

    // SUBSCRIBE is sent for a call and for a replay: the pattern is the one the preceding action chose.
    private partial ZccpMsg.Subscribe ComposeSubscribe() => new() { Expression = _nextExpression };

    private partial void SignalSubscribed(ZccpMsg.SubscribeOk message)
    {
        // Acknowledgements of replayed patterns answer no call.
        if (_subscriptions.Acknowledged())
            SignalReply(new Subscribed());
    }

    private partial void FailPendingSubscriptions(ZccpMsg.Invalid message)
    {
        for (var n = _subscriptions.AbandonPending(); n > 0; n--)
            SignalReply(new Failure { Reason = "the broker ended the session (INVALID) before acknowledging the subscription" });
    }

    private partial ZccpMsg.Publish ComposePublish(PublishToArguments arguments) =>
        new() { Address = arguments.Address, Headers = arguments.Headers, Content = arguments.Content };

    private partial ZccpMsg.Direct ComposeDirect(DirectToArguments arguments) =>
        new() { Address = arguments.Address, Headers = arguments.Headers, Content = arguments.Content };

    private partial void PassDelivery(ZccpMsg.Deliver message)
    {
        // The broker answers a SUBSCRIBE its ACL forbids with this DELIVER instead of SUBSCRIBE-OK.
        if (message.Sender.Length == 0 && message.Headers.TryGetValue("refused", out var refused) && refused == "subscribe")
        {
            if (_subscriptions.Refused())
                SignalReply(new Failure { Reason = $"the broker refused it ({(message.Headers.TryGetValue("error", out var error) ? error : "refused")})" });
            return;
        }
        Deliveries?.Invoke(new Delivery(message.Sender, message.Address, message.Headers, message.Content ?? Array.Empty<ReadOnlyMemory<byte>>()));
    }

    private partial void SignalDisconnected()
    {
        Connected = false;
        SignalReply(new Disconnected());
    }

    /// <summary>Patterns the broker acknowledged, replayed after a reconnect (owner thread only).</summary>
    internal IReadOnlyList<string> Subscriptions => _subscriptions.Patterns;
}
