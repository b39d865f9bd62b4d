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
    private int _listsPending;
    // File opens and closes sent and not yet answered: a sender keeps several files in flight,
    // and the server answers each in the order sent.
    private int _fileRequests;
    private FollowedStream? _execStream;
    // The first FILE-PUT while the server's support for it is unknown, until the fence answers.
    private PutProbe? _probe;
    // 0 unknown, 1 the server takes FILE-PUT, -1 it does not (see TakesFilePut).
    private int _takesFilePut;

    /// <summary>Heartbeat interval once connected; three silent intervals mean the server is gone.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a lost session is re-opened.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Re-open attempts before the client gives up and the sink hears <see cref="IZpStreamSink.OnLost"/>.</summary>
    public int MaxReconnectAttempts { get; init; } = 30;

    /// <summary>
    /// Whether the server takes FILE-PUT: null until the first put on this client was answered or
    /// shown dropped. A zpd older than FILE-PUT does not decode it and answers nothing, so the first
    /// put must be followed at once by a request every zpd answers (a fence: <see cref="ListAsync"/>);
    /// the server answers in order, so when the fence's reply comes before the put's, the put was
    /// dropped: the put call fails with <see cref="PutNotSupportedCode"/> and this turns false. No
    /// other FILE-PUT may be sent until this is known (<see cref="ZpConnection"/> keeps to that).
    /// </summary>
    public bool? TakesFilePut => Volatile.Read(ref _takesFilePut) switch { 0 => null, > 0 => true, _ => false };

    /// <summary>The failure code a FILE-PUT the server dropped (it does not know the message) ends with.</summary>
    public const ushort PutNotSupportedCode = 501;

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
        _listsPending = Math.Max(_listsPending - 1, 0);
        if (_probe is { } probe)
        {
            if (probe.ListsAhead > 0)
                probe.ListsAhead--;
            else if (probe.FenceSent)
                SettleProbe(probe);
        }
        SignalReply(new Jobs { Handles = message.Handles });
    }

    private partial void ExpectJobs(ListArguments arguments)
    {
        if (_probe is { FenceSent: false } probe)
            probe.FenceSent = true;
        _listsPending++;
    }

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
        // A connected zpd answers EXEC-LIST only with its reply, so with files in flight the ERROR is theirs.
        if (_describePending || (_listsPending > 0 && _fileRequests == 0))
        {
            _describePending = false;
            _listsPending = Math.Max(_listsPending - 1, 0);
            SignalReply(new Failure { Code = message.Code, Reason = message.Reason });
            return;
        }
        if (_fileRequests > 0)
        {
            if (!HeldForProbe(message))
                DeliverFileFailure(message);
            return;
        }
        Sink?.OnError(message.Code, message.Reason);
    }

    // The answer to the oldest file request in flight (the runtime gives it to the oldest call).
    private void DeliverFileFailure(ZpMsg.Error message)
    {
        _fileRequests--;
        SignalReply(new Failure { Code = message.Code, Reason = message.Reason });
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
        // Replies held for a probe came from the lost session: their requests fail below, and the
        // next put probes again.
        _probe = null;
        Sink?.OnReopened();
        // Describe, list and file requests sent to the lost session will never be answered.
        if (_describePending)
        {
            _describePending = false;
            SignalReply(new Failure { Code = 503, Reason = "session was re-opened; retry" });
        }
        for (; _listsPending > 0; _listsPending--)
            SignalReply(new Failure { Code = 503, Reason = "session was re-opened; retry" });
        for (; _fileRequests > 0; _fileRequests--)
            SignalReply(new Failure { Code = 503, Reason = "session was re-opened; retry" });
    }

    private partial void ExpectFileOpened(OpenFileArguments arguments) => CountFileRequest();

    private void CountFileRequest()
    {
        _fileRequests++;
        if (_probe is { FenceSent: false } probe)
            probe.SentAfter++;
    }

    // Method numbers are 32-bit, so the size and mtime arrive as decimal strings.
    private partial ZpMsg.FileOpen ComposeFileOpen(OpenFileArguments arguments) => new()
    {
        Path = arguments.Path,
        Size = ulong.Parse(arguments.Size, CultureInfo.InvariantCulture),
        Mode = arguments.Mode,
        Mtime = ulong.Parse(arguments.Mtime, CultureInfo.InvariantCulture),
        Digest = arguments.Digest,
    };

    // Answered by FILE-OPEN-REPLY or ERROR, as an offer: the same count and the same reply; the
    // first put probes whether the server knows it at all.
    private partial void ExpectFilePut(PutFileArguments arguments)
    {
        CountFileRequest();
        if (TakesFilePut is null && _probe is null)
            _probe = new PutProbe(_fileRequests - 1, _listsPending);
    }

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
        if (!HeldForProbe(message))
            DeliverFileOpened(message);
    }

    private void DeliverFileOpened(ZpMsg.FileOpenReply message)
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
        CountFileRequest();
        _fileOffsets.Remove(arguments.Handle);
    }

    private partial ZpMsg.FileClose ComposeFileClose(CloseFileArguments arguments) => new() { Handle = arguments.Handle, Digest = arguments.Digest };

    private partial void SignalFileClosed(ZpMsg.Ok message)
    {
        if (!HeldForProbe(message))
            DeliverFileClosed();
    }

    private void DeliverFileClosed()
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

    /// <summary>
    /// True when <paramref name="reply"/> (to a file request) may be the probing put's and is held
    /// until the fence says whose it is; false to deliver it now.
    /// </summary>
    private bool HeldForProbe(ZpMsg.Message reply)
    {
        if (_probe is not { } probe)
            return false;
        if (probe.RepliesAhead > 0)
        {
            // Answers a request sent before the put.
            probe.RepliesAhead--;
            return false;
        }
        probe.Held.Add(reply);
        return true;
    }

    /// <summary>
    /// The fence answered: every request sent before it was answered first, so the held replies are
    /// the put's (when the server took it) and those of the requests sent between the put and the
    /// fence. One fewer than those requests plus the put means the server dropped the put.
    /// </summary>
    private void SettleProbe(PutProbe probe)
    {
        _probe = null;
        var taken = probe.Held.Count > probe.SentAfter;
        Volatile.Write(ref _takesFilePut, taken ? 1 : -1);
        if (!taken)
        {
            // The put's call is the oldest file call left: it fails first, then the held replies
            // go to the calls after it, in order.
            _fileRequests--;
            SignalReply(new Failure { Code = PutNotSupportedCode, Reason = "the server does not know FILE-PUT" });
        }
        foreach (var reply in probe.Held)
        {
            switch (reply)
            {
                case ZpMsg.FileOpenReply opened:
                    DeliverFileOpened(opened);
                    break;
                case ZpMsg.Ok:
                    DeliverFileClosed();
                    break;
                case ZpMsg.Error error:
                    DeliverFileFailure(error);
                    break;
            }
        }
    }

    /// <summary>The put probing for FILE-PUT support: what the server answers before and after it.</summary>
    /// <param name="repliesAhead">File replies still due for requests sent before the put.</param>
    /// <param name="listsAhead">List replies still due for lists sent before the put (not the fence).</param>
    private sealed class PutProbe(int repliesAhead, int listsAhead)
    {
        public int RepliesAhead { get; set; } = repliesAhead;

        public int ListsAhead { get; set; } = listsAhead;

        /// <summary>File requests sent after the put and before the fence.</summary>
        public int SentAfter { get; set; }

        /// <summary>The first list after the put went out: its reply settles the probe.</summary>
        public bool FenceSent { get; set; }

        /// <summary>File replies received after those due before the put, in order.</summary>
        public List<ZpMsg.Message> Held { get; } = new();
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
