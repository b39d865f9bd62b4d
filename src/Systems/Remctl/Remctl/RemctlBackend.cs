using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Remctl.Protocol;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Servers;
using Zproto.Wire;

namespace Remctl;

/// <summary>
/// The actions of the backend's state machine, which is generated from models/remctl_server.xml and
/// runs on the shared server engine: one machine per REQ peer (the engine strips and restores the REQ
/// envelope), a request checked, queued for a handler slot, run on the thread pool and answered with
/// exactly one REPLY. <see cref="RemctlServer"/> builds it with its routes and options.
/// </summary>
/// <remarks>Everything here runs on the engine's owner thread, except the handlers themselves, whose
/// replies are posted back as the <c>handler done</c> event. A route that runs inline
/// (<see cref="RemctlRoute.RunInline"/>) calls its handler here; when that completes synchronously,
/// <c>handler done</c> is the next event of the same dispatch, so the reply leaves within the receive
/// that brought the request.</remarks>
public sealed partial class RemctlBackend
{
    /// <summary>Octets allowed on top of <see cref="RemctlServerOptions.MaxRequestBytes"/> for what the
    /// request limit does not count (routing id, tags, counts), when receiving a whole request.</summary>
    private const long FramingAllowance = 64 * 1024;

    private static readonly RemctlServer s_noRoutes = new();

    private readonly RemctlServer _server = s_noRoutes;
    private readonly Queue<Client> _waiting = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LogRateLimiter _refusalLog = new(10);
    private int _running;
    private int _inFlight;
    private long _waitingBytes;
    private bool _draining;
    private DecodeError _lastDecodeError;

    /// <summary>Creates the backend of <paramref name="server"/>, serving its routes with its limits.</summary>
    internal RemctlBackend(RemctlServer server, string endpoint, ILogger logger)
        : base(OptionsFor(server.Options, endpoint), logger, "remctl_backend")
    {
        _server = server;
        _refusalLog = new LogRateLimiter(server.Options.RefusalLogLimit);
    }

    /// <summary>Requests received and not yet answered (queued or running).</summary>
    public int InFlight => System.Threading.Volatile.Read(ref _inFlight);

    /// <summary>The engine settings a remctl backend needs: REQ peers, remctld's size limit per frame
    /// (libzmq refuses a larger frame from its header) and, counted as the frames arrive, per request.</summary>
    private static ServerOptions OptionsFor(RemctlServerOptions options, string endpoint) => new()
    {
        Endpoints = { endpoint },
        Context = options.Context,
        RequestEnvelope = true,
        MaxMessageSize = options.MaxRequestBytes,
        MaxMultipartSize = options.MaxRequestBytes + FramingAllowance,
        MalformedLogLimit = options.RefusalLogLimit,
    };

    /// <summary>Per-peer state: the request in progress and the reply the next <c>send</c> takes.</summary>
    public sealed partial class Client
    {
        internal RemctlMsg.Request? Pending;
        internal RemctlRoute? Route;
        internal RemctlEnvironment? Environment;
        internal string? Subcommand;
        internal long PendingBytes;
        internal RemctlMsg.Reply? Reply;
    }

    /// <summary>From now on refuses new requests (ERRORCODE 1) and those waiting for a slot; the task
    /// completes once every running request has been answered.</summary>
    internal async Task<Task> BeginDrainAsync()
    {
        await Invoke(() =>
        {
            _draining = true;
            // Requests still waiting for a slot never started: they are refused like new ones.
            while (_waiting.TryDequeue(out var waiting))
            {
                _waitingBytes -= waiting.PendingBytes;
                SendEvent(waiting, Event.Shutdown);
            }
            CompleteDrainIfIdle();
            return true;
        }).ConfigureAwait(false);
        return _drained.Task;
    }

    /// <inheritdoc />
    protected override Event? MalformedEvent(DecodeError error)
    {
        _lastDecodeError = error;
        return error.Kind == DecodeErrorKind.TooLarge ? Event.TooLarge : Event.Malformed;
    }

    // systems.md 2.8: limits, then the route (args[0]), then its access policy; any refusal is the reply.
    private partial void CheckRequest(Client client, RemctlMsg.Request request)
    {
        if (_draining)
        {
            if (MayLogRefusal(client))
                Logger.LogWarning("Request refused with ERRORCODE 1: the server is shutting down");
            Refuse(client, RemctlError.Internal);
            return;
        }
        client.Environment = new RemctlEnvironment(request.Environment);
        client.Subcommand = null;
        try
        {
            client.Route = _server.Resolve(request, out client.Subcommand);
            if (!client.Route.Admits(client.Environment))
                throw new RemctlException(RemctlError.Access);
        }
        catch (RemctlException e)
        {
            Logger.LogInformation("{Command} {Subcommand} for {User}: error {Code} ({Message})",
                client.Environment.Command, client.Subcommand, client.Environment.User, e.Code, e.Message);
            client.Reply = ErrorReply(e.Code);
            RaiseException(client, Event.Refused);
        }
        catch (Exception e)
        {
            // An access policy that throws refuses its own request, never the server.
            Logger.LogError(e, "{Command} {Subcommand} for {User}: access policy failed",
                client.Environment.Command, client.Subcommand, client.Environment.User);
            client.Reply = ErrorReply((int)RemctlError.Internal);
            RaiseException(client, Event.Refused);
        }
    }

