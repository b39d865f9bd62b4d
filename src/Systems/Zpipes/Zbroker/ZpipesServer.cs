using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Zpipes.Protocol;

namespace Zbroker;

/// <summary>
/// The ZPIPES broker's server: the state machine is generated from models/zpipes_server.xml; this
/// part holds the pipe table and the actions that attach and detach clients. Reading and writing
/// actions are in the other parts. Everything here runs on the server's owner thread.
/// </summary>
public sealed partial class ZpipesServer
{
    /// <summary>The default <see cref="PipeLimit"/>: 8 MiB.</summary>
    public const long DefaultPipeLimit = 8L * 1024 * 1024;

    // Stand-ins for requests shed because a client's mailbox is full: shared, so each costs a list
    // slot, and recognised by reference, so a real request can never be mistaken for one.
    private static readonly ZpipesMsg.Write s_shedWrite = new();
    private static readonly ZpipesMsg.Read s_shedRead = new();

    private readonly Dictionary<string, Pipe> _pipes = new(StringComparer.Ordinal);

    /// <summary>
    /// Bytes a pipe holds for its reader; a WRITE is acknowledged only once its chunk fits (a chunk
    /// larger than this goes in when the pipe is empty). Default <see cref="DefaultPipeLimit"/>.
    /// </summary>
    public long PipeLimit { get; init; } = DefaultPipeLimit;

    /// <summary>
    /// A WRITE or READ that arrives while its client's mailbox is full is queued as a shared
    /// stand-in and answered, in order, with WRITE-TIMEOUT or READ-TIMEOUT: the payload is never
    /// kept and the peer sees every request answered. Other requests are small and keep their place.
    /// The engine never has to stop reading, which would also hold back the reader a full pipe waits for.
    /// </summary>
    protected override ZpipesMsg.Message ShedStandIn(Client client, ZpipesMsg.Message message) => message switch
    {
        ZpipesMsg.Write => s_shedWrite,
        ZpipesMsg.Read => s_shedRead,
        _ => message,
    };

    /// <summary>Per-client data: the pipe it is attached to and, for a reader, its queue.</summary>
    public sealed partial class Client
    {
        /// <summary>The pipe this client reads or writes; null before INPUT/OUTPUT and once the other side left.</summary>
        internal Pipe? Pipe { get; set; }

        /// <summary>A reader's pending bytes. They outlive the pipe (the writer may close first) but not the client.</summary>
        internal ChunkQueue Queue { get; } = new();

        /// <summary>Bytes the pending READ asks for.</summary>
        internal uint ReadSize { get; set; }

        /// <summary>The pending WRITE's chunk, held until a reader attaches or the request ends.</summary>
        internal ReadOnlyMemory<byte> WriteChunk { get; set; }

        /// <summary>The bytes the pending READ returns, cut by 'collect data' for READ-OK.</summary>
        internal ReadOnlyMemory<byte> ReadChunk { get; set; }

        /// <summary>Why INPUT or OUTPUT was refused, for INPUT-FAILED or OUTPUT-FAILED.</summary>
        internal string FailureReason { get; set; } = "";
    }

    /// <summary>Number of pipes in the table (for tests and diagnostics).</summary>
    public Task<int> CountPipesAsync() => Invoke(() => _pipes.Count);

    private Pipe LookupOrCreate(string name)
    {
        if (!_pipes.TryGetValue(name, out var pipe))
        {
            pipe = new Pipe(name);
            _pipes[name] = pipe;
        }
        return pipe;
    }

    private partial void AttachWriterToPipe(Client client, ZpipesMsg.Output request)
    {
        var pipe = LookupOrCreate(request.Pipename);
        if (pipe.HasWriter)
        {
            client.FailureReason = pipe.Writer is not null ? "pipe already has a writer" : $"pipe already has a writer on broker {pipe.RemoteWriter}";
            SetNextEvent(client, Event.Error);
            return;
        }
        pipe.Writer = client;
        client.Pipe = pipe;
        if (pipe.Reader is { } reader)
            SendEvent(reader, Event.HaveWriter);
        Shout(ClusterCommand.HaveWriter, pipe.Name);
        SetNextEvent(client, Event.Ok);
    }

    private partial void AttachReaderToPipe(Client client, ZpipesMsg.Input request)
    {
        var pipe = LookupOrCreate(request.Pipename);
        if (pipe.HasReader)
        {
            client.FailureReason = pipe.Reader is not null ? "pipe already has a reader" : $"pipe already has a reader on broker {pipe.RemoteReader}";
            SetNextEvent(client, Event.Error);
            return;
        }
        pipe.Reader = client;
        client.Pipe = pipe;
        client.Queue.Clear();
        if (pipe.Writer is { } writer)
            SendEvent(writer, Event.HaveReader);
        Shout(ClusterCommand.HaveReader, pipe.Name);
        SetNextEvent(client, Event.Ok);
    }

    private partial ZpipesMsg.OutputFailed ComposeOutputFailed(Client client) => new() { Reason = client.FailureReason };

    private partial ZpipesMsg.InputFailed ComposeInputFailed(Client client) => new() { Reason = client.FailureReason };

    /// <summary>
    /// Takes the client off its pipe. The other side is detached at the same moment and told with
    /// 'reader dropped' or 'writer dropped', and the pipe leaves the table, so the name is free at
    /// once: a pipelined CLOSE then OUTPUT on the same name makes a new pipe, never the old one.
    /// Idempotent: the other side's own 'detach from pipe' then finds nothing to do.
    /// </summary>
    private partial void DetachFromPipe(Client client) => Detach(client, notify: target => SendEvent(target.Client, target.Event));

    private void Detach(Client client, Action<(Client Client, Event Event)> notify)
    {
        var pipe = client.Pipe;
        if (pipe is null)
            return;
        client.Pipe = null;
        (Client Client, Event Event)? other = null;
        var wasWriter = ReferenceEquals(pipe.Writer, client);
        if (wasWriter)
        {
            pipe.Writer = null;
            if (pipe.Reader is { } reader)
                other = (reader, Event.WriterDropped);
        }
        else if (ReferenceEquals(pipe.Reader, client))
        {
            pipe.Reader = null;
            if (pipe.Writer is { } writer)
                other = (writer, Event.ReaderDropped);
        }
        if (other is { } o)
            o.Client.Pipe = null;
        // One end left, so the pipe is over here; a remote end hears of it through DROP.
        RemovePipe(pipe);
        Shout(wasWriter ? ClusterCommand.DropWriter : ClusterCommand.DropReader, pipe.Name);
        if (other is { } target)
            notify(target);
    }

    private void RemovePipe(Pipe pipe)
    {
        pipe.Reader = null;
        pipe.Writer = null;
        pipe.RemoteReader = null;
        pipe.RemoteWriter = null;
        if (_pipes.TryGetValue(pipe.Name, out var current) && ReferenceEquals(current, pipe))
            _pipes.Remove(pipe.Name);
    }

    /// <summary>
    /// Every model path that terminates a client detaches it first; this catches the rest (an
    /// action that threw, the server stopping) so a dead client never holds a pipe name. The other
    /// side hears of it on the next turn of the loop: events sent from here could run while the
    /// engine is tearing its client table down.
    /// </summary>
    protected override void OnClientDestroyed(Client client)
    {
        Detach(client, notify: target =>
        {
            try
            {
                Post(() => SendEvent(target.Client, target.Event));
            }
            catch (ObjectDisposedException)
            {
                // The server is stopping: nobody is left to tell.
            }
        });
        client.Queue.Clear();
    }
}
