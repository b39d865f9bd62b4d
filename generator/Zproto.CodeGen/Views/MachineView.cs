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
    /// <summary>C# expressions of type <c>Event?</c>: <c>Event.Expired</c> or <c>null</c>.</summary>
    public required string ExpiredEvent { get; init; }
    public required string HeartbeatEvent { get; init; }
    public string ConstructorEvent { get; init; } = "null";
    public string DestructorEvent { get; init; } = "null";
    public required EquatableArray<StateCaseView> StateCases { get; init; }
    public required EquatableArray<ActionView> Actions { get; init; }
    public EquatableArray<MethodView> Methods { get; init; } = EquatableArray<MethodView>.Empty;
    public EquatableArray<ReplyView> Replies { get; init; } = EquatableArray<ReplyView>.Empty;
    /// <summary>Closed result types of methods with several replies, one per distinct set of replies.</summary>
    public EquatableArray<ResultView> Results { get; init; } = EquatableArray<ResultView>.Empty;
    /// <summary>A C# pattern over replies of methods that only wait (<c>Noticed</c>), or empty.</summary>
    public string DeliveredPattern { get; init; } = "";
}

/// <summary>A state (or any enum member): C# name, model name, value.</summary>
public sealed record NamedValueView(string Name, string ModelName, int Value);

/// <summary>An event: protocol events carry their message id.</summary>
public sealed record EventView(string Name, string ModelName, int Value, bool IsProtocol, string MessageId);

/// <summary>The state table of one state.</summary>
public sealed record StateCaseView
{
    public required string State { get; init; }
    /// <summary>Protocol events the state handles by name, as a C# pattern (<c>Event.Hello or Event.Ping</c>), or empty.</summary>
    public required string HandledPattern { get; init; }
    /// <summary>What happens to other protocol events: Handle ('*'), Defer (waiting state) or Drop.</summary>
    public required string Otherwise { get; init; }
    /// <summary>True when every protocol event is handled ('*'), so the disposition is constant.</summary>
    public required bool HandlesAll { get; init; }
    public required EquatableArray<EventCaseView> Events { get; init; }
}

/// <summary>One or more events of a state (several case labels share a '*' body), with the statements that run them.</summary>
public sealed record EventCaseView(EquatableArray<string> Labels, EquatableArray<string> Body);

/// <summary>A partial method the user implements: an action, or the composer of a message a <c>send</c> sends.</summary>
public sealed record ActionView(string MethodName, string ModelName, string UsedIn, string ReturnType, string Parameters, string Summary);

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
    /// <summary>The method's event (<c>Event.Connect</c>), or <c>null</c> when no state handles it and the call only waits for a reply.</summary>
    public required string EventExpression { get; init; }
    /// <summary>True when the method accepts no reply: the call completes once its event ran.</summary>
    public required bool ReturnsNothing { get; init; }
    /// <summary>True when the method accepts exactly one reply, which the task returns.</summary>
    public required bool ReturnsOne { get; init; }
    /// <summary>The task's result type: the one reply, or the method's result type.</summary>
    public required string ResultType { get; init; }
    public required string AcceptPattern { get; init; }
}

/// <summary>A closed result: exactly one of several replies, shared by the methods that accept the same set.</summary>
public sealed record ResultView(string Name, string Methods, EquatableArray<ResultCaseView> Cases);

/// <summary>One reply a result type can hold.</summary>
public sealed record ResultCaseView(string Reply, string Parameter);

/// <summary>A method argument.</summary>
public sealed record ParameterView(string Name, string Property, string Type);

/// <summary>A client API reply.</summary>
public sealed record ReplyView(string Name, string ModelName, EquatableArray<string> DocLines, EquatableArray<PropertyView> Properties);
