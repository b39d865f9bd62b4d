using System;

namespace Zproto.Echo;

/// <summary>The echo server's actions; the state machine is generated from models/echo_server.xml.</summary>
public sealed partial class EchoServer
{
    private string _lastNotice = "";
    private string _lastSender = "";

    /// <summary>Per-client data.</summary>
    public sealed partial class Client
    {
        /// <summary>The name the client gave in HELLO.</summary>
        public string Name { get; set; } = "";
    }

    private partial void RememberName(Client client, EchoMsg.Hello request) => client.Name = request.Name;

    // ECHO-OK is only ever sent in answer to an ECHO, so its composer receives that ECHO typed.
    private partial EchoMsg.EchoOk ComposeEchoOk(Client client, EchoMsg.Echo request) =>
        new() { Sequence = request.Sequence, Body = request.Body };

    private partial void BroadcastNotice(Client client, EchoMsg.Broadcast request)
    {
        _lastNotice = request.Text;
        _lastSender = client.Name;
        Broadcast(Event.RelayNotice, except: client);
    }

    private partial EchoMsg.Notice ComposeNotice(Client client) => new() { Sender = _lastSender, Text = _lastNotice };

    private partial void StartWaiting(Client client, EchoMsg.Wait request)
    {
        // A deadline, not a wakeup: a PING while waiting must not cancel the delay (zproto wakeups are
        // cancelled by any event, which is the ZPIPES read-timeout quirk).
        SetDeadline(client, TimeSpan.FromMilliseconds(request.Delay), Event.Wakeup);
    }
}
