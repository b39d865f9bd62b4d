using System;

namespace Zproto.Echo;

/// <summary>The echo client's actions; the state machine and API are generated from models/echo_client.xml.</summary>
public sealed partial class EchoClient
{
    /// <summary>Heartbeat interval once connected; the server expires clients silent for longer than its timeout.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long <see cref="ConnectAsync"/> waits for HELLO-OK before it returns <see cref="Failure"/>.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The name sent in HELLO.</summary>
    public string ClientName { get; init; } = "echo";

    private partial void ConnectToServer(ConnectArguments arguments) => Connect(arguments.Endpoint);

    private partial void UseConnectTimeout(ConnectArguments arguments) => SetTimeout(ConnectTimeout);

    private partial EchoMsg.Hello ComposeHello(ConnectArguments arguments) => new() { Name = ClientName };

    private partial void SignalSuccess() => SignalReply(new Success());

    private partial void UseHeartbeat(EchoMsg.HelloOk message)
    {
        Connected = true;
        // Hearing nothing for three heartbeats means the server is gone.
        SetTimeout(HeartbeatInterval * 3);
        SetHeartbeat(HeartbeatInterval);
    }

    private partial void SignalServerNotReachable() => SignalReply(new Failure { Reason = "Server is not reachable" });

    private partial void SignalServerLost()
    {
        Connected = false;
        SignalReply(new Failure { Reason = "Server lost the session" });
    }

    private partial EchoMsg.Echo ComposeEcho(RoundTripArguments arguments) => new() { Sequence = arguments.Sequence, Body = arguments.Body };

    private partial void SignalEchoed(EchoMsg.EchoOk message) => SignalReply(new Echoed { Sequence = message.Sequence, Body = message.Body });

    private partial EchoMsg.Broadcast ComposeBroadcast(ShoutArguments arguments) => new() { Text = arguments.Text };

    private partial void SignalNotice(EchoMsg.Notice message) => SignalReply(new Noticed { Sender = message.Sender, Text = message.Text });

    private partial EchoMsg.Wait ComposeWait(DelayArguments arguments) => new() { Delay = arguments.Milliseconds };
}
