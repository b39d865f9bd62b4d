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

    private partial void RememberName(Client client) => client.Name = client.RequestAs<EchoMsg.Hello>().Name;

    private partial void PrepareEcho(Client client)
    {
        var echo = client.RequestAs<EchoMsg.Echo>();
        client.Reply = new EchoMsg.EchoOk { Sequence = echo.Sequence, Body = echo.Body };
    }

    private partial void BroadcastNotice(Client client)
    {
        _lastNotice = client.RequestAs<EchoMsg.Broadcast>().Text;
        _lastSender = client.Name;
        Broadcast(Event.Notice, except: client);
    }

    private partial void PrepareNotice(Client client) =>
        client.Reply = new EchoMsg.Notice { Sender = _lastSender, Text = _lastNotice };

    private partial void StartWaiting(Client client)
    {
        // A deadline, not a wakeup: a PING while waiting must not cancel the delay (zproto wakeups are
        // cancelled by any event, which is the ZPIPES read-timeout quirk).
        SetDeadline(client, TimeSpan.FromMilliseconds(client.RequestAs<EchoMsg.Wait>().Delay), Event.Wakeup);
    }
}
