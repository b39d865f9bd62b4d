using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Zmq;

namespace Zbroker;

/// <summary>The commands brokers exchange (docs/zpipes-clustering.md).</summary>
internal static class ClusterCommand
{
    public const string Hello = "HELLO";
    public const string HaveWriter = "HAVE WRITER";
    public const string HaveReader = "HAVE READER";
    public const string Data = "DATA";
    public const string DropWriter = "DROP WRITER";
    public const string DropReader = "DROP READER";
}

/// <summary>
/// Clustering: brokers serve one pipe namespace over ZeroMQ itself, with the 2014 zbroker's
/// messages (HAVE WRITER, HAVE READER, DATA, DROP) on a ROUTER each broker binds and a DEALER per
/// peer. Every message is <c>[command][sender node][pipe name]</c>, DATA adds <c>[bytes]</c>, and
/// HELLO is <c>[HELLO][node][cluster endpoint]</c>: it introduces a broker (the receiver connects
/// back, so one side listing the other is enough), and its absence for
/// <see cref="ClusterSettings.PeerTimeout"/> retires the peer. Everything runs on the server's owner
/// thread, like the actions.
/// </summary>
public sealed partial class ZpipesServer
{
    private readonly Dictionary<string, ZmqSocket> _peerSockets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Peer> _peers = new(StringComparer.Ordinal);
    private readonly List<byte[]> _clusterFrames = new();
    private readonly List<ReadOnlyMemory<byte>> _outgoing = new();
    private ZmqSocket? _clusterRouter;
    private int _clusterIndex = -1;
    private string _advertised = "";

    /// <summary>Cluster membership; null (the default) for a stand-alone broker. Set before <c>Start()</c>.</summary>
    public ClusterSettings? Cluster { get; init; }

    /// <summary>Cluster endpoint this broker listens on, resolved (empty when not clustered).</summary>
    public string ClusterEndpoint => _advertised;

    /// <summary>Node ids of the peers currently heard from (for tests and diagnostics).</summary>
    public System.Threading.Tasks.Task<string[]> ListPeersAsync() => Invoke(() => new List<string>(_peers.Keys).ToArray());

    private sealed class Peer(string endpoint)
    {
        public string Endpoint { get; } = endpoint;

        public long LastHeard { get; set; }
    }

    /// <inheritdoc />
    protected override void OnStart(ZmqPoller poller)
    {
        base.OnStart(poller);
        if (Cluster is not { } cluster)
            return;
        _clusterRouter = new ZmqSocket(Context, ZmqSocketType.Router) { ReceiveHighWatermark = 0 };
        _clusterRouter.Bind(cluster.Bind);
        _advertised = _clusterRouter.LastEndpoint;
        _clusterIndex = poller.Count;
        poller.Add(_clusterRouter);
        foreach (var endpoint in cluster.Peers)
            PeerSocket(endpoint);
        Logger.LogInformation("{Name}: cluster node {Node} on {Endpoint}, peers {Peers}", Name, cluster.NodeId, _advertised, string.Join(", ", cluster.Peers));
        Tick();
    }

    /// <inheritdoc />
    protected override void OnReadable(int index)
    {
        if (index != _clusterIndex)
        {
            base.OnReadable(index);
            return;
        }
        for (var n = 0; n < 256; n++)
        {
            _clusterFrames.Clear();
            if (!_clusterRouter!.TryReceiveMultipart(_clusterFrames, dontWait: true))
                return;
            try
            {
                ReceiveFromPeer();
            }
            catch (Exception e) when (e is DecoderFallbackException or ArgumentException)
            {
                Logger.LogWarning("{Name}: dropped a malformed cluster message: {Reason}", Name, e.Message);
            }
        }
    }

    /// <inheritdoc />
    protected override void OnStop()
    {
        // Clients go first: their detaches shout DROP while the peer sockets are still open.
        base.OnStop();
        foreach (var socket in _peerSockets.Values)
            socket.Dispose();
        _peerSockets.Clear();
        _clusterRouter?.Dispose();
    }

