using System;

namespace Zproto.Echo;

/// <summary>The echo client's actions; the state machine and API are generated from models/echo_client.xml.</summary>
public sealed partial class EchoClient
{
    /// <summary>Heartbeat interval once connected; the server expires clients silent for longer than its timeout.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The name sent in HELLO.</summary>
    public string ClientName { get; init; } = "echo";

    private partial void ConnectToServer()
    {
        Connect(ArgumentsAs<ConnectArguments>().Endpoint);
        Outgoing = new EchoMsg.Hello { Name = ClientName };
    }

    private partial void UseConnectTimeout() => SetTimeout(TimeSpan.FromMilliseconds(ArgumentsAs<ConnectArguments>().Timeout));

    private partial void SignalSuccess() => SignalReply(new Success());

    private partial void UseHeartbeat()
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

    private partial void PrepareEcho()
    {
        var args = ArgumentsAs<EchoArguments>();
        Outgoing = new EchoMsg.Echo { Sequence = args.Sequence, Body = args.Body };
    }

    private partial void SignalEchoed()
    {
        var reply = (EchoMsg.EchoOk)Message!;
        SignalReply(new Echoed { Sequence = reply.Sequence, Body = reply.Body });
    }

    private partial void PrepareBroadcast() => Outgoing = new EchoMsg.Broadcast { Text = ArgumentsAs<BroadcastArguments>().Text };

    private partial void SignalNotice()
    {
        var notice = (EchoMsg.Notice)Message!;
        SignalReply(new Noticed { Sender = notice.Sender, Text = notice.Text });
    }

    private partial void PrepareWait() => Outgoing = new EchoMsg.Wait { Delay = ArgumentsAs<WaitArguments>().Delay };
}
