using System;
using Zpipes.Protocol;

namespace Zbroker;

public sealed partial class ZpipesServer
{
    private partial void StartReadRequest(Client client, ZpipesMsg.Read request)
    {
        CancelDeadline(client);
        if (ReferenceEquals(request, s_shedRead))
        {
            // Shed on arrival (the reader's mailbox was full): refused in order, as a timeout.
            SetNextEvent(client, Event.Timeout);
            return;
        }
        client.ReadSize = request.Size;
        if (request.Size == 0)
        {
            // The 2014 quirk, kept: a zero-byte read ends the pipe even when data is queued.
            SetNextEvent(client, Event.ZeroRead);
            return;
        }
        // A deadline, not a wakeup: PINGs and partial data must not cancel the read's timeout.
        if (request.Timeout > 0)
            SetDeadline(client, TimeSpan.FromMilliseconds(request.Timeout), Event.Timeout);
        // Serve from what is queued already; 'have data' runs in 'processing read'.
        SetNextEvent(client, Event.HaveData);
    }

    /// <summary>
    /// Answers the pending read when it can: exactly N bytes once N are queued; once the writer has
    /// gone, whatever is left (a short read) or the end of the pipe. Otherwise the read keeps waiting.
    /// </summary>
    private partial void CollectData(Client client)
    {
        // A read never returns more than a frame can hold; larger sizes read what is there at the end.
        var size = (int)Math.Min(client.ReadSize, int.MaxValue);
        var queued = client.Queue.Count;
        if (queued >= size)
        {
            CancelDeadline(client);
            client.ReadChunk = client.Queue.Take(size);
            SetNextEvent(client, Event.DataReady);
            // The pipe has room again: a write held back by it may fit now.
            if (client.Pipe?.Writer is { } writer)
                SendEvent(writer, Event.HaveRoom);
        }
        else if (client.Pipe is null)
        {
            CancelDeadline(client);
            if (queued > 0)
            {
                client.ReadChunk = client.Queue.Take((int)queued);
                SetNextEvent(client, Event.DataReady);
            }
            else
            {
                SetNextEvent(client, Event.PipeShut);
            }
        }
    }

    private partial ZpipesMsg.ReadOk ComposeReadOk(Client client)
    {
        var chunk = client.ReadChunk;
        client.ReadChunk = default;
        return new ZpipesMsg.ReadOk { Chunk = chunk };
    }

    // The 2014 broker sent READ-FAILED with no reason; a CLOSE overtaking the read is the only cause.
    private partial ZpipesMsg.ReadFailed ComposeReadFailed(Client client, ZpipesMsg.Close request) => new() { Reason = "the pipe was closed" };

    private partial void CancelRead(Client client, ZpipesMsg.Close request)
    {
        CancelDeadline(client);
        client.ReadSize = 0;
    }

    private partial void DropQueuedData(Client client, ZpipesMsg.Close request) => client.Queue.Clear();
}
