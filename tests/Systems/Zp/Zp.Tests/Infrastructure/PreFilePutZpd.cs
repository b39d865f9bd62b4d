using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Zp.Client;
using Zp.Client.Codec;
using Zpd;
using Zproto.Runtime.Zmq;

namespace Zp.Tests.Infrastructure;

/// <summary>
/// A zpd as built before FILE-PUT (id 24) existed, in process on 127.0.0.1: a CURVE ROUTER that
/// speaks what a copy needs (session, heartbeat, EXEC-LIST, FILE-OPEN / FILE-CHUNK / FILE-CLOSE
/// through zpd's own <see cref="FileTransfers"/>) and, like zpd's engine with a codec that does not
/// know id 24, counts and drops a FILE-PUT without answering. Anything else it does not expect is
/// recorded in <see cref="Unexpected"/>.
/// </summary>
internal sealed class PreFilePutZpd : IDisposable
{
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _router;
    private readonly FileTransfers _files = new();
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _putsDropped;

    public PreFilePutZpd()
    {
        Directory = Path.Combine(Path.GetTempPath(), "zp-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        KeyFiles.Generate(IdentityDirectory);
        var host = KeyFiles.Generate(Path.Combine(Directory, "host"));
        _router = new ZmqSocket(_context, ZmqSocketType.Router)
        {
            Linger = TimeSpan.Zero,
            CurveServer = true,
            CurveSecretKey = host.SecretKey,
            // Short, so the loop sees Dispose soon.
            ReceiveTimeout = TimeSpan.FromMilliseconds(100),
        };
        _router.Bind("tcp://127.0.0.1:*");
        var endpoint = _router.LastEndpoint;
        Port = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        ServerKey = host.PublicKey;
        File.WriteAllText(KnownHostsFile, $"127.0.0.1:{Port} {ServerKey}\n");
        _thread = new Thread(Serve) { IsBackground = true, Name = "pre-file-put zpd" };
        _thread.Start();
    }

    public string Directory { get; }

    public int Port { get; }

    public string ServerKey { get; }

    public string IdentityDirectory => Path.Combine(Directory, "id");

    public string KnownHostsFile => Path.Combine(Directory, "known_hosts");

    /// <summary>FILE-PUT messages received and dropped.</summary>
    public int PutsDropped => Volatile.Read(ref _putsDropped);

    /// <summary>Messages this server does not serve, and failures of its loop.</summary>
    public ConcurrentQueue<string> Unexpected { get; } = new();

    /// <summary>zpc's options for this server (identity, known hosts, -p), then <paramref name="rest"/>.</summary>
    public string[] ZpcArgs(params string[] rest)
    {
        var args = new List<string> { "--identity", IdentityDirectory, "--known-hosts", KnownHostsFile, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        args.AddRange(rest);
        return args.ToArray();
    }

    /// <summary>Options for an in-process <see cref="ZpConnection"/> with the test identity.</summary>
    public ZpConnectOptions ConnectOptions(string clientId) => new()
    {
        Endpoint = $"tcp://127.0.0.1:{Port}",
        User = ZpdProcess.User,
        ClientId = clientId,
        ServerKey = ServerKey,
        ClientKeys = KeyFiles.Load(IdentityDirectory),
    };

    private void Serve()
    {
        var frames = new List<byte[]>();
        try
        {
            while (!_stopping)
            {
                frames.Clear();
                if (!_router.TryReceiveMultipart(frames))
                    continue;
                // [routing id, (empty delimiter,) message]: the reply goes back with the same envelope.
                var envelope = frames.GetRange(0, frames.Count - 1);
                if (!ZpMsg.TryDecode(frames[^1], out var message, out var error))
                {
                    Unexpected.Enqueue($"malformed: {error}");
                    continue;
                }
                if (Answer(message) is { } reply)
                {
                    var outgoing = new List<ReadOnlyMemory<byte>>();
                    foreach (var frame in envelope)
                        outgoing.Add(frame);
                    outgoing.AddRange(ZpMsg.EncodeFrames(reply));
                    _router.SendMultipart(outgoing);
                }
            }
        }
        catch (Exception e) when (!_stopping)
        {
            Unexpected.Enqueue(e.ToString());
        }
    }

    private ZpMsg.Message? Answer(ZpMsg.Message message)
    {
        const string owner = "test";
        try
        {
            switch (message)
            {
                case ZpMsg.SessionOpen or ZpMsg.ConnectionOpen or ZpMsg.ConnectionClose:
                    return new ZpMsg.Ok { Code = 200, Reason = "OK" };
                case ZpMsg.ConnectionPing:
                    return new ZpMsg.ConnectionPong();
                case ZpMsg.ExecList:
                    return new ZpMsg.ExecListReply { Handles = Array.Empty<string>() };
                case ZpMsg.FilePut:
                    // The old codec does not know id 24: the engine counts the frame as malformed and
                    // drops it; no state machine runs, nothing is answered.
                    Interlocked.Increment(ref _putsDropped);
                    return null;
                case ZpMsg.FileOpen open:
                    var opened = _files.Open(owner, Directory, open.Path, (long)open.Size, (int)open.Mode, (long)open.Mtime, open.Digest);
                    return new ZpMsg.FileOpenReply { Handle = opened.Handle, Identical = opened.Identical ? (byte)1 : (byte)0, Offset = (ulong)opened.Offset, Credit = (ulong)opened.Credit };
                case ZpMsg.FileChunk chunk:
                    var written = _files.Write(owner, chunk.Handle, (long)chunk.Offset, chunk.Chunk.Span);
                    return new ZpMsg.FileAck { Handle = chunk.Handle, Offset = (ulong)written, Credit = (ulong)chunk.Chunk.Length };
                case ZpMsg.FileClose close:
                    _files.Close(owner, close.Handle, close.Digest);
                    return new ZpMsg.Ok { Code = 200, Reason = "file in place" };
                default:
                    Unexpected.Enqueue(message.GetType().Name);
                    return null;
            }
        }
        catch (JobRequestException e)
        {
            Unexpected.Enqueue($"{message.GetType().Name}: {e.Message}");
            return new ZpMsg.Error { Code = e.Code, Reason = e.Message };
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _router.Dispose();
        _files.Dispose();
        _context.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned with the temp directory eventually.
        }
    }
}
