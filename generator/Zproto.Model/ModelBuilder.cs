using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Zproto.Model.Diagnostics;
using Zproto.Model.Specs;
using Zproto.Model.Syntax;

namespace Zproto.Model;

/// <summary>
/// Turns a <see cref="ModelNode"/> tree (from either reader) into a <see cref="ProtocolSpec"/>,
/// reporting every problem it finds, each at the attribute or element it concerns. It keeps going
/// after an error so that one run shows all of them; the caller discards the spec if any is an error.
/// </summary>
internal sealed partial class ModelBuilder
{
    private static readonly HashSet<string> s_fieldAttributes = new(StringComparer.Ordinal)
        { "name", "type", "size", "value", "bits", "length", "encoding", "discriminator", "item" };
    private static readonly HashSet<string> s_messageAttributes = new(StringComparer.Ordinal) { "name", "id", "direction" };
    private static readonly HashSet<string> s_sectionAttributes = new(StringComparer.Ordinal) { "name", "tag", "alias", "repeat", "optional" };
    private static readonly HashSet<string> s_defineAttributes = new(StringComparer.Ordinal) { "name", "value" };
    private static readonly HashSet<string> s_enumAttributes = new(StringComparer.Ordinal) { "name", "size" };
    private static readonly HashSet<string> s_typeAttributes = new(StringComparer.Ordinal) { "name" };
    private static readonly HashSet<string> s_classChildren = new(StringComparer.Ordinal)
        { "define", "header", "message", "type", "enum", "grammar", "license", "test" };

    // Names the generated protocol class uses for itself (nested types and the codec's static
    // members, see templates/); a message, type or enum may not take them.
    private static readonly HashSet<string> s_reservedTypeNames = new(StringComparer.Ordinal)
    {
        "Message", "MessageId", "Defines", "TagStyle", "MaxSize", "GetEncodedLength", "Encode", "EncodeFrames", "AddExtraFrames",
        "AddFrames", "GetName", "TryDecode", "TryDecodeCore", "WritePrefix", "Remaining", "IsTag", "AllFrames",
    };
    // Members every generated record has; a field or section may not take them.
    private static readonly HashSet<string> s_reservedMemberNames = new(StringComparer.Ordinal)
    {
        "MessageId", "MessageName", "GetEncodedLengthCore", "GetEncodedLengthBoundCore", "WriteCore", "AddExtraFramesCore",
        "EqualityContract", "Equals", "GetHashCode", "ToString", "GetType", "PrintMembers", "Deconstruct", "MemberwiseClone", "Finalize",
    };

    // The static class that holds the defines (templates/Messages.hbs).
    private const string DefinesClass = "Defines";

    private readonly List<ModelDiagnostic> _diagnostics;
    private readonly Dictionary<string, TypeSpec> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EnumSpec> _enums = new(StringComparer.Ordinal);
    // (diagnostic id, node or attribute) pairs already reported, for checks that revisit the header per message.
    private readonly HashSet<(string Id, IHasPosition At)> _reported = new();
    private Framing _framing;
    private bool _pubsub;

    public ModelBuilder(List<ModelDiagnostic> diagnostics) => _diagnostics = diagnostics;

    public ProtocolSpec? Build(ModelNode root, string path)
    {
        if (root.Name != "class")
        {
            Report(DiagnosticDescriptors.NotAModel, root, root.Name);
            return null;
        }
        var name = Required(root, "name", "<class>");
        var signature = ParseSignature(root);
        var pubsub = IsTrue(root.Value("pubsub"));
        _pubsub = pubsub;
        _framing = ParseFraming(root);
        var maxSize = ParseMaxSize(root);
        var utf8Strings = ParseStrings(root, name ?? "");

        foreach (var child in root.Children)
        {
            if (!s_classChildren.Contains(child.Name))
                Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
        }

        var defines = ParseDefines(root);
        ParseEnums(root);
        ParseTypes(root);
        var header = ParseHeader(root);
        CheckDuplicateFields("the <header>", header, reportFrom: 0);
        var messages = ParseMessages(root, header);
        // Only when there is no <message> at all: messages dropped for their own errors were reported.
        if (!root.Children.Exists(c => c.Name == "message"))
            Report(DiagnosticDescriptors.NoMessages, root, name ?? "");

        CheckDiscriminator(root, header, messages, signature, pubsub);
        CheckMaxSize(root, maxSize, header, messages, header.Exists(h => h.Spec.Discriminator));
        CheckTypeNames(root, name ?? "", header);

        var grammar = new StringBuilder();
        foreach (var child in root.Children)
        {
            if (child.Name == "grammar")
                grammar.Append(child.Text);
        }

        return new ProtocolSpec
        {
            Name = name ?? "",
            FileName = System.IO.Path.GetFileName(path),
            Title = root.Value("title") ?? "",
            Doc = root.Text,
            Grammar = grammar.ToString(),
            Framing = _framing,
            Signature = signature,
            PubSub = pubsub,
            MaxSize = maxSize,
            Utf8Strings = utf8Strings,
            Namespace = root.Value("namespace") ?? "",
            Defines = defines.ToEquatableArray(),
            Header = header.ConvertAll(h => h.Spec).ToEquatableArray(),
            Messages = messages.ToEquatableArray(),
            Types = SortedValues(_types),
            Enums = SortedValues(_enums),
        };
    }

