using System;
using Zpipes.Codec;

namespace Zpipes;

/// <summary>
/// The ZPIPES client's actions; the state machine and its async methods are generated from
/// models/zpipes_client.xml. Most code should use <see cref="Zpipe"/>, which turns the replies into
/// return values and typed exceptions.
/// </summary>
public sealed partial class ZpipesClient
{
    private string? _endpoint;
    private int _pongsExpected;
    private long _lastRequestAt;

    /// <summary>PING the broker after this long without a request while a pipe is open (the broker expires silent clients).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the broker may stay silent before calls fail with LOST (when opening, closing, or despite heartbeats).</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The endpoint the client connected to, once it did.</summary>
    public string? Endpoint => _endpoint;

    private partial void ConnectToBroker()
    {
        var endpoint = CurrentArguments switch
        {
            OpenReaderArguments r => r.Endpoint,
            OpenWriterArguments w => w.Endpoint,
            _ => throw new InvalidOperationException("connect to broker runs only for open reader and open writer"),
        };
        // One DEALER, one broker: a second connect would make libzmq round-robin requests between two.
        if (_endpoint is null)
        {
            Connect(endpoint);
            _endpoint = endpoint;
        }
        else if (!string.Equals(_endpoint, endpoint, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"this client is connected to {_endpoint}, not {endpoint}");
        }
        SetTimeout(ReceiveTimeout);
    }

    private partial void PrepareInput() => Outgoing = new ZpipesMsg.Input { Pipename = ArgumentsAs<OpenReaderArguments>().Pipename };

    private partial void PrepareOutput() => Outgoing = new ZpipesMsg.Output { Pipename = ArgumentsAs<OpenWriterArguments>().Pipename };

    private partial void StartHeartbeat()
    {
        // Every PING gets a PING-OK, so a live broker is never silent for ReceiveTimeout.
        SetTimeout(ReceiveTimeout);
        SetHeartbeat(HeartbeatInterval);
    }

    private partial void StopHeartbeat()
    {
        SetHeartbeat(TimeSpan.Zero);
        SetTimeout(TimeSpan.Zero);
    }

    private partial void UseReceiveTimeout() => SetTimeout(ReceiveTimeout);

    private partial void CheckIdle()
    {
        if (Now - _lastRequestAt < (long)HeartbeatInterval.TotalMilliseconds)
            RaiseException(Event.Busy);
    }

    private partial void PrepareRead()
    {
        _lastRequestAt = Now;
        var args = ArgumentsAs<ReadDataArguments>();
        Outgoing = new ZpipesMsg.Read { Size = args.Size, Timeout = args.Timeout };
    }

    private partial void PrepareWrite()
    {
        _lastRequestAt = Now;
        var args = ArgumentsAs<WriteDataArguments>();
        Outgoing = new ZpipesMsg.Write { Chunk = args.Chunk, Timeout = args.Timeout };
    }

    private partial void ExpectPong() => _pongsExpected++;

    private partial void SignalSuccess() => SignalReply(new Success());

    private partial void SignalData() => SignalReply(new Data { Chunk = ((ZpipesMsg.ReadOk)Message!).Chunk });

    private partial void SignalEnd() => SignalReply(new End());

    private partial void SignalTimedOut() => SignalReply(new TimedOut());

    private partial void SignalFailed()
    {
        var reason = Message switch
        {
            ZpipesMsg.InputFailed m => m.Reason,
            ZpipesMsg.OutputFailed m => m.Reason,
            ZpipesMsg.ReadFailed m => m.Reason,
            ZpipesMsg.WriteFailed m => m.Reason,
            ZpipesMsg.CloseFailed m => m.Reason,
            _ => "",
        };
        SignalReply(new Failed { Reason = reason });
    }

    private partial void SignalInvalid() => SignalReply(new Invalid());

    private partial void SignalClosed() => SignalReply(new Closed());

    private partial void SignalPong()
    {
        // Heartbeat PINGs get PING-OKs too; only those a caller waits for become replies.
        if (_pongsExpected > 0)
        {
            _pongsExpected--;
            SignalReply(new Pong());
        }
    }

    private partial void SignalBrokerLost() =>
        SignalReply(new Lost { Reason = $"the broker at {_endpoint} did not answer for {ReceiveTimeout.TotalMilliseconds:0} ms" });
}