    private ZmqSocket PeerSocket(string endpoint)
    {
        if (!_peerSockets.TryGetValue(endpoint, out var socket))
        {
            // A short linger lets the DROPs shouted while stopping reach the peers.
            socket = new ZmqSocket(Context, ZmqSocketType.Dealer) { SendHighWatermark = 0, Linger = TimeSpan.FromMilliseconds(200) };
            socket.Connect(endpoint);
            _peerSockets[endpoint] = socket;
        }
        return socket;
    }

    /// <summary>Every interval: HELLO to all, retire silent peers, and re-announce unmatched local ends (a peer may have started late or missed the first SHOUT).</summary>
    private void Tick()
    {
        var cluster = Cluster!;
        Shout(ClusterCommand.Hello, _advertised);
        var now = Now;
        var gone = new List<string>();
        foreach (var (node, peer) in _peers)
        {
            if (now - peer.LastHeard > (long)cluster.PeerTimeout.TotalMilliseconds)
                gone.Add(node);
        }
        foreach (var node in gone)
        {
            Logger.LogWarning("{Name}: peer {Node} at {Endpoint} went silent; dropping its pipe ends", Name, node, _peers[node].Endpoint);
            _peers.Remove(node);
            foreach (var pipe in new List<Pipe>(_pipes.Values))
            {
                if (pipe.RemoteReader == node)
                    DropRemote(pipe, reader: true);
                if (pipe.RemoteWriter == node)
                    DropRemote(pipe, reader: false);
            }
        }
        foreach (var pipe in _pipes.Values)
        {
            if (pipe.Writer is not null && !pipe.HasReader)
                Shout(ClusterCommand.HaveWriter, pipe.Name);
            else if (pipe.Reader is not null && !pipe.HasWriter)
                Shout(ClusterCommand.HaveReader, pipe.Name);
        }
        ScheduleAt(Now + (long)cluster.Interval.TotalMilliseconds, Tick);
    }

    /// <summary>Sends to every peer (a no-op for a stand-alone broker).</summary>
    private void Shout(string command, string argument)
    {
        if (Cluster is null)
            return;
        foreach (var socket in _peerSockets.Values)
            SendTo(socket, command, argument, ReadOnlyMemory<byte>.Empty, shout: true);
    }

    /// <summary>Sends to one peer; a peer never heard of is logged and skipped.</summary>
    private void Whisper(string node, string command, string argument, ReadOnlyMemory<byte> data)
    {
        if (Cluster is null)
            return;
        if (!_peers.TryGetValue(node, out var peer))
        {
            Logger.LogWarning("{Name}: no route to peer {Node}; {Command} {Pipe} dropped", Name, node, command, argument);
            return;
        }
        SendTo(PeerSocket(peer.Endpoint), command, argument, data, shout: false);
    }

    private void SendTo(ZmqSocket socket, string command, string argument, ReadOnlyMemory<byte> data, bool shout)
    {
        _outgoing.Clear();
        _outgoing.Add(Encoding.UTF8.GetBytes(command));
        _outgoing.Add(Encoding.UTF8.GetBytes(Cluster!.NodeId));
        _outgoing.Add(Encoding.UTF8.GetBytes(argument));
        _outgoing.Add(shout ? "S"u8.ToArray() : "W"u8.ToArray());
        if (command == ClusterCommand.Data)
            _outgoing.Add(data);
        if (!socket.TrySendMultipart(_outgoing, dontWait: true))
            Logger.LogWarning("{Name}: peer queue full; {Command} {Pipe} dropped", Name, command, argument);
    }

