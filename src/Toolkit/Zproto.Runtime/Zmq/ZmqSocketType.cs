namespace Zproto.Runtime.Zmq;

/// <summary>The libzmq socket types the runtime supports (values from zmq.h).</summary>
public enum ZmqSocketType
{
    /// <summary>Exclusive pair: one peer, both directions.</summary>
    Pair = 0,
    /// <summary>Publisher: fans messages out to matching subscribers; drops when they are slow.</summary>
    Pub = 1,
    /// <summary>Subscriber: receives messages whose first frame matches a <see cref="ZmqSocket.Subscribe(string)"/> prefix.</summary>
    Sub = 2,
    /// <summary>Request: strict send/receive alternation with a <see cref="Rep"/> or <see cref="Router"/>.</summary>
    Req = 3,
    /// <summary>Reply: strict receive/send alternation with a <see cref="Req"/> or <see cref="Dealer"/>.</summary>
    Rep = 4,
    /// <summary>Asynchronous request: round-robins sends, fair-queues receives.</summary>
    Dealer = 5,
    /// <summary>Asynchronous reply: prefixes each received message with the sender's routing id and
    /// routes each sent message by its first frame.</summary>
    Router = 6,
    /// <summary>Pipeline sink: fair-queues from pushers.</summary>
    Pull = 7,
    /// <summary>Pipeline source: round-robins to pullers.</summary>
    Push = 8,
    /// <summary>Publisher that also receives its subscribers' (un)subscriptions as messages.</summary>
    XPub = 9,
    /// <summary>Subscriber that subscribes by sending subscription messages.</summary>
    XSub = 10,
}
