namespace Zproto.Model.Specs;

/// <summary>How a protocol's messages travel.</summary>
public enum Framing
{
    /// <summary>zproto: one header frame (signature, id, fields), then any <c>frame</c>/<c>msg</c> frames.</summary>
    Frames,
    /// <summary>One datagram per message, no extra frames, with an optional size limit (VTX NOM-1).</summary>
    Datagram,
    /// <summary>Every value its own frame, tags and ASCII decimal numbers (remctl's ZeroMQ backend).</summary>
    TextFrames,
}

/// <summary>
/// A whole protocol model after parsing and validation. Immutable and structurally equal, with no
/// positions, syntax nodes or file handles in it: the incremental generator caches on its equality,
/// so a comment-only edit of the model yields an equal spec and nothing is regenerated.
/// </summary>
public sealed record ProtocolSpec
{
    /// <summary>The class name in the model (<c>zpipes_msg</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The model file's name without directory, for output names (<c>zpipes_msg.xml</c>).</summary>
    public required string FileName { get; init; }
    /// <summary>Optional title attribute.</summary>
    public string Title { get; init; } = "";
    /// <summary>Free documentation text of the class.</summary>
    public string Doc { get; init; } = "";
    /// <summary>Optional <c>&lt;grammar&gt;</c> block, printed first by the ABNF writer.</summary>
    public string Grammar { get; init; } = "";
    /// <summary>How messages travel.</summary>
    public Framing Framing { get; init; }
    /// <summary>The 4-bit signature (frames framing without a discriminator).</summary>
    public int Signature { get; init; }
    /// <summary>zproto pubsub layout: id, topic, NUL, then fields; no signature.</summary>
    public bool PubSub { get; init; }
    /// <summary>Largest encoded message in octets, 0 when unlimited.</summary>
    public int MaxSize { get; init; }
    /// <summary>
    /// <c>strings = "utf8"</c>: <c>string</c> and <c>longstr</c> fields are <c>Zproto.Wire.Utf8Text</c>
    /// (validated UTF-8, a view over the received frame) instead of <see cref="string"/>. Binary framings only.
    /// </summary>
    public bool Utf8Strings { get; init; }
    /// <summary>Namespace requested by the model (<c>namespace</c> attribute), or empty.</summary>
    public string Namespace { get; init; } = "";
    /// <summary>Named constants.</summary>
    public EquatableArray<DefineSpec> Defines { get; init; } = EquatableArray<DefineSpec>.Empty;
    /// <summary>Header fields, in front of every message's own fields (zproto's header macro).</summary>
    public EquatableArray<FieldSpec> Header { get; init; } = EquatableArray<FieldSpec>.Empty;
    /// <summary>Messages in model order.</summary>
    public EquatableArray<MessageSpec> Messages { get; init; } = EquatableArray<MessageSpec>.Empty;
    /// <summary>Composite types (<c>&lt;type&gt;</c>).</summary>
    public EquatableArray<TypeSpec> Types { get; init; } = EquatableArray<TypeSpec>.Empty;
    /// <summary>Enumerations (<c>&lt;enum&gt;</c>).</summary>
    public EquatableArray<EnumSpec> Enums { get; init; } = EquatableArray<EnumSpec>.Empty;

    /// <summary>True when a header field carries the message id (no signature or id octet).</summary>
    public bool HasDiscriminator
    {
        get
        {
            foreach (var f in Header)
                if (f.Discriminator) return true;
            return false;
        }
    }
}

/// <summary>A named constant (<c>&lt;define name value&gt;</c>).</summary>
public sealed record DefineSpec(string Name, string Value, string Doc)
{
    /// <summary>The value as a signed number, when it is one that fits in 64 bits.</summary>
    public long? SignedValue { get; init; }
    /// <summary>The value as an unsigned number, when it is one too large for <see cref="SignedValue"/>.</summary>
    public ulong? UnsignedValue { get; init; }
}

/// <summary>A composite type whose fields are expanded inline on the wire.</summary>
public sealed record TypeSpec(string Name, string Doc, EquatableArray<FieldSpec> Fields);

/// <summary>An enumeration carried as an unsigned number of <see cref="Size"/> octets (or <see cref="Bits"/> bits).</summary>
public sealed record EnumSpec(string Name, string Doc, int Size, EquatableArray<EnumValueSpec> Values);

/// <summary>One named value of an enumeration.</summary>
public sealed record EnumValueSpec(string Name, ulong Value, string Doc);