    // A free slot starts the handler now; otherwise the request waits its turn, within the queue's bounds.
    private partial void QueueRequest(Client client, RemctlMsg.Request request)
    {
        var options = _server.Options;
        long size = 0;
        foreach (var argument in request.Arguments)
            size += argument.Length;
        foreach (var item in request.Environment)
            size += item.Name.Length + item.Value.Length;
        if (_running < options.MaxConcurrentHandlers)
        {
            _running++;
            SetNextEvent(client, Event.SlotFree);
        }
        else if (_waiting.Count == 0 || (_waiting.Count < options.MaxQueuedRequests && _waitingBytes + size <= options.MaxQueuedBytes))
        {
            _waiting.Enqueue(client);
            _waitingBytes += size;
        }
        else
        {
            if (MayLogRefusal(client))
                Logger.LogWarning("Request refused with ERRORCODE 1: {Running} handlers running and {Waiting} requests ({Bytes} bytes) waiting",
                    _running, _waiting.Count, _waitingBytes);
            Refuse(client, RemctlError.Internal);
            return;
        }
        client.Pending = request;
        client.PendingBytes = size;
        _inFlight++;
    }

    private partial void StartHandler(Client client)
    {
        var request = client.Pending!;
        var route = client.Route!;
        var environment = client.Environment!;
        var subcommand = client.Subcommand;
        Task<RemctlMsg.Reply> reply;
        if (route.RunsInline)
        {
            reply = _server.ExecuteAsync(request, route, environment, subcommand);
            if (reply.IsCompletedSuccessfully)
            {
                // Done without yielding: answered from this thread, with no hand-off either way.
                client.Reply = reply.Result;
                SetNextEvent(client, Event.HandlerDone);
                return;
            }
        }
        else
        {
            // Task.Run keeps a handler's synchronous part off the owner thread.
            reply = Task.Run(() => _server.ExecuteAsync(request, route, environment, subcommand));
        }
        _ = PostReplyAsync(client, reply);
    }

    /// <summary>Posts a handler's reply back to the owner thread as <c>handler done</c> once it completes.</summary>
    private async Task PostReplyAsync(Client client, Task<RemctlMsg.Reply> running)
    {
        RemctlMsg.Reply reply;
        try
        {
            reply = await running.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // ExecuteAsync turns handler failures into replies; this guard keeps the one-reply promise
            // should anything around it fail.
            Logger.LogError(e, "Request failed outside its handler");
            reply = ErrorReply((int)RemctlError.Internal);
        }
        try
        {
            Post(() =>
            {
                client.Reply = reply;
                SendEvent(client, Event.HandlerDone);
            });
        }
        catch (ObjectDisposedException)
        {
            Logger.LogWarning("A reply was dropped: the server stopped before the handler finished");
        }
    }

    private partial RemctlMsg.Reply ComposeReply(Client client)
    {
        var reply = client.Reply ?? ErrorReply((int)RemctlError.Internal);
        client.Reply = null;
        return reply with { Tags = _server.Options.ReplyTags };
    }

    // The reply is sent: the slot goes to the oldest waiting request.
    private partial void FinishRequest(Client client)
    {
        EndRequest(client);
        _running--;
        if (_waiting.TryDequeue(out var next))
        {
            _waitingBytes -= next.PendingBytes;
            _running++;
            SendEvent(next, Event.SlotFree);
        }
        CompleteDrainIfIdle();
    }

    private partial void RefuseShutdown(Client client)
    {
        if (MayLogRefusal(client))
            Logger.LogWarning("Request refused with ERRORCODE 1: the server is shutting down");
        client.Reply = ErrorReply((int)RemctlError.Internal);
        EndRequest(client);
        CompleteDrainIfIdle();
    }

    private partial void RefuseMalformed(Client client)
    {
        if (MayLogRefusal(client))
            Logger.LogWarning("Malformed request refused with ERRORCODE 4: {Error}", _lastDecodeError);
        client.Reply = ErrorReply((int)RemctlError.BadCommand);
    }

    private partial void RefuseTooLarge(Client client)
    {
        if (MayLogRefusal(client))
            Logger.LogWarning("Request refused with ERRORCODE 8: larger than {Limit} octets", _server.Options.MaxRequestBytes);
        client.Reply = ErrorReply((int)RemctlError.TooMuchData);
    }

    private static void Refuse(Client client, RemctlError error)
    {
        client.Reply = ErrorReply((int)error);
        RaiseException(client, Event.Refused);
    }

    private void EndRequest(Client client)
    {
        client.Pending = null;
        client.Route = null;
        client.Environment = null;
        _inFlight--;
    }

    /// <summary>Whether a warning about a refused request from <paramref name="client"/> may be written:
    /// at most <see cref="RemctlServerOptions.RefusalLogLimit"/> a minute per peer, and nothing is
    /// formatted when warnings are off, so a flood of bad requests cannot grow the log or cost much.</summary>
    private bool MayLogRefusal(Client client)
    {
        if (!Logger.IsEnabled(LogLevel.Warning) || !_refusalLog.ShouldLog(client.RoutingId, out var suppressed))
            return false;
        if (suppressed > 0)
            Logger.LogWarning("{Count} more refused requests in the last minute were not logged", suppressed);
        return true;
    }

    private void CompleteDrainIfIdle()
    {
        if (_draining && _inFlight == 0)
            _drained.TrySetResult();
    }

    private static RemctlMsg.Reply ErrorReply(int code) => new() { Status = new RemctlMsg.Reply.ErrorCode { Code = code } };
}
