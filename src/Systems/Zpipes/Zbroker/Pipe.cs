namespace Zbroker;

/// <summary>
/// A named pipe in the broker's table: at most one reader and one writer, each a local client or a
/// remote broker (cluster node id). The data lives in the local reader's queue, not here, so the
/// pipe is only the meeting point of the two ends. It exists while either end is known and is
/// removed as soon as one side leaves (the other side is detached at the same moment), which frees
/// the name for a new pipe.
/// </summary>
internal sealed class Pipe(string name)
{
    /// <summary>The pipe's name as the client sent it.</summary>
    public string Name { get; } = name;

    /// <summary>The attached reader, if any.</summary>
    public ZpipesServer.Client? Reader { get; set; }

    /// <summary>The attached writer, if any.</summary>
    public ZpipesServer.Client? Writer { get; set; }

    /// <summary>The node id of the broker whose client reads this pipe, if the reader is remote.</summary>
    public string? RemoteReader { get; set; }

    /// <summary>The node id of the broker whose client writes this pipe, if the writer is remote.</summary>
    public string? RemoteWriter { get; set; }

    /// <summary>True when a reader is known, here or on another broker.</summary>
    public bool HasReader => Reader is not null || RemoteReader is not null;

    /// <summary>True when a writer is known, here or on another broker.</summary>
    public bool HasWriter => Writer is not null || RemoteWriter is not null;

    /// <summary>True when no client of this broker is attached.</summary>
    public bool HasNoLocalEnd => Reader is null && Writer is null;

    /// <summary>True when neither end is known.</summary>
    public bool IsEmpty => !HasReader && !HasWriter;
}
