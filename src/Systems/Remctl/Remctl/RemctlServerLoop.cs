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
    private ZmqSocket? _router;
    private int _inFlight;
    private bool _draining;

    public RemctlServerLoop(RemctlServer server, string endpoint, ILogger logger)
        : base(server.Options.Context, logger, "remctl-server")
    {
        _server = server;
        _endpoint = endpoint;
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
            Logger.LogWarning("Malformed request: no empty delimiter frame after the routing id (not a REQ peer?)");
            Reply(envelope, ErrorReply(RemctlError.BadCommand));
            return;
        }
        if (_draining)
        {
            Logger.LogWarning("Request refused with ERRORCODE 1: the server is shutting down");
            Reply(envelope, ErrorReply(RemctlError.Internal));
            return;
        }

        var body = new ReadOnlyMemory<byte>[frames.Count - envelopeLength];
        for (var i = 0; i < body.Length; i++)
            body[i] = frames[envelopeLength + i];
        if (!RemctlMsg.TryDecodeRequest(body, out var request, out var error))
        {
            Logger.LogWarning("Malformed request ({Frames} frames): {Error}", body.Length, error.Message);
            Reply(envelope, ErrorReply(RemctlError.BadCommand));
            return;
        }

        _inFlight++;
        _ = RunAsync(envelope, request);
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
}
