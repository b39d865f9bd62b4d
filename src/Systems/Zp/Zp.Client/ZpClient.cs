using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Zp.Client.Codec;
using Zproto.Wire;

namespace Zp.Client;

/// <summary>
/// The zp client's actions; the state machine and its async methods are generated from
/// models/zp_client.xml. Applications use <see cref="ZpConnection"/>, which turns the stream events
/// into per-job channels and exit codes.
/// </summary>
public sealed partial class ZpClient
{
    /// <summary>The reason the server gives when it has no session for the client (ERROR 400).</summary>
    public const string CommandInvalidReason = "command invalid";

    // Bytes received per (handle, fd), so a re-opened session re-attaches without loss or repeats.
    private readonly Dictionary<uint, FollowedStream> _followed = new();
    // Bytes sent per file transfer: FILE-CHUNK offsets.
    private readonly Dictionary<uint, ulong> _fileOffsets = new();
    private ConnectArguments? _session;
    private int _reconnectAttempts;
    private bool _describePending;
    private bool _listPending;
    // File opens and closes sent and not yet answered: a sender keeps several files in flight,
    // and the server answers each in the order sent.
    private int _fileRequests;
    private FollowedStream? _execStream;

    /// <summary>Heartbeat interval once connected; three silent intervals mean the server is gone.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a lost session is re-opened.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Re-open attempts before the client gives up and the sink hears <see cref="IZpStreamSink.OnLost"/>.</summary>
    public int MaxReconnectAttempts { get; init; } = 30;

    /// <summary>Where stream events go; set before the first exec or follow.</summary>
    public IZpStreamSink? Sink { get; set; }

    /// <summary>
    /// Starts a job; its handle, output and status arrive through the stream sink. (The model's method is
    /// <c>exec job</c>: a method may not share the EXEC message's name.)
    /// </summary>
    public Task ExecAsync(IReadOnlyList<string> args, ZprotoHash aux, TimeSpan? callTimeout = null, CancellationToken cancellationToken = default) =>
        ExecJobAsync(args, aux, callTimeout, cancellationToken);

    private partial void ConnectToServer(ConnectArguments arguments)
    {
        _session = arguments;
        Connect(arguments.Endpoint);
    }

    private partial void UseConnectTimeout(ConnectArguments arguments) => SetTimeout(TimeSpan.FromMilliseconds(arguments.Timeout));

    // Sent on connect and on every re-open: the session the connect call named.
    private partial ZpMsg.SessionOpen ComposeSessionOpen() => new() { ClientId = _session!.ClientId, User = _session.User };

    private partial void SignalSuccess() => SignalReply(new Success());

    private partial void UseHeartbeat(ZpMsg.Ok message)
    {
        Connected = true;
        _reconnectAttempts = 0;
        SetTimeout(HeartbeatInterval * 3);
        SetHeartbeat(HeartbeatInterval);
    }

    private partial void SignalRefused(ZpMsg.Error message) =>
        SignalReply(new Failure { Code = message.Code, Reason = message.Reason });

    private partial void SignalServerNotReachable() =>
        SignalReply(new Failure { Code = 0, Reason = "server not reachable or key mismatch" });

    private partial void DeliverChunk(ZpMsg.ExecChunk message)
    {
        if (_followed.TryGetValue(message.Handle, out var stream))
            stream.Received(message.Fd, message.Chunk.Length);
        Sink?.OnChunk(message.Handle, message.Fd, message.Chunk);
    }

    private partial void DeliverStatus(ZpMsg.ExecStatusReply message)
    {
        if (message.Returncode <= 255)
        {
            _followed.Remove(message.Handle);
        }
        else if (_execStream is not null && !_followed.ContainsKey(message.Handle))
        {
            // The reply to a synchronous EXEC: the server attached this session to the job's output.
            _followed[message.Handle] = _execStream;
            _execStream = null;
        }
        Sink?.OnStatus(message.Handle, message.Returncode);
    }

    private partial void DeliverCredit(ZpMsg.ExecCredit message) => Sink?.OnCredit(message.Handle, message.Credit);