    private static EquatableArray<T> SortedValues<T>(Dictionary<string, T> map) where T : IEquatable<T>
    {
        // Declaration order is not kept by Dictionary; order by name so output is deterministic.
        var keys = new List<string>(map.Keys);
        keys.Sort(StringComparer.Ordinal);
        return keys.ConvertAll(k => map[k]).ToEquatableArray();
    }

    // ---- class attributes -------------------------------------------------------------------

    private int ParseSignature(ModelNode root)
    {
        var attribute = root.Attribute("signature");
        if (attribute is null)
            return 0;
        // zproto documents 0-15 but its generator ORs any value into 0xAAA0 (zp_proto uses 42, which
        // puts AA AA on the wire, as ZCCP's 10 does); accept what fits the octet, as the C code did.
        if (!int.TryParse(attribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
        {
            Report(DiagnosticDescriptors.BadSignature, attribute, attribute.Value);
            return 0;
        }
        return value;
    }

    private Framing ParseFraming(ModelNode root)
    {
        var attribute = root.Attribute("framing");
        switch (attribute?.Value.Trim().ToLowerInvariant())
        {
            case null:
            case "frames":
                return Framing.Frames;
            case "datagram":
                return Framing.Datagram;
            case "text-frames":
                return Framing.TextFrames;
            default:
                Report(DiagnosticDescriptors.InvalidAttribute, attribute!, "<class>", "framing", "must be frames, datagram or text-frames");
                return Framing.Frames;
        }
    }

    // How string and longstr fields are held: utf16 (System.String, the default) or utf8 (Utf8Text,
    // decoded without transcoding). The text-frames codec has no utf8 form.
    private bool ParseStrings(ModelNode root, string name)
    {
        var attribute = root.Attribute("strings");
        switch (attribute?.Value.Trim().ToLowerInvariant())
        {
            case null:
            case "utf16":
                return false;
            case "utf8":
                if (_framing != Framing.TextFrames)
                    return true;
                Report(DiagnosticDescriptors.Utf8StringsIgnored, attribute, name);
                return false;
            default:
                Report(DiagnosticDescriptors.InvalidAttribute, attribute!, "<class>", "strings", "must be utf16 or utf8");
                return false;
        }
    }

    // A datagram protocol's limit on a whole message, which its codec enforces; on the other
    // framings the largest frame a peer may send, which servers give libzmq as ZMQ_MAXMSGSIZE.
    private int ParseMaxSize(ModelNode root)
    {
        var attribute = root.Attribute("max_size");
        if (attribute is null)
            return 0;
        if (!int.TryParse(attribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            Report(DiagnosticDescriptors.BadMaxSize, attribute, attribute.Value);
            return 0;
        }
        return value;
    }

    /// <summary>ZP2041 for a message whose fixed-size values alone (a lower bound of its frame 0) exceed max_size.</summary>
    private void CheckMaxSize(ModelNode root, int maxSize, List<ParsedField> header, List<MessageSpec> messages, bool discriminated)
    {
        if (maxSize == 0)
            return;
        // The zproto prefix (AA, A0|signature, id) on binary frames without a discriminator; a
        // text-frames protocol puts each value in its own frame, so only the largest value counts.
        var prefix = _framing != Framing.TextFrames && !discriminated && !_pubsub ? 3 : 0;
        var headerSize = _framing == Framing.TextFrames ? 0 : SumFixed(header.ConvertAll(h => h.Spec));
        foreach (var message in messages)
        {
            var size = _framing == Framing.TextFrames ? MaxFixed(message) : prefix + headerSize + SumFixed(message.Fields);
            if (size > maxSize)
            {
                Report(DiagnosticDescriptors.MaxSizeTooSmall, root.Attribute("max_size")!, maxSize.ToString(CultureInfo.InvariantCulture), message.Name, size.ToString(CultureInfo.InvariantCulture));
                return;
            }
        }
    }

    private static int SumFixed(IEnumerable<FieldSpec> fields)
    {
        var sum = 0;
        foreach (var field in fields)
            sum += FixedOctets(field);
        return sum;
    }

    private static int MaxFixed(MessageSpec message)
    {
        var max = 0;
        foreach (var section in message.Sections)
            foreach (var field in section.Fields)
                max = Math.Max(max, FixedOctets(field));
        return max;
    }

    // Octets a field takes whatever its value: whole-octet numbers and octets, uuids, and the
    // length or count prefix of the variable kinds. Bit fields and composites count 0, so the sum
    // is a lower bound and ZP2041 never fires for a message that could fit.
    private static int FixedOctets(FieldSpec field) => field.Kind switch
    {
        FieldKind.Number or FieldKind.Integer or FieldKind.Octets or FieldKind.Enum when field.Bits == 0 => field.Size,
        FieldKind.Boolean when field.Bits == 0 => 1,
        FieldKind.Uuid => 16,
        FieldKind.String when !field.Rest => 1,
        FieldKind.Longstr or FieldKind.Strings or FieldKind.Hash or FieldKind.List => 4,
        FieldKind.Chunk when !field.Rest => 4,
        _ => 0,
    };

    // ---- defines, enums, types --------------------------------------------------------------

    private List<DefineSpec> ParseDefines(ModelNode root)
    {
        var result = new List<DefineSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var identifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in root.Children)
        {
            if (node.Name != "define")
                continue;
            var name = Required(node, "name", "<define>");
            var value = Required(node, "value", "<define>");
            if (name is null || value is null)
                continue;
            CheckAttributes(node, s_defineAttributes, "define");
            if (!seen.Add(Naming.Key(name)))
                Report(DiagnosticDescriptors.DuplicateDeclaration, node.Attribute("name")!, "define", name);
            else if (Naming.Pascal(name) == DefinesClass)
                Report(DiagnosticDescriptors.MemberNamedLikeType, node.Attribute("name")!, $"define '{name}'", DefinesClass, "the <define>s");
            else if (ClaimIdentifier(identifiers, name, $"define '{name}'", node.Attribute("name")!, "in <define>s"))
                result.Add(TypedDefine(new DefineSpec(name, value, node.Text)));
        }
        return result;
    }

    private void ParseEnums(ModelNode root)
    {
        foreach (var node in root.Children)
        {
            if (node.Name != "enum")
                continue;
            CheckAttributes(node, s_enumAttributes, "enum");
            var name = Required(node, "name", "<enum>");
            if (name is null)
                continue;
            var size = 1;
            var sizeAttribute = node.Attribute("size");
            if (sizeAttribute is not null && !TryNumberSize(sizeAttribute.Value, out size))
            {
                Report(DiagnosticDescriptors.BadEnum, sizeAttribute, name, $"size '{sizeAttribute.Value}' must be 1, 2, 4 or 8");
                size = 1;
            }
            var values = new List<EnumValueSpec>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var identifiers = new Dictionary<string, string>(StringComparer.Ordinal);
            var numbers = new HashSet<ulong>();
            foreach (var v in node.Children)
            {
                if (v.Name != "value")
                {
                    Report(DiagnosticDescriptors.UnknownElement, v, v.Name);
                    continue;
                }
                CheckAttributes(v, s_defineAttributes, "value");
                var valueName = Required(v, "name", "<value>");
                var valueAttribute = v.Attribute("value");
                if (valueName is null)
                    continue;
                if (valueAttribute is null)
                {
                    Report(DiagnosticDescriptors.MissingAttribute, v, $"enum value '{valueName}'", "value");
                    continue;
                }
                if (!ulong.TryParse(valueAttribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || !Fits(number, size * 8))
                {
                    Report(DiagnosticDescriptors.BadEnum, valueAttribute, name, $"value '{valueAttribute.Value}' of '{valueName}' is not a number that fits in {size} octet(s)");
                    continue;
                }
                if (!names.Add(Naming.Key(valueName)))
                    Report(DiagnosticDescriptors.BadEnum, v.Attribute("name")!, name, $"'{valueName}' is named twice");
                else if (!numbers.Add(number))
                    Report(DiagnosticDescriptors.BadEnum, valueAttribute, name, $"value {number} is used twice");
                else if (ClaimIdentifier(identifiers, valueName, $"value '{valueName}'", v.Attribute("name")!, $"in enum '{name}'"))
                    values.Add(new EnumValueSpec(valueName, number, v.Text));
            }
            if (values.Count == 0)
                Report(DiagnosticDescriptors.BadEnum, node, name, "it has no values");
            if (_enums.ContainsKey(Naming.Key(name)) || _types.ContainsKey(Naming.Key(name)))
                Report(DiagnosticDescriptors.DuplicateDeclaration, node.Attribute("name")!, "enum", name);
            else
                _enums[Naming.Key(name)] = new EnumSpec(name, node.Text, size, values.ToEquatableArray());
        }
    }

    private void ParseTypes(ModelNode root)
    {
        // Types may reference enums and built-ins only, so one pass in document order suffices.
        foreach (var node in root.Children)
        {
            if (node.Name != "type")
                continue;
            CheckAttributes(node, s_typeAttributes, "type");
            var name = Required(node, "name", "<type>");
            if (name is null)
                continue;
            var fields = new List<ParsedField>();
            foreach (var child in node.Children)
            {
                if (child.Name != "field")
                {
                    Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
                    continue;
                }
                var field = ParseField(child, inHeader: false);
                if (field is null)
                    continue;
                if (field.Spec.Kind is FieldKind.Frame or FieldKind.Msg or FieldKind.Composite || field.Spec.Rest || field.Spec.Bits > 0)
                {
                    Report(DiagnosticDescriptors.TypeNotAllowed, field.Node, field.Spec.Name, $"a composite type holds plain inline fields; {Describe(field.Spec)} is not allowed in type '{name}'");
                    continue;
                }
                fields.Add(field);
            }
            CheckDuplicateFields($"type '{name}'", fields, reportFrom: 0, Naming.Pascal(name));
            if (_types.ContainsKey(Naming.Key(name)) || _enums.ContainsKey(Naming.Key(name)))
                Report(DiagnosticDescriptors.DuplicateDeclaration, node.Attribute("name")!, "type", name);
            else
                _types[Naming.Key(name)] = new TypeSpec(name, node.Text, fields.ConvertAll(f => f.Spec).ToEquatableArray());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>A define with its number parsed once here, so code generation never parses text.</summary>
    private static DefineSpec TypedDefine(DefineSpec define)
    {
        var text = define.Value.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed))
            return define with { SignedValue = signed };
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
            return define with { UnsignedValue = unsigned };
        return define;
    }

    /// <summary>
    /// Claims the C# identifier of <paramref name="name"/> in a scope; reports ZP2021 and returns
    /// false when it has none, or when another name of the scope already became it.
    /// </summary>
    private bool ClaimIdentifier(Dictionary<string, string> taken, string name, string what, IHasPosition at, string scope)
    {
        var identifier = Naming.Pascal(name);
        if (identifier.Length == 0)
        {
            Report(DiagnosticDescriptors.NameClash, at, $"{what} {scope} has no letters or digits to make an identifier from");
            return false;
        }
        if (taken.TryGetValue(identifier, out var other))
        {
            Report(DiagnosticDescriptors.NameClash, at, $"{what} and {other} {scope} both become '{identifier}'");
            return false;
        }
        taken[identifier] = what;
        return true;
    }

    private string? Required(ModelNode node, string attribute, string what)
    {
        var value = node.Value(attribute);
        if (value is null || value.Trim().Length == 0)
        {
            Report(DiagnosticDescriptors.MissingAttribute, node, what, attribute);
            return null;
        }
        return value.Trim();
    }

    private void CheckAttributes(ModelNode node, HashSet<string> known, string what)
    {
        foreach (var a in node.Attributes)
        {
            if (!known.Contains(a.Name))
                Report(DiagnosticDescriptors.UnknownAttribute, a, what, node.Value("name") ?? "", a.Name);
        }
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    private static bool TryNumberSize(string text, out int size) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out size) && size is 1 or 2 or 4 or 8;

    private static bool Fits(ulong value, int bits) => bits >= 64 || value >> bits == 0;

    private void Report(DiagnosticDescriptor d, IHasPosition at, params object[] args) =>
        _diagnostics.Add(XmlModelReader.Diag(d, at.File, at.Line, at.Column, args));

    /// <summary>Reports once per (id, node): header fields are checked again with every message's fields.</summary>
    private void ReportOnce(DiagnosticDescriptor d, IHasPosition at, params object[] args)
    {
        if (_reported.Add((d.Id, at)))
            Report(d, at, args);
    }

    /// <summary>The attribute <paramref name="name"/> of <paramref name="node"/>, or the node when it has none.</summary>
    private static IHasPosition At(ModelNode node, string name) => (IHasPosition?)node.Attribute(name) ?? node;

    /// <summary>A field spec with the node it came from, for positions while validating.</summary>
    private sealed record ParsedField(FieldSpec Spec, ModelNode Node);
}
