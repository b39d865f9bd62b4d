using System;
using Zpipes.Protocol;

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

    private partial void ConnectToBroker(MethodArguments arguments)
    {
        var endpoint = arguments switch
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

    private partial ZpipesMsg.Input ComposeInput(OpenReaderArguments arguments) => new() { Pipename = arguments.Pipename };

    private partial ZpipesMsg.Output ComposeOutput(OpenWriterArguments arguments) => new() { Pipename = arguments.Pipename };

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

    private partial void UseReceiveTimeout(ClosePipeArguments arguments) => SetTimeout(ReceiveTimeout);

    private partial void CheckIdle()
    {
        if (Now - _lastRequestAt < (long)HeartbeatInterval.TotalMilliseconds)
            RaiseException(Event.Busy);
    }

    private partial ZpipesMsg.Read ComposeRead(ReadDataArguments arguments)
    {
        _lastRequestAt = Now;
        return new ZpipesMsg.Read { Size = arguments.Size, Timeout = arguments.Timeout };
    }

    private partial ZpipesMsg.Write ComposeWrite(WriteDataArguments arguments)
    {
        _lastRequestAt = Now;
        return new ZpipesMsg.Write { Chunk = arguments.Chunk, Timeout = arguments.Timeout };
    }

    private partial void ExpectPong(PingBrokerArguments arguments) => _pongsExpected++;

    private partial void SignalSuccess() => SignalReply(new Success());

    private partial void SignalData(ZpipesMsg.ReadOk message) => SignalReply(new Data { Chunk = message.Chunk });

    private partial void SignalEnd(ZpipesMsg.ReadEnd message) => SignalReply(new End());

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

    private partial void SignalInvalid(ZpipesMsg.Invalid message) => SignalReply(new Invalid());

    private partial void SignalClosed() => SignalReply(new Closed());

    private partial void SignalPong(ZpipesMsg.PingOk message)
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
