using System;
using Zpipes.Protocol;

namespace Zbroker;

public sealed partial class ZpipesServer
{
    private partial void StartWriteRequest(Client client, ZpipesMsg.Write request)
    {
        if (ReferenceEquals(request, s_shedWrite))
        {
            // Shed on arrival (the writer's mailbox was full): refused in order, as a timeout.
            SetNextEvent(client, Event.Timeout);
            return;
        }
        client.WriteChunk = request.Chunk;
        // A deadline, not a wakeup: PINGs while the write waits must not cancel its timeout.
        CancelDeadline(client);
        if (request.Timeout > 0)
            SetDeadline(client, TimeSpan.FromMilliseconds(request.Timeout), Event.Timeout);
        CheckPipeForWrite(client);
    }

    /// <summary>Decides a waiting write: no pipe any more → 'pipe shut'; a reader (here or on a peer) → 'have reader'; else keep waiting.</summary>
    private partial void CheckPipeForWrite(Client client)
    {
        if (client.Pipe is null)
            SetNextEvent(client, Event.PipeShut);
        else if (client.Pipe.HasReader)
            SetNextEvent(client, Event.HaveReader);
    }

    /// <summary>
    /// Queues the chunk for a local reader once it fits in the pipe (else raises 'pipe full' and the
    /// write keeps waiting, deadline running), or sends it to the reader's broker (DATA; WRITE-OK at
    /// once, as the 2014 cluster did: see docs/reliability.md for why that path is not bounded).
    /// </summary>
    private partial void PassDataToReader(Client client)
    {
        if (client.Pipe is not { HasReader: true } pipe)
        {
            // The reader came and went before this event ran: the pipe is gone.
            RaiseException(client, Event.PipeShut);
            return;
        }
        if (pipe.Reader is { } reader)
        {
            // A chunk larger than the limit still goes into an empty pipe, so no WRITE waits for ever.
            var queued = reader.Queue.Count;
            if (queued > 0 && queued + client.WriteChunk.Length > PipeLimit)
            {
                RaiseException(client, Event.PipeFull);
                return;
            }
            CancelDeadline(client);
            reader.Queue.Enqueue(client.WriteChunk);
            SendEvent(reader, Event.HaveData);
        }
        else
        {
            CancelDeadline(client);
            Whisper(pipe.RemoteReader!, ClusterCommand.Data, pipe.Name, client.WriteChunk);
        }
        client.WriteChunk = default;
    }

    private partial ZpipesMsg.WriteFailed ComposeWriteFailed(Client client) =>
        new() { Reason = client.Pipe is null ? "the pipe has no reader any more" : "the pipe was closed" };

    private partial void DiscardWrite(Client client)
    {
        CancelDeadline(client);
        client.WriteChunk = default;
    }
}
