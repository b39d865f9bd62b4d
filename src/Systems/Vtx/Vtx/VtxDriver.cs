using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;

namespace Zproto.Vtx;

/// <summary>
/// A transport driver: one owner thread (an <see cref="ActorLoop"/>) that bridges the application's
/// ZeroMQ sockets to a native transport and emulates ZeroMQ socket semantics over it (§5.2).
/// </summary>
/// <remarks>
/// <para>Data path: every application socket is a DEALER whose routing id is its vocket id; all of
/// them connect to this driver's one ROUTER over inproc. The driver reads what the application sends
/// from that ROUTER and writes what arrives from the network back through it. One ROUTER instead of
/// the original's DEALER per vocket keeps the loop's poll set fixed, since a vocket comes and goes
/// while the loop runs.</para>
/// <para>Control path: <see cref="VtxManager"/> runs the abstract control methods on the owner thread
/// through <see cref="ActorLoop.Invoke{T}"/>; they throw <see cref="VtxException"/>s that reach the
/// caller. Everything a subclass does runs on the owner thread, so it needs no locks.</para>
/// </remarks>
public abstract class VtxDriver : ActorLoop
{
    private static int s_drivers;
    private readonly List<byte[]> _incoming = [];
    private readonly List<ReadOnlyMemory<byte>> _outgoing = [];
    /// <summary>Vockets closed by the application whose messages may still be leaving, with their deadlines.</summary>
    private readonly Dictionary<int, long> _lingering = [];
    private readonly List<int> _lingerDone = [];
    private TaskCompletionSource? _lingerEnded;
    private bool _lingerTimer;
    private ZmqSocket? _data;
    private int _dataIndex = -1;

    /// <summary>How often a lingering close checks whether its messages have left.</summary>
    private const int LingerPollMilliseconds = 5;