    private partial void ExpectExecStream(ExecJobArguments arguments)
    {
        var detached = arguments.Aux.TryGetValue(ExecKeys.Async, out var async) && async == "1";
        var credit = arguments.Aux.TryGetValue(ExecKeys.Credit, out var text) && ulong.TryParse(text, out var c) ? c : ExecKeys.DefaultCredit;
        _execStream = detached ? null : new FollowedStream(3, 0, 0, credit);
    }

    private partial ZpMsg.Exec ComposeExec(ExecJobArguments arguments) => new() { Args = arguments.Args, Aux = arguments.Aux };

    private partial ZpMsg.ExecChunk ComposeExecChunk(InputArguments arguments) =>
        new() { Handle = arguments.Handle, Fd = 0, Chunk = arguments.Data };

    private partial void CountGrantedCredit(GrantArguments arguments)
    {
        if (_followed.TryGetValue(arguments.Handle, out var stream))
            stream.Credit += arguments.Credit;
    }

    private partial ZpMsg.ExecCredit ComposeExecCredit(GrantArguments arguments) =>
        new() { Handle = arguments.Handle, Fd = 1, Credit = arguments.Credit };

    private partial void TrackFollowedStream(FollowArguments arguments) =>
        _followed[arguments.Handle] = new FollowedStream((byte)arguments.Mask, 0, 0, arguments.Credit);

    private partial ZpMsg.ExecFollow ComposeExecFollow(FollowArguments arguments) => _followed[arguments.Handle].ToFollow(arguments.Handle);

    private partial void SignalJobs(ZpMsg.ExecListReply message)
    {
        _listPending = false;
        SignalReply(new Jobs { Handles = message.Handles });
    }

    private partial void ExpectJobs(ListArguments arguments) => _listPending = true;

    private partial void ExpectJobInfo(DescribeArguments arguments) => _describePending = true;

    private partial ZpMsg.ExecInfoGet ComposeExecInfoGet(DescribeArguments arguments) => new() { Handle = arguments.Handle };

    private partial void SignalJobInfo(ZpMsg.ExecInfo message)
    {
        _describePending = false;
        SignalReply(new JobInfo { Handle = message.Handle, Returncode = message.Returncode, Info = message.Info });
    }

    private partial ZpMsg.ExecCancel ComposeExecCancel(CancelArguments arguments) => new() { Handle = arguments.Handle };

    private partial void CheckError(ZpMsg.Error message)
    {
        if (message.Code == 400 && message.Reason == CommandInvalidReason)
        {
            // The server no longer knows this session (restarted, or expired it): open it again.
            SetNextEvent(Event.SessionLost);
            return;
        }
        if (_describePending || _listPending)
        {
            _describePending = _listPending = false;
            SignalReply(new Failure { Code = message.Code, Reason = message.Reason });
            return;
        }
        if (_fileRequests > 0)
        {
            // The answer to the oldest file request in flight (the runtime gives it to the oldest call).
            _fileRequests--;
            SignalReply(new Failure { Code = message.Code, Reason = message.Reason });
            return;
        }
        Sink?.OnError(message.Code, message.Reason);
    }

    private partial void ReopenSession()
    {
        Connected = false;
        SetHeartbeat(TimeSpan.Zero);
        SetTimeout(ReconnectInterval);
    }

    private partial void ReattachStreams(ZpMsg.Ok message)
    {
        // Replays start where the received bytes end, so nothing is lost or repeated; the credit
        // granted is what the consumer had left.
        foreach (var (handle, stream) in _followed)
            Send(stream.ToFollow(handle));
        // Chunks sent to the lost session may not have arrived: each transfer re-opens its file,
        // and the receiver's answer says where to continue.
        _fileOffsets.Clear();
        Sink?.OnReopened();
        // Describe, list and file requests sent to the lost session will never be answered.
        if (_describePending || _listPending)
        {
            _describePending = _listPending = false;
            SignalReply(new Failure { Code = 503, Reason = "session was re-opened; retry" });
        }
        for (; _fileRequests > 0; _fileRequests--)
            SignalReply(new Failure { Code = 503, Reason = "session was re-opened; retry" });
    }

