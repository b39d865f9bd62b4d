namespace Zproto.Runtime.Servers;

/// <summary>What one peer has waiting in its mailbox, as <see cref="InboundFlowControl"/> counts it.</summary>
internal sealed class InboundAccount
{
    /// <summary>Real messages waiting.</summary>
    public int Messages;

    /// <summary>Encoded bytes of the real messages waiting.</summary>
    public long Bytes;

    /// <summary>Shed stand-ins waiting (a list slot each; their payload was never kept).</summary>
    public int StandIns;

    /// <summary>Set when the peer reaches a limit, cleared once it has drained to half of both limits.
    /// While set, every new message is shed or held back, so a peer's accepted messages are never
    /// interleaved with refused ones in a way that depends on timing.</summary>
    public bool Congested;
}

/// <summary>What the engine does with a message that just arrived.</summary>
internal enum Admission
{
    /// <summary>There is room: queue it.</summary>
    Accept,

    /// <summary>A limit is reached: shed it (answer it with the protocol's refusal, in order) if the
    /// protocol can, else queue it and stop reading the socket.</summary>
    Full,
}

/// <summary>
/// Inbound flow control for a server engine: bounds, per peer and in total, how many messages and
/// how many bytes wait in mailboxes for a state that accepts them. A message past a bound is never
/// dropped. The engine either sheds it (queues a small stand-in the state machine answers with a
/// refusal the peer sees, in order) or, for a protocol that cannot refuse, stops reading the socket
/// until the mailbox that overflowed has drained to half; libzmq's receive high-water mark then
/// holds every peer's further messages, and TCP holds the peer itself.
/// </summary>
/// <remarks>
/// Pausing is socket-wide, since one ROUTER socket fair-queues all peers: it is safe only for
/// protocols in which a peer's mailbox drains without other peers' messages. A protocol in which one
/// peer waits for another (a pipe writer for its reader) must shed. Owner thread only. Kept apart from
/// the engine so that any engine can hook it: <see cref="Admit"/> on receipt, <see cref="Add"/> or
/// <see cref="AddStandIn"/> and maybe <see cref="Pause"/> on queueing, <see cref="Remove"/> whenever
/// a message leaves a mailbox.
/// </remarks>
internal sealed class InboundFlowControl(ServerOptions options)
{
    private InboundAccount? _pausedOn;
    private bool _pausedOnTotal;
    private bool _totalCongested;

    /// <summary>Real messages waiting in all mailboxes.</summary>
    public long Messages { get; private set; }

    /// <summary>Bytes waiting in all mailboxes.</summary>
    public long Bytes { get; private set; }

    /// <summary>Messages shed so far.</summary>
    public long Shed { get; private set; }

    /// <summary>Times reading was paused so far.</summary>
    public long Pauses { get; private set; }

    /// <summary>True while the engine must not read its socket.</summary>
    public bool IsPaused => _pausedOn is not null || _pausedOnTotal;

    /// <summary>Whether a message of <paramref name="bytes"/> from <paramref name="peer"/> fits.</summary>
    public Admission Admit(InboundAccount peer, int bytes)
    {
        // A single message larger than a byte limit still gets in when its mailbox is empty, so a
        // limit below the largest message slows a peer down instead of refusing it for ever.
        if (peer.Messages >= options.MailboxLimit || (peer.Messages > 0 && peer.Bytes + bytes > options.MailboxByteLimit))
            peer.Congested = true;
        if (Messages >= options.GlobalMailboxLimit || (Messages > 0 && Bytes + bytes > options.GlobalMailboxByteLimit))
            _totalCongested = true;
        return peer.Congested || _totalCongested ? Admission.Full : Admission.Accept;
    }

    /// <summary>Counts a real message queued for <paramref name="peer"/>.</summary>
    public void Add(InboundAccount peer, int bytes)
    {
        peer.Messages++;
        peer.Bytes += bytes;
        Messages++;
        Bytes += bytes;
    }

    /// <summary>Counts a stand-in queued for <paramref name="peer"/>; false when the peer has
    /// <see cref="ServerOptions.ShedLimit"/> waiting already (the engine then ends its session).</summary>
    /// <param name="peer">The peer.</param>
    /// <param name="shed">True when the stand-in replaces the message (it will be refused); false when
    /// the protocol keeps a small message as it is, in its place.</param>
    public bool AddStandIn(InboundAccount peer, bool shed)
    {
        if (peer.StandIns >= options.ShedLimit)
            return false;
        peer.StandIns++;
        if (shed)
            Shed++;
        return true;
    }

    /// <summary>Stops reading until <paramref name="peer"/>'s mailbox (or the total, whichever is over) drains to half.</summary>
    public void Pause(InboundAccount peer)
    {
        if (!IsPaused)
            Pauses++;
        if (peer.Congested)
            _pausedOn = peer;
        if (_totalCongested)
            _pausedOnTotal = true;
    }

    /// <summary>Counts a message leaving <paramref name="peer"/>'s mailbox (taken, or dropped with the
    /// client). Returns true when this ends a pause: the engine resumes reading.</summary>
    /// <param name="peer">The peer.</param>
    /// <param name="bytes">The message's size, or -1 for a stand-in.</param>
    public bool Remove(InboundAccount peer, int bytes)
    {
        if (bytes < 0)
        {
            peer.StandIns--;
        }
        else
        {
            peer.Messages--;
            peer.Bytes -= bytes;
            Messages--;
            Bytes -= bytes;
        }
        if (peer.Congested && peer.StandIns == 0 && peer.Messages <= options.MailboxLimit / 2 && peer.Bytes <= options.MailboxByteLimit / 2)
            peer.Congested = false;
        if (_totalCongested && Messages <= options.GlobalMailboxLimit / 2 && Bytes <= options.GlobalMailboxByteLimit / 2)
            _totalCongested = false;
        var wasPaused = IsPaused;
        if (_pausedOn is not null && !_pausedOn.Congested)
            _pausedOn = null;
        if (_pausedOnTotal && !_totalCongested)
            _pausedOnTotal = false;
        return wasPaused && !IsPaused;
    }
}
