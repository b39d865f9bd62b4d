using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Zproto.Runtime.Zmq;

/// <summary>
/// A ZAP handler (ZeroMQ RFC 27) for CURVE: answers libzmq's authentication requests on
/// <c>inproc://zeromq.zap.01</c>, admitting a client only when its public key is in the allowlist
/// (or any client when the list is empty). An admitted client's User-Id is its public key in Z85,
/// which libzmq attaches to each of its messages (<see cref="ZmqSocket.PeerUserId"/>). Polled by its
/// owner's loop; one per context.
/// </summary>
public sealed class ZmqAuthenticator : IDisposable
{
    private const string ZapEndpoint = "inproc://zeromq.zap.01";
    private readonly ISet<string> _allowed;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly List<byte[]> _frames = new();

    /// <summary>Binds the ZAP endpoint in <paramref name="context"/>.</summary>
    public ZmqAuthenticator(ZmqContext context, ISet<string> allowedClientKeys, ILogger logger, string name)
    {
        _allowed = allowedClientKeys ?? throw new ArgumentNullException(nameof(allowedClientKeys));
        _logger = logger;
        _name = name;
        Socket = new ZmqSocket(context, ZmqSocketType.Rep);
        Socket.Bind(ZapEndpoint);
    }

    /// <summary>The REP socket to poll.</summary>
    public ZmqSocket Socket { get; }

    /// <summary>Number of clients refused so far.</summary>
    public long Refused { get; private set; }

    /// <summary>Answers every waiting request.</summary>
    public void HandleRequests()
    {
        while (true)
        {
            _frames.Clear();
            if (!Socket.TryReceiveMultipart(_frames, dontWait: true))
                return;
            Answer();
        }
    }

    private void Answer()
    {
        // version, request id, domain, address, identity, mechanism, credentials...
        var requestId = _frames.Count > 1 ? _frames[1] : Array.Empty<byte>();
        var mechanism = _frames.Count > 5 ? Encoding.ASCII.GetString(_frames[5]) : "";
        var address = _frames.Count > 3 ? Encoding.ASCII.GetString(_frames[3]) : "";
        string status, text, user = "";
        if (_frames.Count < 6 || Encoding.ASCII.GetString(_frames[0]) != "1.0")
        {
            (status, text) = ("500", "malformed ZAP request");
        }
        else if (mechanism != "CURVE" || _frames.Count < 7 || _frames[6].Length != 32)
        {
            (status, text) = ("400", "CURVE required");
        }
        else
        {
            var key = Z85.Encode(_frames[6]);
            if (_allowed.Count == 0 || _allowed.Contains(key))
                (status, text, user) = ("200", "OK", key);
            else
                (status, text) = ("400", "client key not allowed");
        }
        if (status != "200")
        {
            Refused++;
            _logger.LogWarning("{Name}: refused {Mechanism} client from {Address}: {Reason}", _name, mechanism, address, text);
        }
        Socket.SendMultipart(new ReadOnlyMemory<byte>[]
        {
            Encoding.ASCII.GetBytes("1.0"), requestId, Encoding.ASCII.GetBytes(status),
            Encoding.ASCII.GetBytes(text), Encoding.ASCII.GetBytes(user), Array.Empty<byte>(),
        });
    }

    /// <inheritdoc />
    public void Dispose() => Socket.Dispose();
}
