using System;
using System.Collections.Generic;
using System.Globalization;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Model;

internal sealed partial class ModelBuilder
{
    private readonly List<(MessageSpec Spec, ModelNode Node)> _messageNodes = new();

    private List<MessageSpec> ParseMessages(ModelNode root, List<ParsedField> header)
    {
        var result = new List<MessageSpec>();
        var ids = new Dictionary<int, string>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var identifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        // Field name key -> (description, message) of its first use, for the one-type-per-name rule.
        var fieldTypes = new Dictionary<string, (string Description, string Message)>(StringComparer.Ordinal);
        var headerNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in header)
            headerNames.Add(Naming.Key(h.Spec.Name));

        var position = 0;
        foreach (var node in root.Children)
        {
            if (node.Name != "message")
                continue;
            position++;
            CheckAttributes(node, s_messageAttributes, "message");
            var name = Required(node, "name", "<message>");
            if (name is null)
                continue;

            var id = position;
            var idAttribute = node.Attribute("id");
            if (idAttribute is not null && !int.TryParse(idAttribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id))
            {
                Report(DiagnosticDescriptors.InvalidAttribute, idAttribute, "message", name, "id must be a number");
                continue;
            }
            var at = (IHasPosition?)idAttribute ?? node;
            if (_framing != Framing.TextFrames)
            {
                if (ids.TryGetValue(id, out var other))
                    Report(DiagnosticDescriptors.DuplicateMessageId, at, name, id, other);
                else
                    ids[id] = name;
            }

            var nameAttribute = node.Attribute("name")!;
            var key = Naming.Key(name);
            var identifier = Naming.Pascal(name);
            if (names.TryGetValue(key, out var sameName))
                Report(DiagnosticDescriptors.DuplicateMessageName, nameAttribute, name, sameName);
            else if (identifier.Length == 0)
                Report(DiagnosticDescriptors.NameClash, nameAttribute, $"message name '{name}' has no letters or digits to make an identifier from");
            else if (identifiers.TryGetValue(identifier, out var sameIdentifier))
                Report(DiagnosticDescriptors.NameClash, nameAttribute, $"messages '{sameIdentifier}' and '{name}' both become '{identifier}'");
            names[key] = name;
            identifiers[identifier] = name;

            var direction = ParseDirection(node, name);
            var fields = new List<ParsedField>();
            var sections = new List<SectionSpec>();
            var sectionNodes = new List<ModelNode>();
            foreach (var child in node.Children)
            {
                if (child.Name == "field" && _framing != Framing.TextFrames)
                {
                    var field = ParseField(child, inHeader: false);
                    if (field is not null)
                        fields.Add(field);
                }
                else if (child.Name == "section" && _framing == Framing.TextFrames)
                {
                    var section = ParseSection(child, name, nested: false);
                    sectionNodes.Add(child);
                    if (section is not null)
                        sections.Add(section);
                }
                else if (child.Name is "field" or "section")
                {
                    Report(DiagnosticDescriptors.FramingConflict, child, _framing == Framing.TextFrames
                        ? $"message '{name}': a text-frames message is made of <section>s, not <field>s"
                        : $"message '{name}': <section> belongs to framing=\"text-frames\" protocols");
                }
                else
                {
                    Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
                }
            }

            var all = new List<ParsedField>(header);
            all.AddRange(fields);
            CheckDuplicateFields($"message '{name}'", all, reportFrom: header.Count, Naming.Pascal(name), At(node, "name"));
            CheckFieldOrder(name, all);
            foreach (var f in fields)
            {
                var description = Describe(f.Spec);
                var fieldKey = Naming.Key(f.Spec.Name);
                if (headerNames.Contains(fieldKey))
                    continue; // a message field named like a header field is ZP2003 already
                if (fieldTypes.TryGetValue(fieldKey, out var first) && first.Description != description)
                    Report(DiagnosticDescriptors.FieldTypeConflict, (IHasPosition?)f.Node.Attribute("type") ?? f.Node, f.Spec.Name, description, first.Description, first.Message);
                else if (!fieldTypes.ContainsKey(fieldKey))
                    fieldTypes[fieldKey] = (description, name);
            }
            if (_framing == Framing.TextFrames)
            {
                CheckSectionTags(name, node, sectionNodes);
                CheckSectionNames(name, sectionNodes);
            }

            var spec = new MessageSpec
            {
                Name = name,
                Id = id,
                Doc = node.Text,
                Fields = fields.ConvertAll(f => f.Spec).ToEquatableArray(),
                Sections = sections.ToEquatableArray(),
                Direction = direction,
            };
            _messageNodes.Add((spec, node));
            result.Add(spec);
        }
        return result;
    }

    private Direction ParseDirection(ModelNode node, string name)
    {
        var attribute = node.Attribute("direction");
        switch (attribute?.Value.Trim().ToLowerInvariant())
        {
            case null:
                if (_framing == Framing.TextFrames)
                    Report(DiagnosticDescriptors.MissingAttribute, node, $"text-frames message '{name}'", "direction");
                return Direction.Any;
            case "request":
                return Direction.Request;
            case "reply":
                return Direction.Reply;
            default:
                Report(DiagnosticDescriptors.InvalidAttribute, attribute!, "message", name, "direction must be request or reply");
                return Direction.Any;
        }
    }

    /// <summary>Layout rules over the full field list (header first): msg last, rest-of-frame last in frame 0, whole-octet bit groups, framing limits.</summary>
    private void CheckFieldOrder(string message, List<ParsedField> fields)
    {
        var bitsOpen = 0;
        ParsedField? bitStart = null;
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (f.Spec.Bits > 0)
            {
                bitStart ??= f;
                bitsOpen += f.Spec.Bits;
                if (bitsOpen > 64)
                    ReportOnce(DiagnosticDescriptors.BadBits, At(f.Node, "bits"), f.Spec.Name, "a run of bit fields is at most 64 bits");
            }
            else if (bitsOpen % 8 != 0)
            {
                ReportOnce(DiagnosticDescriptors.BadBits, At(bitStart!.Node, "bits"), bitStart.Spec.Name, $"bit fields from here to '{fields[i - 1].Spec.Name}' total {bitsOpen} bits; a run of bit fields must fill whole octets");
                bitsOpen = 0;
                bitStart = null;
            }
            else
            {
                bitsOpen = 0;
                bitStart = null;
            }

            if (f.Spec.Kind == FieldKind.Msg && i != fields.Count - 1)
                ReportOnce(DiagnosticDescriptors.MsgNotLast, f.Node, f.Spec.Name, message);
            if (f.Spec.Rest || f.Spec.Packed)
            {
                // Only fields that live in frames of their own may follow a rest-of-frame value.
                for (var j = i + 1; j < fields.Count; j++)
                {
                    var next = fields[j].Spec;
                    if (!(next.Kind == FieldKind.Frame || (next.Kind == FieldKind.Msg && !next.Packed)))
                    {
                        ReportOnce(DiagnosticDescriptors.RestNotLast, At(f.Node, f.Spec.Rest ? "length" : "encoding"), f.Spec.Name, message);
                        break;
                    }
                }
            }
            if (_framing == Framing.Datagram && (f.Spec.Kind == FieldKind.Frame || (f.Spec.Kind == FieldKind.Msg && !f.Spec.Packed)))
                ReportOnce(DiagnosticDescriptors.FramingConflict, At(f.Node, "type"), $"field '{f.Spec.Name}' of message '{message}' needs a frame of its own, which a datagram does not have (use encoding=\"packed\" for msg)");
        }
        if (bitsOpen % 8 != 0)
            ReportOnce(DiagnosticDescriptors.BadBits, At(bitStart!.Node, "bits"), bitStart.Spec.Name, $"bit fields from here to the end of the message total {bitsOpen} bits; a run of bit fields must fill whole octets");
    }

    private void CheckDiscriminator(ModelNode root, List<ParsedField> header, List<MessageSpec> messages, int signature, bool pubsub)
    {
        ParsedField? discriminator = null;
        foreach (var h in header)
        {
            if (!h.Spec.Discriminator)
                continue;
            if (discriminator is not null)
                Report(DiagnosticDescriptors.BadDiscriminator, At(h.Node, "discriminator"), $"field '{h.Spec.Name}': a header has at most one discriminator ('{discriminator.Spec.Name}' is one)");
            else
                discriminator = h;
        }
        if (discriminator is not null)
        {
            if (pubsub)
                Report(DiagnosticDescriptors.BadDiscriminator, At(discriminator.Node, "discriminator"), "a pubsub protocol has its id first; it cannot also have a discriminator");
            if (discriminator.Spec.Value is not null)
                Report(DiagnosticDescriptors.BadDiscriminator, At(discriminator.Node, "value"), $"field '{discriminator.Spec.Name}': the discriminator takes each message's id, so it cannot be a constant");
            CheckHeaderBitsAlone(header);
        }
        var width = discriminator is null ? 8 : discriminator.Spec.Bits > 0 ? discriminator.Spec.Bits : discriminator.Spec.Size * 8;
        var max = width >= 31 ? int.MaxValue : (1 << width) - 1;
        if (_framing == Framing.TextFrames)
            return;
        foreach (var (spec, node) in _messageNodes)
        {
            if (spec.Id < 0 || spec.Id > max)
                Report(DiagnosticDescriptors.BadMessageId, (IHasPosition?)node.Attribute("id") ?? node, spec.Name, spec.Id, $"0 to {max}");
        }
    }

    /// <summary>
    /// With a discriminator the header is read before the message is known, so a run of bit fields
    /// cannot continue into a message's fields: the header's runs must fill whole octets on their own.
    /// </summary>
    private void CheckHeaderBitsAlone(List<ParsedField> header)
    {
        var bitsOpen = 0;
        ParsedField? bitStart = null;
        foreach (var h in header)
        {
            if (h.Spec.Bits > 0)
            {
                bitStart ??= h;
                bitsOpen += h.Spec.Bits;
                continue;
            }
            if (bitsOpen % 8 != 0)
                break;
            bitsOpen = 0;
            bitStart = null;
        }
        if (bitsOpen % 8 != 0)
            ReportOnce(DiagnosticDescriptors.BadBits, At(bitStart!.Node, "bits"), bitStart.Spec.Name, $"the header's bit fields from here total {bitsOpen} bits; with a discriminator the header is read on its own, so its bit fields must fill whole octets");
    }

    private void CheckTypeNames(ModelNode root, string className, List<ParsedField> header)
    {
        // Messages, composite types and enums all become nested types of the protocol class.
        // Clashes between two messages (ZP2002/ZP2021) and between declarations with the same name
        // (ZP2017) were reported where they were found; only the remaining clashes are reported here.
        var taken = new Dictionary<string, (string What, string Name, IHasPosition At)>(StringComparer.Ordinal);
        var protocolIdentifier = Naming.Pascal(className);
        void Claim(string name, string what, IHasPosition at)
        {
            var identifier = Naming.Pascal(name);
            if (identifier.Length == 0)
                return;
            if (s_reservedTypeNames.Contains(identifier) || identifier == protocolIdentifier)
            {
                Report(DiagnosticDescriptors.NameClash, at, $"{what} '{name}' would become '{identifier}', a name the generated protocol class uses itself; rename it");
            }
            else if (taken.TryGetValue(identifier, out var other))
            {
                var bothMessages = what == "message" && other.What == "message";
                var sameDeclaration = what != "message" && other.What != "message" && Naming.Key(name) == Naming.Key(other.Name);
                if (!bothMessages && !sameDeclaration)
                    Report(DiagnosticDescriptors.NameClash, at, $"{what} '{name}' and {other.What} '{other.Name}' both become '{identifier}'");
            }
            else
            {
                taken[identifier] = (what, name, at);
            }
        }
        foreach (var (spec, node) in _messageNodes)
            Claim(spec.Name, "message", (IHasPosition?)node.Attribute("name") ?? node);
        foreach (var child in root.Children)
        {
            if (child.Name is "type" or "enum" && child.Value("name") is { } n)
                Claim(n, child.Name, (IHasPosition?)child.Attribute("name") ?? child);
        }
        CheckCodecMethodNames(taken, header);
    }

    /// <summary>
    /// The codec's methods named after model names (templates/Codec.hbs, TextCodec.hbs and the list
    /// item methods of Zproto.CodeGen's FieldEmitter) live in the protocol class beside its nested
    /// types, so they must differ from those types and from each other: message <c>DECODE LOG</c>
    /// beside <c>LOG</c>, whose decoder is <c>DecodeLog</c>, would otherwise be C# that fails to compile.
    /// A clash with a type is reported at the type's name, one between two lists at the second list.
    /// </summary>
    private void CheckCodecMethodNames(Dictionary<string, (string What, string Name, IHasPosition At)> nestedTypes, List<ParsedField> header)
    {
        var methods = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string method, string purpose, IHasPosition listAt)
        {
            if (nestedTypes.TryGetValue(method, out var type))
                Report(DiagnosticDescriptors.NameClash, type.At, $"{type.What} '{type.Name}' would become '{method}', the name of the method that {purpose}; rename one of them");
            else if (methods.TryGetValue(method, out var other))
                // A list's three methods clash together; one diagnostic says it.
                ReportOnce(DiagnosticDescriptors.NameClash, listAt, $"the method that {purpose} and the one that {other} would both be named '{method}'; rename one of the lists");
            else
                methods[method] = purpose;
        }

        // Messages that make no identifier, or the same one as another, were reported already.
        var owners = new HashSet<string>(StringComparer.Ordinal);
        if (_framing == Framing.TextFrames)
        {
            // Text frames: one public TryDecode{Message} per message, and no list fields.
            foreach (var (spec, node) in _messageNodes)
            {
                var owner = Naming.Pascal(spec.Name);
                if (owner.Length > 0 && owners.Add(owner))
                    Claim("TryDecode" + owner, $"decodes message '{spec.Name}'", (IHasPosition?)node.Attribute("name") ?? node);
            }
            return;
        }

        // With a discriminator the header is read once, before dispatch, so its lists' methods are
        // named after "Header"; otherwise every message reads the header fields as its own.
        var discriminated = header.Exists(h => h.Spec.Discriminator);
        if (discriminated)
        {
            foreach (var h in header)
                ClaimListMethods(h.Spec, "Header", "the <header>", (IHasPosition?)h.Node.Attribute("name") ?? h.Node, Claim);
        }
        foreach (var (spec, node) in _messageNodes)
        {
            var owner = Naming.Pascal(spec.Name);
            if (owner.Length == 0 || !owners.Add(owner))
                continue;
            Claim("Decode" + owner, $"decodes message '{spec.Name}'", (IHasPosition?)node.Attribute("name") ?? node);
            if (!discriminated)
            {
                foreach (var h in header)
                    ClaimListMethods(h.Spec, owner, $"message '{spec.Name}'", (IHasPosition?)h.Node.Attribute("name") ?? h.Node, Claim);
            }
            foreach (var f in spec.Fields)
            {
                var fieldNode = node.Children.Find(c => c.Name == "field" && c.Value("name")?.Trim() == f.Name);
                var at = (IHasPosition?)fieldNode?.Attribute("name") ?? (IHasPosition?)fieldNode ?? node;
                ClaimListMethods(f, owner, $"message '{spec.Name}'", at, Claim);
            }
        }
    }

    /// <summary>
    /// Claims the three item methods of every list in <paramref name="field"/>, a composite's
    /// included, named as FieldEmitter names them: the owner, then each field name down the path.
    /// </summary>
    private void ClaimListMethods(FieldSpec field, string stem, string owner, IHasPosition at, Action<string, string, IHasPosition> claim, HashSet<string>? typesOnPath = null)
    {
        stem += Naming.Pascal(field.Name);
        var composite = field.Kind == FieldKind.Composite ? field.TypeRef : field.Item is { Kind: FieldKind.Composite } item ? item.TypeRef : null;
        if (field.Kind == FieldKind.List)
        {
            var list = $"list '{field.Name}' in {owner}";
            claim($"Get{stem}ItemLength", $"measures an item of {list}", at);
            claim($"Write{stem}Item", $"writes an item of {list}", at);
            claim($"TryRead{stem}Item", $"reads an item of {list}", at);
        }
        // A type that (wrongly, reported elsewhere) contains itself is walked once.
        typesOnPath ??= new HashSet<string>(StringComparer.Ordinal);
        if (composite is null || !_types.TryGetValue(composite, out var type) || !typesOnPath.Add(composite))
            return;
        foreach (var sub in type.Fields)
            ClaimListMethods(sub, stem, owner, at, claim, typesOnPath);
        typesOnPath.Remove(composite);
    }
}
