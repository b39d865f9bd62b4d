using Zproto.Model;

namespace Zproto.CodeGen.Views;

// View models: what templates bind to. Every name, type and expression is computed once, in C#,
// by the Binder; templates only lay them out. All are records of strings, booleans and
// EquatableArrays, so the incremental generator can cache on them.

/// <summary>A whole protocol, ready to render.</summary>
public sealed record ProtocolView
{
    public required string Namespace { get; init; }
    public required string ClassName { get; init; }
    public required string ModelName { get; init; }
    public required string FileName { get; init; }
    public required string Framing { get; init; }
    public required EquatableArray<string> DocLines { get; init; }
    public required string GeneratedCodeAttribute { get; init; }
    public bool IsText { get; init; }
    public bool HasZprotoPrefix { get; init; }
    public bool IsPubSub { get; init; }
    /// <summary>The model's <c>strings = "utf8"</c>: string values are Utf8Text, and the codec decodes from memory too.</summary>
    public bool Utf8Strings { get; init; }
    public bool HasDiscriminator { get; init; }
    public string SignatureByte { get; init; } = "";
    public int MaxSize { get; init; }
    /// <summary>The model states max_size: the class has a MaxSize constant.</summary>
    public bool StatesMaxSize { get; init; }
    public string MaxSizeDoc { get; init; } = "";
    /// <summary>The codec enforces MaxSize on every message (datagram framing).</summary>
    public bool HasMaxSize { get; init; }
    public bool NeedsFramesForDecode { get; init; }
    /// <summary>Some message checks how many frames arrived (every message that does not end with a <c>msg</c>, or has <c>frame</c> fields).</summary>
    public bool UsesFrameCount { get; init; }
    public string IdType { get; init; } = "byte";
    /// <summary>Header ops read once before dispatch (discriminator layouts only).</summary>
    public EquatableArray<OpView> HeaderOps { get; init; } = EquatableArray<OpView>.Empty;
    public string DiscriminatorLocal { get; init; } = "";
    /// <summary>Octet offset of the message id (or of the octet holding the discriminator), for UnknownMessageId errors.</summary>
    public int IdOffset { get; init; }
    public EquatableArray<DefineView> Defines { get; init; } = EquatableArray<DefineView>.Empty;
    public EquatableArray<EnumView> Enums { get; init; } = EquatableArray<EnumView>.Empty;
    public EquatableArray<RecordView> Types { get; init; } = EquatableArray<RecordView>.Empty;
    public EquatableArray<MessageView> Messages { get; init; } = EquatableArray<MessageView>.Empty;
    /// <summary>The private static methods that measure, write and read one item of a list field.</summary>
    public EquatableArray<CodeBlockView> ListItemMethods { get; init; } = EquatableArray<CodeBlockView>.Empty;
    public EquatableArray<TextMessageView> TextMessages { get; init; } = EquatableArray<TextMessageView>.Empty;
}

/// <summary>A member written by the binder (a whole method), as lines relative to the member's indentation.</summary>
public sealed record CodeBlockView(EquatableArray<string> Lines);

/// <summary>A named constant.</summary>
public sealed record DefineView(string Name, string Type, string Literal, EquatableArray<string> DocLines);

/// <summary>An enumeration.</summary>
public sealed record EnumView(string Name, string UnderlyingType, EquatableArray<EnumMemberView> Members, EquatableArray<string> DocLines);

/// <summary>One enumeration member.</summary>
public sealed record EnumMemberView(string Name, string Literal, EquatableArray<string> DocLines);

