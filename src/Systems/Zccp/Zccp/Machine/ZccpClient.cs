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

    /// <summary>How long the broker may stay silent once connected before the client says HELLO again (the broker PINGs idle clients every second by default).</summary>
    public TimeSpan PresenceTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Receives every DELIVER, on the client's owner thread; it must not block.</summary>
    public Action<Delivery>? Deliveries { get; init; }

    /// <summary>Called on the owner thread each time a lost session was re-established and its subscriptions replayed.</summary>
    public Action? Reconnected { get; init; }

    private partial void ConnectToServer()
    {
        var args = ArgumentsAs<ConnectArguments>();
        if (_endpoint is not null)
            throw new InvalidOperationException($"this client already connected to {_endpoint}");
        _endpoint = args.Endpoint;
        _identifier = args.Identifier;
        _connectTimeout = args.Timeout;
        Connect(args.Endpoint);
    }

    private partial void UseConnectTimeout()
    {
        SetTimeout(TimeSpan.FromMilliseconds(_connectTimeout));
        Outgoing = new ZccpMsg.Hello { Identifier = _identifier };
    }

    private partial void SignalSuccess()
    {
        Connected = true;
        SignalReply(new Success());
    }

    private partial void UsePresenceTimeout() => SetTimeout(PresenceTimeout);

    private partial void SignalServerNotReachable() => SignalReply(new Failure { Reason = "Server is not reachable" });

    private partial void StartReplay() => SetNextEvent(_subscriptions.StartReplay() ? Event.Replay : Event.Replayed);

    private partial void PrepareNextReplay()
    {
        Outgoing = new ZccpMsg.Subscribe { Expression = _subscriptions.NextReplay(out var more) };
        SetNextEvent(more ? Event.Replay : Event.Replayed);
    }

    private partial void SignalReconnected() => Reconnected?.Invoke();

    private partial void PrepareSubscribe()
    {
        var expression = ArgumentsAs<SubscribeArguments>().Expression;
        _subscriptions.Sent(expression);
        Outgoing = new ZccpMsg.Subscribe { Expression = expression };
    }

    private partial void SignalSubscribed()
    {
        // Acknowledgements of replayed patterns answer no call.
        if (_subscriptions.Acknowledged())
            SignalReply(new Subscribed());
    }

    private partial void FailPendingSubscriptions()
    {
        for (var n = _subscriptions.AbandonPending(); n > 0; n--)
            SignalReply(new Failure { Reason = "the broker ended the session (INVALID) before acknowledging the subscription" });
    }

    private partial void PreparePublish()
    {
        var args = ArgumentsAs<PublishArguments>();
        Outgoing = new ZccpMsg.Publish { Address = args.Address, Headers = args.Headers, Content = args.Content };
    }

    private partial void PrepareDirect()
    {
        var args = ArgumentsAs<DirectArguments>();
        Outgoing = new ZccpMsg.Direct { Address = args.Address, Headers = args.Headers, Content = args.Content };
    }

    private partial void PassDelivery()
    {
        var deliver = (ZccpMsg.Deliver)Message!;
        Deliveries?.Invoke(new Delivery(deliver.Sender, deliver.Address, deliver.Headers, deliver.Content ?? Array.Empty<ReadOnlyMemory<byte>>()));
    }

    private partial void SignalDisconnected()
    {
        Connected = false;
        SignalReply(new Disconnected());
    }

    /// <summary>Patterns the broker acknowledged, replayed after a reconnect (owner thread only).</summary>
    internal IReadOnlyList<string> Subscriptions => _subscriptions.Patterns;
}
