using Zproto.Model;

namespace Zproto.CodeGen.Views;

/// <summary>A server or client state machine, ready to render.</summary>
public sealed record MachineView
{
    public required string Namespace { get; init; }
    public required string ClassName { get; init; }
    public required string ModelName { get; init; }
    public required string FileName { get; init; }
    public required EquatableArray<string> DocLines { get; init; }
    public required string GeneratedCodeAttribute { get; init; }
    public required bool IsServer { get; init; }
    public required string ProtocolClass { get; init; }
    public required string MessageType { get; init; }
    public required EquatableArray<NamedValueView> States { get; init; }
    public required EquatableArray<EventView> Events { get; init; }
    public required int ProtocolEventCount { get; init; }
    public required string ExpiredEvent { get; init; }
    public required string HeartbeatEvent { get; init; }
    public string ConstructorEvent { get; init; } = "-1";
    public string DestructorEvent { get; init; } = "-1";
    public required EquatableArray<StateCaseView> StateCases { get; init; }
    public required EquatableArray<ActionView> Actions { get; init; }
    public EquatableArray<MethodView> Methods { get; init; } = EquatableArray<MethodView>.Empty;
    public EquatableArray<ReplyView> Replies { get; init; } = EquatableArray<ReplyView>.Empty;
}

/// <summary>A state (or any enum member): C# name, model name, value.</summary>
public sealed record NamedValueView(string Name, string ModelName, int Value);

/// <summary>An event: protocol events carry their message id.</summary>
public sealed record EventView(string Name, string ModelName, int Value, bool IsProtocol, string MessageId);

/// <summary>The state table of one state.</summary>
public sealed record StateCaseView
{
    public required string State { get; init; }
    /// <summary>Protocol event numbers the state handles by name, as a C# pattern ("0 or 3"), or empty.</summary>
    public required string HandledPattern { get; init; }
    /// <summary>What happens to other protocol events: Handle ('*'), Defer (waiting state) or Drop.</summary>
    public required string Otherwise { get; init; }
    public required EquatableArray<EventCaseView> Events { get; init; }
    public bool HasWildcard { get; init; }
    public EquatableArray<string> WildcardBody { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>One event of a state, with the statements that run it.</summary>
public sealed record EventCaseView(string Event, EquatableArray<string> Body);

/// <summary>A user action: a partial method the user implements.</summary>
public sealed record ActionView(string MethodName, string ModelName, string UsedIn);

/// <summary>A client API method.</summary>
public sealed record MethodView
{
    public required string Name { get; init; }
    public required string ModelName { get; init; }
    public required EquatableArray<string> DocLines { get; init; }
    public required string Parameters { get; init; }
    public required string ArgumentsRecord { get; init; }
    public required string ArgumentsInitializer { get; init; }
    public required EquatableArray<ParameterView> Arguments { get; init; }
    public required string EventValue { get; init; }
    /// <summary>"true" when some state handles the method's event; otherwise the call only waits for a reply.</summary>
    public required string Dispatches { get; init; }
    public required bool HasReplies { get; init; }
    public required string AcceptPattern { get; init; }
}

/// <summary>A method argument.</summary>
public sealed record ParameterView(string Name, string Property, string Type);

/// <summary>A client API reply.</summary>
public sealed record ReplyView(string Name, string ModelName, EquatableArray<string> DocLines, EquatableArray<PropertyView> Properties);
