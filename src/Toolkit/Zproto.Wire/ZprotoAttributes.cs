using System;

namespace Zproto.Wire;

/// <summary>
/// Marks a generated message record with its model name and id, so tools (the <c>zproto</c> CLI,
/// test harnesses) can map between model names and types without a second codec.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ZprotoMessageAttribute(string name, int id) : Attribute
{
    /// <summary>The message name as the model spells it (e.g. <c>HELLO-OK</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The message id on the wire.</summary>
    public int Id { get; } = id;
}

/// <summary>Marks a generated property with its model field name and wire position.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ZprotoFieldAttribute(string name, int order) : Attribute
{
    /// <summary>The field name as the model spells it (e.g. <c>public key</c>).</summary>
    public string Name { get; } = name;

    /// <summary>Zero-based position among the message's fields in wire order.</summary>
    public int Order { get; } = order;

    /// <summary>The model type (<c>number</c>, <c>string</c>, <c>hash</c>, ...).</summary>
    public string Type { get; init; } = "";

    /// <summary>True when the field is a constant (<c>value=</c>): written by the encoder, checked by the decoder.</summary>
    public bool IsConstant { get; init; }
}

/// <summary>Marks a generated protocol class with its model class name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ZprotoProtocolAttribute(string name) : Attribute
{
    /// <summary>The class name in the model (e.g. <c>zpipes_msg</c>).</summary>
    public string Name { get; } = name;

    /// <summary>How messages travel: <c>frames</c> (zproto), <c>datagram</c> or <c>text-frames</c>.</summary>
    public string Framing { get; init; } = "frames";
}
