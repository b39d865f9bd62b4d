using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zccpd.Codec;
using Zccpd.Routing;
using Zproto.Runtime.Servers;
using Zproto.Wire;

namespace Zccpd;

/// <summary>
/// The ZCCP broker's server: the state machine is generated from models/zccp_server.xml; each
/// action here is a thin call into <see cref="SubscriptionIndex{TSubscriber}"/> or
/// <see cref="DirectRouter{TClient}"/>. Everything runs on the server's owner thread.
/// </summary>
public sealed partial class ZccpServer
{
    /// <summary>The header of a DELIVER the broker sends back when it could not take a DIRECT or PUBLISH.</summary>
    public const string ErrorHeader = "error";

    /// <summary><see cref="ErrorHeader"/>'s value for a DIRECT whose target is not connected.</summary>
    public const string NoRoute = "no-route";

    /// <summary><see cref="ErrorHeader"/>'s value for a PUBLISH or DIRECT the ACL refuses.</summary>
    public const string Forbidden = "forbidden";

    private readonly SubscriptionIndex<Client> _subscriptions = new();
    private readonly DirectRouter<Client> _router = new();
    // The subscribers one PUBLISH goes to (reused: a PUBLISH allocates no list).
    private readonly List<Client> _targets = new();

    /// <summary>Creates the broker with a policy (the host uses this constructor).</summary>
    [ActivatorUtilitiesConstructor]
    public ZccpServer(ServerOptions options, ILogger<ZccpServer>? logger, BrokerPolicy policy)
        : this(options, logger)
    {
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _subscriptions = new SubscriptionIndex<Client>(policy.MaxSubscriptionsPerClient, policy.DuplicateDeliveries);
    }

    /// <summary>Heartbeats, duplicate deliveries and limits.</summary>
    public BrokerPolicy Policy { get; } = new();

    /// <summary>Sessions the broker holds (for tests and diagnostics).</summary>
    public System.Threading.Tasks.Task<int> CountClientsAsync() => Invoke(() => ClientCount);

    /// <summary>Distinct patterns subscribed (for tests and diagnostics).</summary>
    public System.Threading.Tasks.Task<int> CountPatternsAsync() => Invoke(() => _subscriptions.PatternCount);

    /// <summary>Per-client data.</summary>
    public sealed partial class Client
    {
        /// <summary>The HELLO identifier (empty until HELLO, and for 2014 C clients).</summary>
        internal string Identifier { get; set; } = "";

        /// <summary>When the broker last sent this client something (the heartbeat PINGs only idle clients).</summary>
        internal long LastSentAt { get; set; }

        /// <summary>The DELIVER the next 'send DELIVER' sends (a refusal or an error answer).</summary>
        internal ZccpMsg.Deliver? Outgoing { get; set; }
    }

    /// <summary><see cref="ErrorHeader"/>'s companion on a refused SUBSCRIBE: <c>refused=subscribe</c>, the DELIVER's address being the pattern.</summary>
    public const string RefusedHeader = "refused";

    private partial void RegisterClient(Client client, ZccpMsg.Hello request)
    {
        if (Policy.Acl?.RefuseIdentifier(client.UserId, request.Identifier) is { } reason)
        {
            Logger.LogWarning("zccpd: {Client}: HELLO as '{Identifier}' refused: {Reason}; INVALID", client.LogPrefix, request.Identifier, reason);
            RaiseException(client, Event.Forbidden);
            return;
        }
        client.Identifier = request.Identifier;
        client.LastSentAt = Now;
        if (_router.Register(client.Identifier, client) is { } previous)
        {
            Logger.LogWarning("zccpd: identifier '{Identifier}' taken over by a new session; the older one gets INVALID", client.Identifier);
            SendEvent(previous, Event.TakenOver);
        }
    }

    private partial void StartHeartbeat(Client client, ZccpMsg.Hello request)
    {
        if (Policy.HeartbeatInterval > TimeSpan.Zero)
            SetDeadline(client, Policy.HeartbeatInterval, Event.Heartbeat);
    }

    private partial void CheckIdle(Client client)
    {
        var interval = Policy.HeartbeatInterval;
        var idle = Now - client.LastSentAt;
        if (idle < (long)interval.TotalMilliseconds)
        {
            // Traffic went out meanwhile: look again when the interval since then has passed.
            SetDeadline(client, TimeSpan.FromMilliseconds(interval.TotalMilliseconds - idle), Event.Heartbeat);
            RaiseException(client, Event.Busy);
            return;
        }
        client.LastSentAt = Now;
        SetDeadline(client, interval, Event.Heartbeat);
    }

