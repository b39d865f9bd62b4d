using System;
using System.Collections.Generic;
using System.Globalization;
using Zp.Client.Codec;

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
    private bool _filePending;
    private FollowedStream? _execStream;

    /// <summary>Heartbeat interval once connected; three silent intervals mean the server is gone.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a lost session is re-opened.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Re-open attempts before the client gives up and the sink hears <see cref="IZpStreamSink.OnLost"/>.</summary>
    public int MaxReconnectAttempts { get; init; } = 30;

    /// <summary>Where stream events go; set before the first exec or follow.</summary>
    public IZpStreamSink? Sink { get; set; }

    private partial void ConnectToServer()
    {
        _session = ArgumentsAs<ConnectArguments>();
        Connect(_session.Endpoint);
    }

    private partial void UseConnectTimeout() => SetTimeout(TimeSpan.FromMilliseconds(_session!.Timeout));

    private partial void PrepareSessionOpen() => Outgoing = new ZpMsg.SessionOpen { ClientId = _session!.ClientId, User = _session.User };

    private partial void SignalSuccess() => SignalReply(new Success());

    private partial void UseHeartbeat()
    {
        Connected = true;
        _reconnectAttempts = 0;
        SetTimeout(HeartbeatInterval * 3);
        SetHeartbeat(HeartbeatInterval);
    }

    private partial void SignalRefused()
    {
        var error = (ZpMsg.Error)Message!;
        SignalReply(new Failure { Code = error.Code, Reason = error.Reason });
    }

    private partial void SignalServerNotReachable() =>
        SignalReply(new Failure { Code = 0, Reason = "server not reachable or key mismatch" });

    private partial void DeliverChunk()
    {
        var chunk = (ZpMsg.ExecChunk)Message!;
        if (_followed.TryGetValue(chunk.Handle, out var stream))
            stream.Received(chunk.Fd, chunk.Chunk.Length);
        Sink?.OnChunk(chunk.Handle, chunk.Fd, chunk.Chunk);
    }

    private partial void DeliverStatus()
    {
        var status = (ZpMsg.ExecStatusReply)Message!;
        if (status.Returncode <= 255)
        {
            _followed.Remove(status.Handle);
        }
        else if (_execStream is not null && !_followed.ContainsKey(status.Handle))
        {
            // The reply to a synchronous EXEC: the server attached this session to the job's output.
            _followed[status.Handle] = _execStream;
            _execStream = null;
        }
        Sink?.OnStatus(status.Handle, status.Returncode);
    }

    private partial void DeliverCredit()
    {
        var credit = (ZpMsg.ExecCredit)Message!;
        Sink?.OnCredit(credit.Handle, credit.Credit);
    }

    private partial void PrepareExec()
    {
        var args = ArgumentsAs<ExecArguments>();
        var detached = args.Aux.TryGetValue(ExecKeys.Async, out var async) && async == "1";
        var credit = args.Aux.TryGetValue(ExecKeys.Credit, out var text) && ulong.TryParse(text, out var c) ? c : ExecKeys.DefaultCredit;
        _execStream = detached ? null : new FollowedStream(3, 0, 0, credit);
        Outgoing = new ZpMsg.Exec { Args = args.Args, Aux = args.Aux };
    }

    private partial void PrepareInput()
    {
        var args = ArgumentsAs<InputArguments>();
        Outgoing = new ZpMsg.ExecChunk { Handle = args.Handle, Fd = 0, Chunk = args.Data };
    }

    private partial void PrepareCredit()
    {
        var args = ArgumentsAs<GrantArguments>();
        if (_followed.TryGetValue(args.Handle, out var stream))
            stream.Credit += args.Credit;
        Outgoing = new ZpMsg.ExecCredit { Handle = args.Handle, Fd = 1, Credit = args.Credit };
    }

    private partial void PrepareFollow()
    {
        var args = ArgumentsAs<FollowArguments>();
        var stream = new FollowedStream((byte)args.Mask, 0, 0, args.Credit);
        _followed[args.Handle] = stream;
        Outgoing = stream.ToFollow(args.Handle);
    }

    private partial void SignalJobs()
    {
        _listPending = false;
        SignalReply(new Jobs { Handles = ((ZpMsg.ExecListReply)Message!).Handles });
    }

    private partial void PrepareList() => _listPending = true;

    private partial void PrepareDescribe()
    {
        _describePending = true;
        Outgoing = new ZpMsg.ExecInfoGet { Handle = ArgumentsAs<DescribeArguments>().Handle };
    }

    private partial void SignalJobInfo()
    {
        _describePending = false;
        var info = (ZpMsg.ExecInfo)Message!;
        SignalReply(new JobInfo { Handle = info.Handle, Returncode = info.Returncode, Info = info.Info });
    }

    private partial void PrepareCancel() => Outgoing = new ZpMsg.ExecCancel { Handle = ArgumentsAs<CancelArguments>().Handle };

    private partial void CheckError()
    {
        var error = (ZpMsg.Error)Message!;
        if (error.Code == 400 && error.Reason == CommandInvalidReason)
        {
            // The server no longer knows this session (restarted, or expired it): open it again.
            SetNextEvent(Event.SessionLost);
            return;
        }
        if (_describePending || _listPending || _filePending)
        {
            _describePending = _listPending = _filePending = false;
            SignalReply(new Failure { Code = error.Code, Reason = error.Reason });
            return;
        }
        Sink?.OnError(error.Code, error.Reason);
    }

    private partial void ReopenSession()
    {
        Connected = false;
        SetHeartbeat(TimeSpan.Zero);
        SetTimeout(ReconnectInterval);
        Outgoing = new ZpMsg.SessionOpen { ClientId = _session!.ClientId, User = _session.User };
    }

    private partial void ReattachStreams()
    {
        // Replays start where the received bytes end, so nothing is lost or repeated; the credit
        // granted is what the consumer had left.
        foreach (var (handle, stream) in _followed)
            Send(stream.ToFollow(handle));
        // A describe or list sent to the lost session will never be answered.
        if (_describePending || _listPending || _filePending)
        {
            _describePending = _listPending = _filePending = false;
            SignalReply(new Failure { Code = 503, Reason = "session was re-opened; retry" });
        }
    }

    private partial void PrepareFileOpen()
    {
        var args = ArgumentsAs<OpenFileArguments>();
        _filePending = true;
        Outgoing = new ZpMsg.FileOpen
        {
            Path = args.Path,
            Size = ulong.Parse(args.Size, CultureInfo.InvariantCulture),
            Mode = args.Mode,
            Mtime = ulong.Parse(args.Mtime, CultureInfo.InvariantCulture),
            Digest = args.Digest,
        };
    }

    private partial void SignalFileOpened()
    {
        _filePending = false;
        var reply = (ZpMsg.FileOpenReply)Message!;
        _fileOffsets[reply.Handle] = reply.Offset;
        SignalReply(new FileOpened
        {
            Handle = reply.Handle,
            Identical = reply.Identical,
            Offset = reply.Offset.ToString(CultureInfo.InvariantCulture),
            Credit = (uint)Math.Min(reply.Credit, uint.MaxValue),
        });
    }

    private partial void PrepareFileChunk()
    {
        var args = ArgumentsAs<SendChunkArguments>();
        // Chunks follow each other: the offset is what was sent so far.
        _fileOffsets.TryGetValue(args.Handle, out var offset);
        _fileOffsets[args.Handle] = offset + (ulong)args.Data.Length;
        Outgoing = new ZpMsg.FileChunk { Handle = args.Handle, Offset = offset, Chunk = args.Data };
    }

    private partial void PrepareFileClose()
    {
        _filePending = true;
        var handle = ArgumentsAs<CloseFileArguments>().Handle;
        _fileOffsets.Remove(handle);
        Outgoing = new ZpMsg.FileClose { Handle = handle };
    }

    private partial void SignalFileClosed()
    {
        _filePending = false;
        SignalReply(new Success());
    }

    private partial void DeliverFileAck()
    {
        var ack = (ZpMsg.FileAck)Message!;
        Sink?.OnFileAck(ack.Handle, ack.Offset, ack.Credit);
    }

    private partial void CountReconnectAttempt()
    {
        if (++_reconnectAttempts > MaxReconnectAttempts)
            RaiseException(Event.GivenUp);
        else
            Outgoing = new ZpMsg.SessionOpen { ClientId = _session!.ClientId, User = _session.User };
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
