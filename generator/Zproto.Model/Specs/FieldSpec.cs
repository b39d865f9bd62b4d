namespace Zproto.Model.Specs;

/// <summary>The wire kind of a field, after aliases (<c>dictionary</c> = <c>hash</c>) and type references are resolved.</summary>
public enum FieldKind
{
    /// <summary>Unsigned big-endian integer of 1, 2, 4 or 8 octets, or of 1–64 bits in a bit group.</summary>
    Number,
    /// <summary>Signed (two's complement) big-endian integer.</summary>
    Integer,
    /// <summary>One octet 0/1, or one bit in a bit group.</summary>
    Boolean,
    /// <summary>Fixed-size raw octets.</summary>
    Octets,
    /// <summary>1-octet length + UTF-8 (or the rest of the frame).</summary>
    String,
    /// <summary>4-octet length + UTF-8.</summary>
    Longstr,
    /// <summary>4-octet count + longstr items.</summary>
    Strings,
    /// <summary>4-octet count + (string key, longstr value) entries.</summary>
    Hash,
    /// <summary>4-octet length + octets (or the rest of the frame).</summary>
    Chunk,
    /// <summary>16 octets.</summary>
    Uuid,
    /// <summary>A ZeroMQ frame of its own.</summary>
    Frame,
    /// <summary>All remaining frames (or, packed, the rest of the datagram).</summary>
    Msg,
    /// <summary>A composite <c>&lt;type&gt;</c>, expanded inline.</summary>
    Composite,
    /// <summary>An <c>&lt;enum&gt;</c> value carried as a number.</summary>
    Enum,
    /// <summary>4-octet count + items of <see cref="FieldSpec.Item"/>.</summary>
    List,
}

/// <summary>One field of a message, header, composite type or text section.</summary>
public sealed record FieldSpec
{
    /// <summary>The name as the model spells it (<c>public key</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The resolved wire kind.</summary>
    public required FieldKind Kind { get; init; }
    /// <summary>The type as written (normalised to lower case; <c>dictionary</c> is kept as written for the grammar).</summary>
    public required string Type { get; init; }
    /// <summary>Octets of a number, integer or octets field; 0 otherwise.</summary>
    public int Size { get; init; }
    /// <summary>Bit width inside a bit group; 0 for a whole-octet field.</summary>
    public int Bits { get; init; }
    /// <summary>Constant value (<c>value=</c>) as the model writes it, or null.</summary>
    public string? Value { get; init; }
    /// <summary>The constant of a <c>number</c> field, parsed and range-checked by the model: code generation never re-parses it.</summary>
    public ulong? UnsignedValue { get; init; }
    /// <summary>The constant of an <c>integer</c> field, parsed and range-checked by the model.</summary>
    public long? SignedValue { get; init; }
    /// <summary>The field runs to the end of the frame with no length prefix.</summary>
    public bool Rest { get; init; }
    /// <summary>A <c>msg</c> packed inline as a frame list (NOM-1) instead of trailing frames.</summary>
    public bool Packed { get; init; }
    /// <summary>This header field selects the message (its value is the message id).</summary>
    public bool Discriminator { get; init; }
    /// <summary>Composite or enum type name, for <see cref="FieldKind.Composite"/> and <see cref="FieldKind.Enum"/>; list item type for <see cref="FieldKind.List"/>.</summary>
    public string TypeRef { get; init; } = "";
    /// <summary>The resolved item of a list, or null.</summary>
    public FieldSpec? Item { get; init; }
    /// <summary>Documentation text.</summary>
    public string Doc { get; init; } = "";
    /// <summary>Example values from <c>&lt;test&gt;</c> children.</summary>
    public EquatableArray<string> Examples { get; init; } = EquatableArray<string>.Empty;
}