    private void ReceiveFromPeer()
    {
        // [routing id][command][node][argument][S|W]([data])
        if (_clusterFrames.Count < 5)
        {
            Logger.LogWarning("{Name}: dropped a cluster message of {Count} frames", Name, _clusterFrames.Count);
            return;
        }
        var command = Strict(_clusterFrames[1]);
        var node = Strict(_clusterFrames[2]);
        var argument = Strict(_clusterFrames[3]);
        var shout = _clusterFrames[4].AsSpan().SequenceEqual("S"u8);
        if (node == Cluster!.NodeId)
            return;
        if (command == ClusterCommand.Hello)
        {
            if (!_peers.TryGetValue(node, out var known))
            {
                known = new Peer(argument);
                _peers[node] = known;
                PeerSocket(argument);
                Logger.LogInformation("{Name}: peer {Node} joined from {Endpoint}", Name, node, argument);
            }
            known.LastHeard = Now;
            return;
        }
        if (!_peers.TryGetValue(node, out var peer))
        {
            // Before its HELLO: it will say HELLO within an interval and re-announce.
            Logger.LogDebug("{Name}: {Command} {Pipe} from unknown peer {Node} ignored", Name, command, argument, node);
            return;
        }
        peer.LastHeard = Now;
        if (Options.Verbose)
            Logger.LogInformation("{Name}: peer {Node}: {Command} {Pipe}", Name, node, command, argument);
        switch (command)
        {
            case ClusterCommand.HaveWriter:
                HaveRemoteWriter(node, argument, shout);
                break;
            case ClusterCommand.HaveReader:
                HaveRemoteReader(node, argument, shout);
                break;
            case ClusterCommand.Data:
                RemoteData(node, argument, _clusterFrames.Count > 5 ? _clusterFrames[5] : Array.Empty<byte>());
                break;
            case ClusterCommand.DropWriter:
                if (_pipes.TryGetValue(argument, out var w) && w.RemoteWriter == node)
                    DropRemote(w, reader: false);
                break;
            case ClusterCommand.DropReader:
                if (_pipes.TryGetValue(argument, out var r) && r.RemoteReader == node)
                    DropRemote(r, reader: true);
                break;
            default:
                Logger.LogWarning("{Name}: unknown cluster command '{Command}' from {Node}", Name, command, node);
                break;
        }
    }

    private static string Strict(byte[] bytes) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);

    private void HaveRemoteWriter(string node, string name, bool shout)
    {
        var pipe = LookupOrCreate(name);
        if (pipe.HasNoLocalEnd && pipe.RemoteReader is not null && pipe.RemoteReader != node)
        {
            // Both ends are elsewhere: this broker is a bystander and forgets the pipe, so a local
            // writer arriving later waits for a reader of its own instead of feeding theirs.
            RemovePipe(pipe);
            return;
        }
        if (pipe.Writer is not null || (pipe.RemoteWriter is not null && pipe.RemoteWriter != node))
            return;
        pipe.RemoteWriter = node;
        // Answer a SHOUT so the writer's broker learns of this reader even if it missed our own SHOUT.
        if (pipe.Reader is not null && shout)
            Whisper(node, ClusterCommand.HaveReader, name, ReadOnlyMemory<byte>.Empty);
    }

    private void HaveRemoteReader(string node, string name, bool shout)
    {
        var pipe = LookupOrCreate(name);
        if (pipe.HasNoLocalEnd && pipe.RemoteWriter is not null && pipe.RemoteWriter != node)
        {
            RemovePipe(pipe);
            return;
        }
        if (pipe.Reader is not null || (pipe.RemoteReader is not null && pipe.RemoteReader != node))
            return;
        pipe.RemoteReader = node;
        if (pipe.Writer is { } writer)
        {
            if (shout)
                Whisper(node, ClusterCommand.HaveWriter, name, ReadOnlyMemory<byte>.Empty);
            // A WRITE waiting for a reader flows now.
            SendEvent(writer, Event.HaveReader);
        }
    }

    private void RemoteData(string node, string name, byte[] data)
    {
        if (_pipes.TryGetValue(name, out var pipe) && pipe.RemoteWriter == node && pipe.Reader is { } reader)
        {
            reader.Queue.Enqueue(data);
            SendEvent(reader, Event.HaveData);
            return;
        }
        Logger.LogWarning("{Name}: unroutable DATA for pipe {Pipe} from {Node} ({Bytes} bytes) discarded", Name, name, node, data.Length);
    }

    /// <summary>The remote end left: the local end is detached and told, as when a local client closes.</summary>
    private void DropRemote(Pipe pipe, bool reader)
    {
        var local = reader ? pipe.Writer : pipe.Reader;
        if (reader)
            pipe.RemoteReader = null;
        else
            pipe.RemoteWriter = null;
        if (local is null)
        {
            if (pipe.IsEmpty)
                RemovePipe(pipe);
            return;
        }
        local.Pipe = null;
        RemovePipe(pipe);
        SendEvent(local, reader ? Event.ReaderDropped : Event.WriterDropped);
    }
}