    /// <summary>Creates the driver for <paramref name="scheme"/> in <paramref name="context"/>, the manager's.</summary>
    protected VtxDriver(string scheme, ZmqContext context, ILogger logger)
        : base(context, logger, $"vtx-{scheme}")
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        Scheme = scheme;
        DataEndpoint = $"inproc://vtx-{scheme}-{Environment.ProcessId}-{Interlocked.Increment(ref s_drivers)}";
    }

    /// <summary>The endpoint scheme this driver serves, e.g. <c>udp</c>.</summary>
    public string Scheme { get; }

    /// <summary>The inproc endpoint of the driver's data ROUTER, which application sockets connect to.</summary>
    internal string DataEndpoint { get; }

    /// <summary>Starts the owner thread.</summary>
    internal void Start() => StartLoop();

    /// <summary>Creates vocket <paramref name="id"/> of <paramref name="type"/>.</summary>
    protected internal abstract void OpenVocket(int id, VtxSocketType type);

    /// <summary>Binds vocket <paramref name="id"/> to <paramref name="address"/> (idempotent); returns the bound endpoint.</summary>
    /// <exception cref="VtxInvalidEndpointException">The address does not parse.</exception>
    /// <exception cref="VtxDriverException">The bind failed.</exception>
    protected internal abstract string Bind(int id, string address);

    /// <summary>Connects vocket <paramref name="id"/> to <paramref name="address"/> (idempotent).</summary>
    /// <exception cref="VtxInvalidEndpointException">The address does not parse.</exception>
    /// <exception cref="VtxDriverException">The vocket has its maximum of peerings.</exception>
    protected internal abstract void Connect(int id, string address);

    /// <summary>A property of vocket <paramref name="id"/>'s last received message, or null for an unknown name.</summary>
    protected internal abstract string? GetMeta(int id, string name);

    /// <summary>Adds a subscription prefix to a SUB vocket.</summary>
    protected internal abstract void Subscribe(int id, byte[] prefix);

    /// <summary>Destroys vocket <paramref name="id"/> and its transport resources at once; what it still holds is dropped.</summary>
    protected internal abstract void CloseVocket(int id);

    /// <summary>
    /// Owner thread, while vocket <paramref name="id"/> lingers after its close: moves what it still
    /// holds towards the network and reports whether all of it has left (the tls driver also waits for
    /// each connection's orderly end). Called until it says true or the linger runs out.
    /// </summary>
    protected abstract bool TryFlush(int id);

    /// <summary>
    /// Owner thread: closes vocket <paramref name="id"/> after its application socket closed. What the
    /// application sent before is read first; then the vocket keeps working until everything has left or
    /// <paramref name="linger"/> is over (zero: it is destroyed at once, dropping what is queued), like
    /// <c>ZMQ_LINGER</c>.
    /// </summary>
    internal void CloseLingering(int id, TimeSpan linger)
    {
        ReadApplication(int.MaxValue);
        if (linger <= TimeSpan.Zero)
        {
            CloseVocket(id);
            return;
        }
        _lingering[id] = Now + (long)Math.Ceiling(linger.TotalMilliseconds);
        CheckLingering();
    }

    /// <summary>
    /// Closes every vocket with <paramref name="linger"/> and completes when no vocket lingers any more
    /// (<c>vtx_destroy</c>); call <see cref="ActorLoop.Dispose"/> after it.
    /// </summary>
    internal Task CloseAllAsync(IReadOnlyList<int> ids, TimeSpan linger) => Invoke(() =>
    {
        foreach (int id in ids)
            CloseLingering(id, linger);
        if (_lingering.Count == 0)
            return Task.CompletedTask;
        _lingerEnded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _lingerEnded.Task;
    }).Unwrap();

    /// <summary>Owner thread: destroys each lingering vocket that has flushed or run out of time; polls again while any is left.</summary>
    protected void CheckLingering()
    {
        long now = Now;
        foreach (var (id, deadline) in _lingering)
        {
            if (TryFlush(id) || now >= deadline)
                _lingerDone.Add(id);
        }
        foreach (int id in _lingerDone)
        {
            _lingering.Remove(id);
            CloseVocket(id);
        }
        _lingerDone.Clear();
        if (_lingering.Count == 0)
        {
            _lingerEnded?.TrySetResult();
            _lingerEnded = null;
        }
        else if (!_lingerTimer)
        {
            _lingerTimer = true;
            ScheduleAt(now + LingerPollMilliseconds, () =>
            {
                _lingerTimer = false;
                CheckLingering();
            });
        }
    }

    /// <summary>Handles one message the application sent on vocket <paramref name="id"/>.</summary>
    protected abstract void OnApplicationMessage(int id, List<byte[]> frames);

    /// <summary>Passes a message from the network to the application socket of vocket <paramref name="id"/>.</summary>
    /// <returns>False when the application's queue is full and the message was dropped.</returns>
    protected bool Deliver(int id, IReadOnlyList<ReadOnlyMemory<byte>> frames)
    {
        _outgoing.Clear();
        _outgoing.Add(RoutingId(id));
        _outgoing.AddRange(frames);
        return _data!.TrySendMultipart(_outgoing, dontWait: true);
    }

    /// <summary>The routing id of vocket <paramref name="id"/>'s application socket.</summary>
    internal static byte[] RoutingId(int id)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, id);
        return bytes;
    }

    /// <inheritdoc />
    protected override void OnStart(ZmqPoller poller)
    {
        _data = new ZmqSocket(Context, ZmqSocketType.Router) { Linger = TimeSpan.Zero };
        _data.Bind(DataEndpoint);
        _dataIndex = poller.Add(_data);
    }

    /// <inheritdoc />
    protected override void OnReadable(int index)
    {
        // A bounded batch, so a busy application cannot starve timers and network input.
        if (index == _dataIndex)
            ReadApplication(256);
    }

    /// <summary>Dispatches up to <paramref name="limit"/> messages the application sockets sent.</summary>
    private void ReadApplication(int limit)
    {
        for (int i = 0; i < limit && _data!.TryReceiveMultipart(_incoming, dontWait: true); i++)
        {
            if (_incoming.Count >= 2 && _incoming[0].Length == 4)
            {
                int id = BinaryPrimitives.ReadInt32BigEndian(_incoming[0]);
                _incoming.RemoveAt(0);
                OnApplicationMessage(id, _incoming);
            }
            _incoming.Clear();
        }
    }

    /// <inheritdoc />
    protected override void OnStop()
    {
        _data?.Dispose();
        _data = null;
    }
}
