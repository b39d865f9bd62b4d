using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Remctl.Protocol;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;

namespace Remctl;

/// <summary>
/// The owner thread of a <see cref="RemctlServer"/>'s ROUTER socket: receives requests, splits off
/// their envelopes, decodes them, starts handlers on the thread pool, and sends the replies those
/// handlers post back. All socket access and all of the fields below happen on this thread only.
/// </summary>
internal sealed class RemctlServerLoop : ActorLoop
{
    /// <summary>Messages taken per readiness event before the loop runs its posted commands again,
    /// so a flood of requests cannot starve the replies.</summary>
    private const int ReceiveBatch = 256;

    private readonly RemctlServer _server;
    private readonly string _endpoint;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<Waiting> _waiting = new();
    private readonly LogRateLimiter _refusalLog;
    private ZmqSocket? _router;
    private int _inFlight;
    private int _running;
    private long _waitingBytes;
    private bool _draining;

    public RemctlServerLoop(RemctlServer server, string endpoint, ILogger logger)
        : base(server.Options.Context, logger, "remctl-server")
    {
        _server = server;
        _endpoint = endpoint;
        _refusalLog = new LogRateLimiter(server.Options.RefusalLogLimit);
    }

    /// <summary>The resolved endpoint, set once the socket is bound.</summary>
    public string? BoundEndpoint { get; private set; }

    /// <summary>Handlers running or replies not yet sent (read from other threads for logging only).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void Start() => StartLoop();

    /// <summary>From now on refuses new requests (ERRORCODE 1); completes once every running
    /// request has been answered.</summary>
    public async Task<Task> BeginDrainAsync()
    {
        await Invoke(() =>
        {
            _draining = true;
            // Requests still waiting for a slot never started: they are refused like new ones.
            while (_waiting.TryDequeue(out var waiting))
            {
                Reply(waiting.Envelope, ErrorReply(RemctlError.Internal));
                _inFlight--;
            }
            _waitingBytes = 0;
            CompleteDrainIfIdle();
            return true;
        }).ConfigureAwait(false);
        return _drained.Task;
    }

    protected override void OnStart(ZmqPoller poller)
    {
        _router = new ZmqSocket(Context, ZmqSocketType.Router)
        {
            // Replies sent just before shutdown still get a moment to leave.
            Linger = TimeSpan.FromSeconds(1),
            // A frame past the request limit is refused by libzmq from its header, unbuffered.
            MaxMessageSize = _server.Options.MaxRequestBytes,
        };
        _router.Bind(_endpoint);
        BoundEndpoint = _router.LastEndpoint;
        poller.Add(_router);
    }

    protected override void OnReadable(int index)
    {
        var router = _router!;
        for (var received = 0; received < ReceiveBatch; received++)
        {
            var frames = new List<byte[]>();
            if (!router.TryReceiveMultipart(frames, dontWait: true))
                return;
            OnRequest(frames);
        }
    }

    protected override void OnStop() => _router?.Dispose();

    private void OnRequest(List<byte[]> frames)
    {
        // A REQ peer's envelope is its routing id(s) and an empty delimiter; the reply must carry it
        // back unchanged. Without a delimiter the peer is not a REQ (say a bare DEALER): the routing
        // id alone is enough to answer it, and the request is malformed.
        var delimiter = frames.FindIndex(1, frame => frame.Length == 0);
        var envelopeLength = delimiter < 0 ? 1 : delimiter + 1;
        var envelope = frames.GetRange(0, envelopeLength);

        if (delimiter < 0)
        {
            LogRefusal(envelope[0], "Malformed request: no empty delimiter frame after the routing id (not a REQ peer?)");
            Reply(envelope, ErrorReply(RemctlError.BadCommand));
            return;
        }
        if (_draining)
        {
            LogRefusal(envelope[0], "Request refused with ERRORCODE 1: the server is shutting down");
            Reply(envelope, ErrorReply(RemctlError.Internal));
            return;
        }

        var body = new ReadOnlyMemory<byte>[frames.Count - envelopeLength];
        for (var i = 0; i < body.Length; i++)
            body[i] = frames[envelopeLength + i];
        if (!RemctlMsg.TryDecodeRequest(body, out var request, out var error))
        {
            LogRefusal(envelope[0], $"Malformed request ({body.Length} frames): {error.Message}");
            Reply(envelope, ErrorReply(RemctlError.BadCommand));
            return;
        }

        long size = 0;
        foreach (var frame in body)
            size += frame.Length;
        if (_running < _server.Options.MaxConcurrentHandlers)
        {
            Start(envelope, request);
        }
        else if (_waiting.Count == 0 || (_waiting.Count < _server.Options.MaxQueuedRequests && _waitingBytes + size <= _server.Options.MaxQueuedBytes))
        {
            _inFlight++;
            _waiting.Enqueue(new Waiting(envelope, request, size));
            _waitingBytes += size;
        }
        else
        {
            LogRefusal(envelope[0], $"Request refused with ERRORCODE 1: {_running} handlers running and {_waiting.Count} requests ({_waitingBytes} bytes) waiting");
            Reply(envelope, ErrorReply(RemctlError.Internal));
        }
    }

