using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Zp.Client;
using Zp.Client.Codec;
using Zproto.Runtime.Zmq;

namespace Zp.Tests.Infrastructure;

/// <summary>
/// A receiver in place of zpd for ZP-11: a CURVE ROUTER on 127.0.0.1 that opens sessions, answers
/// pings, grants a file transfer a fixed credit and then acknowledges nothing until the test says
/// so (<see cref="Grant"/>). It counts the FILE-CHUNK bytes that arrive, so a test can check the
/// sender stays within the window.
/// </summary>
internal sealed class StalledReceiver : IDisposable
{
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _router;
    private readonly long _credit;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _lock = new();
    private readonly Queue<(uint Handle, ulong Credit)> _grants = new();
    private byte[]? _peer;
    private long _received;
    private long _acknowledged;

    public StalledReceiver(string directory, long credit)
    {
        _credit = credit;
        var keys = ZmqCurve.GenerateKeyPair();
        ServerKey = keys.PublicKey;
        _router = new ZmqSocket(_context, ZmqSocketType.Router)
        {
            CurveServer = true,
            CurvePublicKey = keys.PublicKey,
            CurveSecretKey = keys.SecretKey,
            Linger = TimeSpan.Zero,
            ReceiveTimeout = TimeSpan.FromMilliseconds(50),
        };
        _router.Bind("tcp://127.0.0.1:*");
        Port = int.Parse(_router.LastEndpoint[(_router.LastEndpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        IdentityDirectory = Path.Combine(directory, "id");
        KeyFiles.Generate(IdentityDirectory);
        KnownHostsFile = Path.Combine(directory, "known_hosts");
        File.WriteAllText(KnownHostsFile, $"127.0.0.1:{Port} {ServerKey}\n");
        // The socket is used by this thread only.
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
    }

    public int Port { get; }

    public string ServerKey { get; }

    public string IdentityDirectory { get; }

    public string KnownHostsFile { get; }

    /// <summary>FILE-CHUNK payload bytes received so far.</summary>
    public long Received
    {
        get { lock (_lock) return _received; }
    }

    /// <summary>The most payload the sender ever had sent beyond what was acknowledged.</summary>
    public long MaxUnacknowledged { get; private set; }

    /// <summary>Whether a file was opened (the sender started).</summary>
    public bool FileOpened { get; private set; }

    /// <summary>Acknowledges everything received so far and grants <paramref name="credit"/> more bytes.</summary>
    public void Grant(ulong credit)
    {
        lock (_lock)
            _grants.Enqueue((1, credit));
    }

    private void Run()
    {
        var frames = new List<byte[]>();
        while (!_stop.IsCancellationRequested)
        {
            SendGrants();
            frames.Clear();
            if (!_router.TryReceiveMultipart(frames) || frames.Count != 2 || !ZpMsg.TryDecode(frames[1], out var message, out _))
                continue;
            _peer = frames[0];
            switch (message)
            {
                case ZpMsg.SessionOpen:
                    Reply(new ZpMsg.Ok { Code = 200, Reason = "stalled receiver" });
                    break;
                case ZpMsg.ConnectionPing:
                    Reply(new ZpMsg.ConnectionPong());
                    break;
                case ZpMsg.FileOpen:
                    FileOpened = true;
                    Reply(new ZpMsg.FileOpenReply { Handle = 1, Identical = 0, Offset = 0, Credit = (ulong)_credit });
                    break;
                case ZpMsg.FileChunk chunk:
                    lock (_lock)
                    {
                        _received += chunk.Chunk.Length;
                        MaxUnacknowledged = Math.Max(MaxUnacknowledged, _received - _acknowledged);
                    }
                    break;
                default:
                    Reply(new ZpMsg.Error { Code = 400, Reason = "not expected by the stalled receiver" });
                    break;
            }
        }
    }

    private void SendGrants()
    {
        while (true)
        {
            (uint Handle, ulong Credit) grant;
            long offset;
            lock (_lock)
            {
                if (_peer is null || !_grants.TryDequeue(out grant))
                    return;
                _acknowledged = _received;
                offset = _received;
            }
            Reply(new ZpMsg.FileAck { Handle = grant.Handle, Offset = (ulong)offset, Credit = grant.Credit });
        }
    }

    private void Reply(ZpMsg.Message message)
    {
        var frames = new List<ReadOnlyMemory<byte>> { _peer! };
        frames.AddRange(ZpMsg.EncodeFrames(message));
        _router.SendMultipart(frames);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _router.Dispose();
        _context.Dispose();
        _stop.Dispose();
    }
}
