using System;
using Zpipes.Protocol;

namespace Zbroker;

public sealed partial class ZpipesServer
{
    private partial void StartWriteRequest(Client client, ZpipesMsg.Write request)
    {
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

    /// <summary>Queues the chunk for a local reader, or sends it to the reader's broker (DATA; WRITE-OK at once, as the 2014 cluster did).</summary>
    private partial void PassDataToReader(Client client)
    {
        if (client.Pipe is not { HasReader: true } pipe)
        {
            // The reader came and went before this event ran: the pipe is gone.
            RaiseException(client, Event.PipeShut);
            return;
        }
        CancelDeadline(client);
        if (pipe.Reader is { } reader)
        {
            reader.Queue.Enqueue(client.WriteChunk);
            SendEvent(reader, Event.HaveData);
        }
        else
        {
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