    private void Start(List<byte[]> envelope, RemctlMsg.Request request)
    {
        _inFlight++;
        _running++;
        _ = RunAsync(envelope, request);
    }

    /// <summary>A handler finished (its reply is sent): the oldest waiting request takes its slot.</summary>
    private void HandlerFinished()
    {
        _running--;
        if (_waiting.TryDequeue(out var next))
        {
            _waitingBytes -= next.Bytes;
            _inFlight--;
            Start(next.Envelope, next.Request);
        }
    }

    /// <summary>Warns about a refused request, at most <see cref="RemctlServerOptions.RefusalLogLimit"/> times a minute per peer.</summary>
    private void LogRefusal(byte[] peer, string message)
    {
        if (!_refusalLog.ShouldLog(peer, out var suppressed))
            return;
        if (suppressed > 0)
            Logger.LogWarning("{Count} more refused requests in the last minute were not logged", suppressed);
        Logger.LogWarning("{Refusal}", message);
    }

    private async Task RunAsync(List<byte[]> envelope, RemctlMsg.Request request)
    {
        List<ReadOnlyMemory<byte>> frames;
        try
        {
            // Task.Run keeps a handler's synchronous part off the owner thread.
            var reply = await Task.Run(() => _server.ExecuteAsync(request)).ConfigureAwait(false);
            frames = Encode(envelope, reply);
        }
        catch (Exception e)
        {
            // ExecuteAsync turns handler failures into replies; this is the guard that keeps the
            // one-reply-per-request promise should anything around it fail.
            Logger.LogError(e, "Request failed outside its handler");
            frames = Encode(envelope, ErrorReply(RemctlError.Internal));
        }
        try
        {
            Post(() =>
            {
                try
                {
                    Send(frames);
                }
                finally
                {
                    _inFlight--;
                    HandlerFinished();
                    CompleteDrainIfIdle();
                }
            });
        }
        catch (ObjectDisposedException)
        {
            Logger.LogWarning("A reply was dropped: the server stopped before the handler finished");
        }
    }

    private void Reply(List<byte[]> envelope, RemctlMsg.Reply reply) => Send(Encode(envelope, reply));

    private List<ReadOnlyMemory<byte>> Encode(List<byte[]> envelope, RemctlMsg.Reply reply)
    {
        var frames = new List<ReadOnlyMemory<byte>>(envelope.Count + 3 * reply.Output.Count + 2);
        foreach (var frame in envelope)
            frames.Add(frame);
        RemctlMsg.AddFrames(reply, frames, _server.Options.ReplyTags);
        return frames;
    }

    private void Send(List<ReadOnlyMemory<byte>> frames)
    {
        // A ROUTER never blocks: it drops a message for a peer that left, or whose queue is full,
        // which for a REQ peer (one request at a time) means it is gone.
        if (!_router!.TrySendMultipart(frames, dontWait: true))
            Logger.LogWarning("A reply was dropped: its requester's queue is full");
    }

    private void CompleteDrainIfIdle()
    {
        if (_draining && _inFlight == 0)
            _drained.TrySetResult();
    }

    private static RemctlMsg.Reply ErrorReply(RemctlError error) =>
        new() { Status = new RemctlMsg.Reply.ErrorCode { Code = (int)error } };

    /// <summary>A decoded request waiting for a handler slot.</summary>
    private sealed record Waiting(List<byte[]> Envelope, RemctlMsg.Request Request, long Bytes);
}