    private partial void ExpectFileOpened(OpenFileArguments arguments) => _fileRequests++;

    // Method numbers are 32-bit, so the size and mtime arrive as decimal strings.
    private partial ZpMsg.FileOpen ComposeFileOpen(OpenFileArguments arguments) => new()
    {
        Path = arguments.Path,
        Size = ulong.Parse(arguments.Size, CultureInfo.InvariantCulture),
        Mode = arguments.Mode,
        Mtime = ulong.Parse(arguments.Mtime, CultureInfo.InvariantCulture),
        Digest = arguments.Digest,
    };

    // Answered by FILE-OPEN-REPLY or ERROR, as an offer: the same count and the same reply.
    private partial void ExpectFilePut(PutFileArguments arguments) => _fileRequests++;

    private partial ZpMsg.FilePut ComposeFilePut(PutFileArguments arguments) => new()
    {
        Path = arguments.Path,
        Mode = arguments.Mode,
        Mtime = ulong.Parse(arguments.Mtime, CultureInfo.InvariantCulture),
        Digest = arguments.Digest,
        Data = arguments.Data,
    };

    private partial void SignalFileOpened(ZpMsg.FileOpenReply message)
    {
        _fileRequests = Math.Max(_fileRequests - 1, 0);
        // Handle 0: nothing to send (identical, or a FILE-PUT already in place).
        if (message.Handle != 0)
            _fileOffsets[message.Handle] = message.Offset;
        SignalReply(new FileOpened
        {
            Handle = message.Handle,
            Identical = message.Identical,
            Offset = message.Offset.ToString(CultureInfo.InvariantCulture),
            Credit = (uint)Math.Min(message.Credit, uint.MaxValue),
        });
    }

    private partial ZpMsg.FileChunk ComposeFileChunk(SendChunkArguments arguments)
    {
        // Chunks follow each other: the offset is what was sent so far.
        _fileOffsets.TryGetValue(arguments.Handle, out var offset);
        _fileOffsets[arguments.Handle] = offset + (ulong)arguments.Data.Length;
        return new() { Handle = arguments.Handle, Offset = offset, Chunk = arguments.Data };
    }

    private partial void FinishFile(CloseFileArguments arguments)
    {
        _fileRequests++;
        _fileOffsets.Remove(arguments.Handle);
    }

    private partial ZpMsg.FileClose ComposeFileClose(CloseFileArguments arguments) => new() { Handle = arguments.Handle, Digest = arguments.Digest };

    private partial void SignalFileClosed(ZpMsg.Ok message)
    {
        _fileRequests = Math.Max(_fileRequests - 1, 0);
        SignalReply(new Success());
    }

    private partial void DeliverFileAck(ZpMsg.FileAck message) => Sink?.OnFileAck(message.Handle, message.Offset, message.Credit);

    private partial void CountReconnectAttempt()
    {
        // Raising stops the action list: no SESSION-OPEN once given up.
        if (++_reconnectAttempts > MaxReconnectAttempts)
            RaiseException(Event.GivenUp);
    }

    private partial void SignalServerLost()
    {
        Connected = false;
        Sink?.OnLost("server not reachable");
        SignalReply(new Failure { Code = 0, Reason = "server not reachable" });
    }

    /// <summary>A job whose output this client receives: the offsets reached and the credit left.</summary>
    private sealed class FollowedStream(byte mask, ulong stdoutOffset, ulong stderrOffset, ulong credit)
    {
        private ulong _stdout = stdoutOffset;
        private ulong _stderr = stderrOffset;

        public ulong Credit { get; set; } = credit;

        public void Received(uint fd, int length)
        {
            if (fd == 1)
                _stdout += (ulong)length;
            else if (fd == 2)
                _stderr += (ulong)length;
            Credit = Credit > (ulong)length ? Credit - (ulong)length : 0;
        }

        public ZpMsg.ExecFollow ToFollow(uint handle) =>
            new() { Handle = handle, Mask = mask, StdoutOffset = _stdout, StderrOffset = _stderr, Credit = Credit };
    }
}