/// <summary>A record type (a message, or a composite type): its properties and equality.</summary>
public sealed record RecordView
{
    public required string Name { get; init; }
    /// <summary>" : Base" for records that derive from a choice base, else empty.</summary>
    public string BaseClause { get; init; } = "";
    public required EquatableArray<string> DocLines { get; init; }
    public required EquatableArray<PropertyView> Properties { get; init; }
    public bool NeedsCustomEquality { get; init; }
    /// <summary>The terms of Equals, each a boolean expression over <c>this</c> and <c>other</c>, joined with &amp;&amp;.</summary>
    public EquatableArray<string> EqualityTerms { get; init; } = EquatableArray<string>.Empty;
    /// <summary>The values GetHashCode adds to its HashCode, in order.</summary>
    public EquatableArray<string> HashTerms { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>One property of a generated record.</summary>
public sealed record PropertyView
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required EquatableArray<string> DocLines { get; init; }
    /// <summary>Initializer including " = ", or empty.</summary>
    public string Initializer { get; init; } = "";
    public bool IsConstant { get; init; }
    /// <summary>The constant expression, for constants.</summary>
    public string ConstantExpression { get; init; } = "";
    /// <summary>Arguments of [ZprotoField(...)] or empty for properties that are not wire fields.</summary>
    public string FieldAttributeArguments { get; init; } = "";
}

/// <summary>A message of a binary (frames or datagram) protocol.</summary>
public sealed record MessageView
{
    public required string ModelName { get; init; }
    public required string ClassName { get; init; }
    public required string Id { get; init; }
    public required RecordView Record { get; init; }
    /// <summary>Octets of frame 0 that do not depend on values (prefix, numbers, fixed sizes).</summary>
    public required int FixedSize { get; init; }
    /// <summary>Variable size terms, each an expression over <c>this</c>.</summary>
    public required EquatableArray<string> SizeTerms { get; init; }
    /// <summary>
    /// Size terms whose text values are upper bounds that need no UTF-8 count, or empty when every
    /// term is exact already (no <c>string</c> values): the encoder sizes a destination with them.
    /// </summary>
    public EquatableArray<string> BoundTerms { get; init; } = EquatableArray<string>.Empty;
    /// <summary>Lines of the checks run before encoding (bit widths, enum values), statements over <c>this</c>.</summary>
    public required EquatableArray<string> EncodeChecks { get; init; }
    /// <summary>Frame 0 ops, in wire order, after any prefix.</summary>
    public required EquatableArray<OpView> Ops { get; init; }
    /// <summary>Frames after frame 0, in order.</summary>
    public required EquatableArray<FrameOpView> Frames { get; init; }
    public bool HasExtraFrames { get; init; }
    /// <summary>True when the message ends with a <c>msg</c> field, which takes every remaining frame.</summary>
    public bool EndsWithMsg { get; init; }
    /// <summary>Frames the message has when it does not end with a <c>msg</c>: frame 0 plus its <c>frame</c> fields.</summary>
    public int FrameCount { get; init; } = 1;
    /// <summary>The parameters of the message's decode method after the reader (", type name" each): header values, topic, frames.</summary>
    public string DecodeParameters { get; init; } = "";
    /// <summary>The arguments that match <see cref="DecodeParameters"/> (", name" each).</summary>
    public string DecodeArguments { get; init; } = "";
    /// <summary>The expression that creates the decoded record from the read locals.</summary>
    public required string Construct { get; init; }
}

/// <summary>One step of frame 0: a single field, or a run of bit fields sharing octets.</summary>
public sealed record OpView
{
    /// <summary>Statement writing the value through <c>w</c>.</summary>
    public required string Write { get; init; }
    /// <summary>Condition (a Try call on <c>r</c>) that reads the value into a local; false means fail.</summary>
    public required string Read { get; init; }
    /// <summary>Statements after a successful read: bit extraction, conversions.</summary>
    public EquatableArray<string> AfterRead { get; init; } = EquatableArray<string>.Empty;
    /// <summary>Lines of the checks after reading (<c>if (...)</c> blocks that fail the decode), indented relative to the op; the template adds its base indentation.</summary>
    public EquatableArray<string> Checks { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>A <c>frame</c> field or the trailing <c>msg</c>.</summary>
public sealed record FrameOpView
{
    public required string Field { get; init; }
    public required string Local { get; init; }
    public required string Property { get; init; }
    public bool IsMsg { get; init; }
    public int Index { get; init; }
}
