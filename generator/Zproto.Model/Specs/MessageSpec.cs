namespace Zproto.Model.Specs;

/// <summary>Which way a text-frame message travels; the decoder of each direction knows only its own tags.</summary>
public enum Direction
{
    /// <summary>Either way (binary protocols).</summary>
    Any,
    /// <summary>Client to server (remctld to the backend).</summary>
    Request,
    /// <summary>Server to client.</summary>
    Reply,
}

/// <summary>One message of a protocol.</summary>
public sealed record MessageSpec
{
    /// <summary>The name as the model spells it (<c>HELLO-OK</c>, <c>input ok</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The id on the wire (or discriminator value).</summary>
    public required int Id { get; init; }
    /// <summary>Documentation text.</summary>
    public string Doc { get; init; } = "";
    /// <summary>The message's own fields, header fields not included.</summary>
    public EquatableArray<FieldSpec> Fields { get; init; } = EquatableArray<FieldSpec>.Empty;
    /// <summary>Text-frame sections, in order.</summary>
    public EquatableArray<SectionSpec> Sections { get; init; } = EquatableArray<SectionSpec>.Empty;
    /// <summary>Direction, for text-frame messages.</summary>
    public Direction Direction { get; init; }
}

/// <summary>How often a text-frame section occurs and how its items are delimited.</summary>
public enum SectionRepeat
{
    /// <summary>Tag, then the fields, exactly once.</summary>
    Single,
    /// <summary>Tag, a decimal count frame, then count groups of fields (remctl ARGUMENT, ENVIRONMENT).</summary>
    Counted,
    /// <summary>Zero or more of: tag, then the fields (remctl OUTPUT triples).</summary>
    Repeated,
    /// <summary>Exactly one of the alternatives in <see cref="SectionSpec.Choices"/> (remctl RETURNCODE | ERRORCODE).</summary>
    Choice,
}

/// <summary>A tagged section of a text-frame message.</summary>
public sealed record SectionSpec
{
    /// <summary>Section name (becomes the property name).</summary>
    public required string Name { get; init; }
    /// <summary>The long tag (<c>ARGUMENT</c>); empty for a choice.</summary>
    public string Tag { get; init; } = "";
    /// <summary>The short alias (<c>A</c>), or empty.</summary>
    public string Alias { get; init; } = "";
    /// <summary>Occurrence rule.</summary>
    public SectionRepeat Repeat { get; init; }
    /// <summary>May the section be absent (single and counted sections)?</summary>
    public bool Optional { get; init; }
    /// <summary>Documentation text.</summary>
    public string Doc { get; init; } = "";
    /// <summary>The fields after the tag (and count), one frame each.</summary>
    public EquatableArray<FieldSpec> Fields { get; init; } = EquatableArray<FieldSpec>.Empty;
    /// <summary>Alternatives of a <see cref="SectionRepeat.Choice"/>; each is a single section.</summary>
    public EquatableArray<SectionSpec> Choices { get; init; } = EquatableArray<SectionSpec>.Empty;
}
