namespace Zproto.Model.Machines;

/// <summary>Which side of a protocol a state machine runs.</summary>
public enum MachineKind
{
    /// <summary>A ROUTER server with one state machine per client connection (zproto_server_c).</summary>
    Server,
    /// <summary>A DEALER client with an API of methods and replies (zproto_client_c).</summary>
    Client,
}

/// <summary>
/// A server or client state machine model. Immutable and structurally equal, with no positions:
/// positions live in <see cref="MachinePositions"/>, which only the checks read.
/// </summary>
public sealed record MachineSpec
{
    /// <summary>The class name in the model (<c>zpipes_server</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The model file's name without directory.</summary>
    public required string FileName { get; init; }
    /// <summary>Server or client.</summary>
    public required MachineKind Kind { get; init; }
    /// <summary>The codec model's class name (<c>protocol_class</c> or <c>proto</c>).</summary>
    public required string ProtocolClass { get; init; }
    /// <summary>Title attribute.</summary>
    public string Title { get; init; } = "";
    /// <summary>Documentation text.</summary>
    public string Doc { get; init; } = "";
    /// <summary>States in model order; the first is where every client starts.</summary>
    public EquatableArray<StateSpec> States { get; init; } = EquatableArray<StateSpec>.Empty;
    /// <summary>Client API methods.</summary>
    public EquatableArray<MethodSpec> Methods { get; init; } = EquatableArray<MethodSpec>.Empty;
    /// <summary>Client API replies.</summary>
    public EquatableArray<ReplySpec> Replies { get; init; } = EquatableArray<ReplySpec>.Empty;
}

/// <summary>A state: its events, optional superstate, and actions run before and after any event.</summary>
public sealed record StateSpec(string Name, string Inherit, string Doc, EquatableArray<EventSpec> Events, EquatableArray<ActionSpec> Before, EquatableArray<ActionSpec> After);

/// <summary>An event in a state: its actions and next state (empty: stay).</summary>
public sealed record EventSpec(string Name, string Next, EquatableArray<ActionSpec> Actions);

/// <summary>An action: a built-in (<c>send</c> with a message, <c>terminate</c>) or one the user writes.</summary>
public sealed record ActionSpec(string Name, string Message);

/// <summary>A client API method: its arguments, constants and the replies that complete it.</summary>
public sealed record MethodSpec(string Name, string Return, string Doc, EquatableArray<MethodFieldSpec> Fields, EquatableArray<string> Accepts);

/// <summary>
/// A method argument (or constant), or a reply property. <see cref="Size"/> is a <c>number</c>'s
/// width in octets (1, 2, 4 or 8; 4 when the model gives none), 0 for other types.
/// </summary>
public sealed record MethodFieldSpec(string Name, string Type, string Constant, string Doc, int Size = 0);

/// <summary>A reply the client engine sends to a waiting API call.</summary>
public sealed record ReplySpec(string Name, string Doc, EquatableArray<MethodFieldSpec> Fields);

/// <summary>Where things are in the model file, for checks that need another model (the protocol) to run.</summary>
public sealed record MachinePositions(string File, EquatableArray<NamedPosition> Items)
{
    /// <summary>The position recorded under <paramref name="key"/>, or the file start.</summary>
    public (int Line, int Column) Find(string key)
    {
        foreach (var item in Items)
            if (item.Key == key) return (item.Line, item.Column);
        return (1, 1);
    }
}

/// <summary>A position under a key such as <c>state:start</c>, <c>event:start/INPUT</c>, <c>send:start/INPUT/1</c>.</summary>
public sealed record NamedPosition(string Key, int Line, int Column);