    private partial void StoreSubscription(Client client, ZccpMsg.Subscribe request)
    {
        var expression = request.Expression;
        client.LastSentAt = Now;
        if (Policy.Acl is { } acl && Zccp.Protocol.ZrexPattern.Parse(expression) is { IsValid: true } pattern
            && !acl.AllowsSubscription(client.Identifier, client.UserId, pattern))
        {
            // Answered instead of SUBSCRIBE-OK, so the subscriber knows; nothing is stored.
            Logger.LogWarning("zccpd: {Client}: ACL refuses '{Identifier}' SUBSCRIBE to '{Expression}'", client.LogPrefix, client.Identifier, expression);
            client.Outgoing = new ZccpMsg.Deliver { Address = expression, Headers = ZprotoHash.Create((ErrorHeader, Forbidden), (RefusedHeader, "subscribe")) };
            RaiseException(client, Event.Refused);
            return;
        }
        switch (_subscriptions.Subscribe(client, expression))
        {
            case SubscribeResult.Invalid:
                // Acknowledged all the same, as the 2014 broker did: the pattern simply never matches.
                Logger.LogWarning("zccpd: {Client}: invalid pattern '{Expression}': {Error}; acknowledged, never matches", client.LogPrefix, expression, Zccp.Protocol.ZrexPattern.Parse(expression).Error);
                break;
            case SubscribeResult.LimitReached:
                Logger.LogWarning("zccpd: {Client}: more than {Limit} subscriptions; the session ends", client.LogPrefix, Policy.MaxSubscriptionsPerClient);
                RaiseException(client, Event.Forbidden);
                break;
        }
    }

    private partial void ForwardToSubscribers(Client client, ZccpMsg.Publish request)
    {
        var acl = Policy.Acl;
        if (acl is not null && !acl.Allows(client.Identifier, client.UserId, AccessAction.Publish, request.Address))
        {
            Refuse(client, AccessAction.Publish, request.Address, request.Headers, request.Content);
            return;
        }
        var subscribers = _subscriptions.Match(request.Address);
        if (subscribers.IsEmpty)
            return;
        _targets.Clear();
        var now = Now;
        foreach (var target in subscribers)
        {
            if (ReferenceEquals(target, client))
                continue;
            if (acl is not null && !acl.Allows(target.Identifier, target.UserId, AccessAction.Subscribe, request.Address))
                continue;
            target.LastSentAt = now;
            _targets.Add(target);
        }
        // One DELIVER, encoded once: its frames are the same for every subscriber.
        SendToMany(new ZccpMsg.Deliver { Sender = client.Identifier, Address = request.Address, Headers = request.Headers, Content = request.Content },
            CollectionsMarshal.AsSpan(_targets));
        _targets.Clear();
    }

    private partial void RouteToTarget(Client client, ZccpMsg.Direct request)
    {
        if (Policy.Acl is { } acl && !acl.Allows(client.Identifier, client.UserId, AccessAction.Direct, request.Address))
        {
            Refuse(client, AccessAction.Direct, request.Address, request.Headers, request.Content);
            return;
        }
        if (!_router.TryGet(request.Address, out var target))
        {
            Answer(client, request.Address, request.Headers, request.Content, NoRoute);
            return;
        }
        target.LastSentAt = Now;
        Send(target, new ZccpMsg.Deliver { Sender = client.Identifier, Address = request.Address, Headers = request.Headers, Content = request.Content });
    }

    // HELLO-OK and GOODBYE-OK carry no server properties or session statistics.
    private partial ZccpMsg.HelloOk ComposeHelloOk(Client client, ZccpMsg.Hello request) => new();

    private partial ZccpMsg.GoodbyeOk ComposeGoodbyeOk(Client client, ZccpMsg.Goodbye request) => new();

    // The DELIVER of 'refused': Answer built it.
    private partial ZccpMsg.Deliver ComposeDeliver(Client client)
    {
        var deliver = client.Outgoing ?? throw new InvalidOperationException("DELIVER without a prepared delivery");
        client.Outgoing = null;
        return deliver;
    }

    private partial void UnregisterClient(Client client)
    {
        _router.Unregister(client.Identifier, client);
        _subscriptions.Remove(client);
    }

    /// <summary>Every way a client ends passes here too (an action that threw, the server stopping).</summary>
    protected override void OnClientDestroyed(Client client) => UnregisterClient(client);

    private void Refuse(Client client, AccessAction action, string address, ZprotoHash headers, IReadOnlyList<ReadOnlyMemory<byte>>? content)
    {
        Logger.LogWarning("zccpd: {Client}: ACL refuses '{Identifier}' {Action} to '{Address}'", client.LogPrefix, client.Identifier, action, address);
        Answer(client, address, headers, content, Forbidden);
    }

    // The broker's own DELIVER back to the sender: empty sender, the address it asked for, its headers plus error.
    private void Answer(Client client, string address, ZprotoHash headers, IReadOnlyList<ReadOnlyMemory<byte>>? content, string error)
    {
        client.Outgoing = new ZccpMsg.Deliver { Address = address, Headers = WithError(headers, error), Content = content };
        SetNextEvent(client, Event.Refused);
    }

    // The request's own headers (request-id, reply-to) come back so the sender can correlate the refusal.
    private static ZprotoHash WithError(ZprotoHash headers, string error)
    {
        var entries = new List<KeyValuePair<string, string>>(headers.Count + 1);
        foreach (var entry in headers)
        {
            if (entry.Key != ErrorHeader)
                entries.Add(entry);
        }
        entries.Add(new KeyValuePair<string, string>(ErrorHeader, error));
        return ZprotoHash.Create(entries);
    }
}
