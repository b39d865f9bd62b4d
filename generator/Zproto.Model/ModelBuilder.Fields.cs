using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Model;

internal sealed partial class ModelBuilder
{
    private List<ParsedField> ParseHeader(ModelNode root)
    {
        var result = new List<ParsedField>();
        foreach (var header in root.Children)
        {
            if (header.Name != "header")
                continue;
            if (_framing == Framing.TextFrames)
            {
                // The text-frames codec has no frame 0 to carry a header; it would be silently dropped.
                Report(DiagnosticDescriptors.FramingConflict, header, "a text-frames protocol has no <header>: every message is its own run of tagged sections");
                continue;
            }
            foreach (var child in header.Children)
            {
                if (child.Name != "field")
                {
                    Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
                    continue;
                }
                var field = ParseField(child, inHeader: true);
                if (field is not null)
                    result.Add(field);
            }
        }
        return result;
    }

    private ParsedField? ParseField(ModelNode node, bool inHeader)
    {
        CheckAttributes(node, s_fieldAttributes, "field");
        var name = Required(node, "name", "<field>");
        if (name is null)
            return null;
        var typeAttribute = node.Attribute("type");
        var type = (typeAttribute?.Value ?? "number").Trim().ToLowerInvariant();
        var kind = ResolveKind(type, out var typeRef);
        if (kind is null)
        {
            if (typeAttribute is not null)
                Report(DiagnosticDescriptors.UnknownType, typeAttribute, name, typeAttribute.Value);
            else
                Report(DiagnosticDescriptors.UnknownType, node, name, type);
            return null;
        }

        var size = 0;
        var sizeAttribute = node.Attribute("size");
        switch (kind)
        {
            case FieldKind.Number:
            case FieldKind.Integer:
                size = kind == FieldKind.Integer ? 4 : 1;
                if (sizeAttribute is not null && !TryNumberSize(sizeAttribute.Value, out size))
                {
                    Report(DiagnosticDescriptors.BadNumberSize, sizeAttribute, name, sizeAttribute.Value);
                    return null;
                }
                break;
            case FieldKind.Octets:
                if (sizeAttribute is null || !int.TryParse(sizeAttribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out size) || size <= 0)
                {
                    Report(DiagnosticDescriptors.BadOctetsSize, (IHasPosition?)sizeAttribute ?? node, name, sizeAttribute?.Value ?? "");
                    return null;
                }
                break;
            case FieldKind.Enum:
                size = _enums[typeRef].Size;
                break;
            case FieldKind.Boolean:
                size = 1;
                break;
        }

        var bits = 0;
        var bitsAttribute = node.Attribute("bits");
        if (bitsAttribute is not null)
        {
            if (!int.TryParse(bitsAttribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits < 1 || bits > 64)
            {
                Report(DiagnosticDescriptors.BadBits, bitsAttribute, name, $"bits '{bitsAttribute.Value}' must be a number from 1 to 64");
                return null;
            }
            if (kind is not (FieldKind.Number or FieldKind.Integer or FieldKind.Boolean or FieldKind.Enum))
            {
                Report(DiagnosticDescriptors.BadBits, bitsAttribute, name, $"only number, integer, boolean and enum fields can be bit fields, not {type}");
                return null;
            }
            if (kind == FieldKind.Boolean && bits != 1)
            {
                Report(DiagnosticDescriptors.BadBits, bitsAttribute, name, "a boolean bit field is 1 bit wide");
                return null;
            }
            if (kind == FieldKind.Enum && !EnumFits(_enums[typeRef], bits))
            {
                Report(DiagnosticDescriptors.BadBits, bitsAttribute, name, $"enum '{typeRef}' has values that do not fit in {bits} bit(s)");
                return null;
            }
            if (_framing == Framing.TextFrames)
            {
                Report(DiagnosticDescriptors.FramingConflict, bitsAttribute, "bit fields need a binary framing, not text-frames");
                return null;
            }
            size = 0;
        }

        var rest = false;
        var lengthAttribute = node.Attribute("length");
        if (lengthAttribute is not null)
        {
            if (!lengthAttribute.Value.Trim().Equals("rest", StringComparison.OrdinalIgnoreCase))
            {
                Report(DiagnosticDescriptors.InvalidAttribute, lengthAttribute, "field", name, "length must be \"rest\" (the value runs to the end of the frame)");
                return null;
            }
            if (kind is not (FieldKind.String or FieldKind.Chunk))
            {
                Report(DiagnosticDescriptors.TypeNotAllowed, lengthAttribute, name, $"only string and chunk fields can run to the end of the frame, not {type}");
                return null;
            }
            rest = true;
        }

        var packed = false;
        var encodingAttribute = node.Attribute("encoding");
        if (encodingAttribute is not null)
        {
            if (!encodingAttribute.Value.Trim().Equals("packed", StringComparison.OrdinalIgnoreCase) || kind != FieldKind.Msg)
            {
                Report(DiagnosticDescriptors.InvalidAttribute, encodingAttribute, "field", name, "encoding=\"packed\" applies to msg fields only (frames packed inline as a frame list)");
                return null;
            }
            packed = true;
        }

        var discriminator = false;
        var discriminatorAttribute = node.Attribute("discriminator");
        if (discriminatorAttribute is not null && IsTrue(discriminatorAttribute.Value))
        {
            if (!inHeader || kind != FieldKind.Number)
            {
                Report(DiagnosticDescriptors.BadDiscriminator, discriminatorAttribute, $"field '{name}': the discriminator must be a number field in the <header>");
                return null;
            }
            discriminator = true;
        }

        FieldSpec? item = null;
        if (kind == FieldKind.List)
        {
            var itemAttribute = node.Attribute("item");
            if (itemAttribute is null)
            {
                Report(DiagnosticDescriptors.MissingAttribute, node, $"list field '{name}'", "item");
                return null;
            }
            var itemType = itemAttribute.Value.Trim().ToLowerInvariant();
            var itemKind = ResolveKind(itemType, out var itemRef);
            if (itemKind is null)
            {
                Report(DiagnosticDescriptors.UnknownType, itemAttribute, name, itemAttribute.Value);
                return null;
            }
            if (itemKind is FieldKind.List or FieldKind.Frame or FieldKind.Msg or FieldKind.Octets or FieldKind.Number or FieldKind.Integer)
            {
                Report(DiagnosticDescriptors.TypeNotAllowed, itemAttribute, name, $"a list holds string, longstr, chunk, uuid, boolean, hash, strings, enum or composite items, not {itemType}");
                return null;
            }
            item = new FieldSpec { Name = name, Kind = itemKind.Value, Type = itemType, TypeRef = itemRef, Size = itemKind == FieldKind.Enum ? _enums[itemRef].Size : itemKind == FieldKind.Boolean ? 1 : 0 };
        }

        if (_framing == Framing.TextFrames && kind is not (FieldKind.Number or FieldKind.String or FieldKind.Frame))
        {
            Report(DiagnosticDescriptors.FramingConflict, (IHasPosition?)typeAttribute ?? node, $"field '{name}': a text-frame field is number (ASCII decimal), string (UTF-8) or frame (raw octets), not {type}");
            return null;
        }
        if (_framing == Framing.TextFrames)
        {
            // Each text-frame value is a whole frame: sizes, constants and encodings have no meaning
            // there, and the codec would silently ignore them.
            foreach (var attribute in new[] { "size", "value", "length", "encoding" })
            {
                if (node.Attribute(attribute) is { } ignored)
                {
                    Report(DiagnosticDescriptors.FramingConflict, ignored, $"field '{name}': '{attribute}' does not apply to a text-frame field (each value is a whole frame)");
                    return null;
                }
            }
        }

        var value = node.Attribute("value");
        ulong? unsignedValue = null;
        long? signedValue = null;
        if (value is not null && !CheckConstant(name, kind.Value, size, bits, value, out unsignedValue, out signedValue))
            return null;

        var examples = new List<string>();
        foreach (var child in node.Children)
        {
            if (child.Name == "test")
                examples.Add(child.Text);
            else
                Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
        }

        var spec = new FieldSpec
        {
            Name = name,
            Kind = kind.Value,
            Type = type,
            Size = size,
            Bits = bits,
            Value = value?.Value,
            UnsignedValue = unsignedValue,
            SignedValue = signedValue,
            Rest = rest,
            Packed = packed,
            Discriminator = discriminator,
            TypeRef = typeRef,
            Item = item,
            Doc = node.Text,
            Examples = examples.ToEquatableArray(),
        };
        return new ParsedField(spec, node);
    }

    private FieldKind? ResolveKind(string type, out string typeRef)
    {
        typeRef = "";
        switch (type)
        {
            case "number": return FieldKind.Number;
            case "integer": return FieldKind.Integer;
            case "boolean":
            case "bool": return FieldKind.Boolean;
            case "octets": return FieldKind.Octets;
            case "string": return FieldKind.String;
            case "longstr": return FieldKind.Longstr;
            case "strings": return FieldKind.Strings;
            case "hash":
            case "dictionary": return FieldKind.Hash;
            case "chunk": return FieldKind.Chunk;
            case "uuid": return FieldKind.Uuid;
            case "frame": return FieldKind.Frame;
            case "msg": return FieldKind.Msg;
            case "list": return FieldKind.List;
        }
        var key = Naming.Key(type);
        if (_types.ContainsKey(key))
        {
            typeRef = key;
            return FieldKind.Composite;
        }
        if (_enums.ContainsKey(key))
        {
            typeRef = key;
            return FieldKind.Enum;
        }
        return null;
    }

    private static bool EnumFits(EnumSpec e, int bits)
    {
        foreach (var v in e.Values)
            if (!Fits(v.Value, bits)) return false;
        return true;
    }

    private bool CheckConstant(string name, FieldKind kind, int size, int bits, ModelAttribute value, out ulong? unsignedValue, out long? signedValue)
    {
        unsignedValue = null;
        signedValue = null;
        switch (kind)
        {
            case FieldKind.Number:
            {
                var width = bits > 0 ? bits : size * 8;
                if (!ulong.TryParse(value.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || !Fits(n, width))
                {
                    Report(DiagnosticDescriptors.BadConstant, value, name, $"constant '{value.Value}' is not an unsigned number that fits in {width} bits");
                    return false;
                }
                unsignedValue = n;
                return true;
            }
            case FieldKind.Integer:
            {
                if (!long.TryParse(value.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || !FitsSigned(n, bits > 0 ? bits : size * 8))
                {
                    Report(DiagnosticDescriptors.BadConstant, value, name, $"constant '{value.Value}' is not an integer that fits in {(bits > 0 ? bits : size * 8)} bits");
                    return false;
                }
                signedValue = n;
                return true;
            }
            case FieldKind.String:
            case FieldKind.Longstr:
            {
                var octets = Encoding.UTF8.GetByteCount(value.Value);
                if (kind == FieldKind.String && octets > 255)
                {
                    Report(DiagnosticDescriptors.StringConstantTooLong, value, name, octets);
                    return false;
                }
                return true;
            }
            default:
                Report(DiagnosticDescriptors.BadConstant, value, name, $"only number, integer, string and longstr fields can be constants, not {kind.ToString().ToLowerInvariant()}");
                return false;
        }
    }

    private static bool FitsSigned(long value, int bits) =>
        bits >= 64 || (value >= -(1L << (bits - 1)) && value < (1L << (bits - 1)));

    /// <summary>
    /// The field's type for the one-type-per-name rule and its message: aliases resolved
    /// (<c>dictionary</c> is <c>hash</c>, <c>bool</c> is <c>boolean</c>), declared types by key.
    /// </summary>
    private static string CanonicalType(FieldSpec f) => f.Kind switch
    {
        FieldKind.Hash => "hash",
        FieldKind.Boolean => "boolean",
        FieldKind.Composite or FieldKind.Enum => f.TypeRef,
        _ => f.Type,
    };

    private static string Describe(FieldSpec f)
    {
        var text = CanonicalType(f);
        if (f.Kind is FieldKind.Number or FieldKind.Integer or FieldKind.Octets)
            text += f.Bits > 0 ? $" bits {f.Bits}" : $" size {f.Size}";
        if (f.Bits > 0 && f.Kind is not (FieldKind.Number or FieldKind.Integer))
            text += $" bits {f.Bits}";
        if (f.Rest)
            text += " length rest";
        if (f.Packed)
            text += " packed";
        if (f.Item is not null)
            text += $" of {CanonicalType(f.Item)}";
        return text;
    }

    /// <summary>
    /// Field names must be distinct and map to distinct identifiers that no generated member uses,
    /// nor the record that holds them (<paramref name="record"/>: C# forbids a member named like
    /// its enclosing type, CS0542). Fields before <paramref name="reportFrom"/> (the header,
    /// already checked on its own) are only remembered, so that a problem among them is not
    /// reported again for every message; a header field named like the message is reported at
    /// the message.
    /// </summary>
    private void CheckDuplicateFields(string owner, List<ParsedField> fields, int reportFrom, string record = "", IHasPosition? recordAt = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var identifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            var nameAttribute = f.Node.Attribute("name")!;
            if (i < reportFrom)
            {
                if (record.Length > 0 && Naming.Pascal(f.Spec.Name) == record)
                    Report(DiagnosticDescriptors.MemberNamedLikeType, recordAt ?? nameAttribute, $"header field '{f.Spec.Name}'", record, owner);
                seen.Add(Naming.Key(f.Spec.Name));
                if (!identifiers.ContainsKey(Naming.Pascal(f.Spec.Name)))
                    identifiers[Naming.Pascal(f.Spec.Name)] = f.Spec.Name;
                continue;
            }
            if (!seen.Add(Naming.Key(f.Spec.Name)))
            {
                Report(DiagnosticDescriptors.DuplicateFieldName, nameAttribute, owner, f.Spec.Name);
                continue;
            }
            var identifier = Naming.Pascal(f.Spec.Name);
            if (identifier.Length == 0)
                Report(DiagnosticDescriptors.NameClash, nameAttribute, $"field name '{f.Spec.Name}' in {owner} has no letters or digits to make an identifier from");
            else if (s_reservedMemberNames.Contains(identifier) || (_pubsub && identifier == "Topic"))
                Report(DiagnosticDescriptors.NameClash, nameAttribute, $"field '{f.Spec.Name}' in {owner} would become '{identifier}', which every generated message already has; rename it");
            else if (identifier == record)
                Report(DiagnosticDescriptors.MemberNamedLikeType, nameAttribute, $"field '{f.Spec.Name}'", record, owner);
            else if (identifiers.TryGetValue(identifier, out var other))
                Report(DiagnosticDescriptors.NameClash, nameAttribute, $"fields '{other}' and '{f.Spec.Name}' in {owner} both become '{identifier}'");
            else
                identifiers[identifier] = f.Spec.Name;
        }
    }
}
