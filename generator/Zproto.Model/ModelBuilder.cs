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
    private static readonly HashSet<string> s_classChildren = new(StringComparer.Ordinal)
        { "define", "header", "message", "type", "enum", "grammar", "license", "test" };

    // Names the generated protocol class uses for itself; a message or type may not take them.
    private static readonly HashSet<string> s_reservedTypeNames = new(StringComparer.Ordinal) { "Message", "MessageId", "Defines", "TagStyle" };
    // Members every generated record has; a field may not take them.
    private static readonly HashSet<string> s_reservedMemberNames = new(StringComparer.Ordinal)
        { "MessageId", "EqualityContract", "Equals", "GetHashCode", "ToString", "GetType", "PrintMembers", "Deconstruct", "MemberwiseClone", "Finalize" };

    private readonly List<ModelDiagnostic> _diagnostics;
    private readonly Dictionary<string, TypeSpec> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EnumSpec> _enums = new(StringComparer.Ordinal);
    private Framing _framing;

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
        _framing = ParseFraming(root);
        var maxSize = ParseMaxSize(root);

        foreach (var child in root.Children)
        {
            if (!s_classChildren.Contains(child.Name))
                Report(DiagnosticDescriptors.UnknownElement, child, child.Name);
        }

        var defines = ParseDefines(root);
        ParseEnums(root);
        ParseTypes(root);
        var header = ParseHeader(root);
        var messages = ParseMessages(root, header);
        if (messages.Count == 0)
            Report(DiagnosticDescriptors.NoMessages, root, name ?? "");

        CheckDiscriminator(root, header, messages, signature, pubsub);
        CheckTypeNames(root, name ?? "");

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

    private int ParseMaxSize(ModelNode root)
    {
        var attribute = root.Attribute("max_size");
        if (attribute is null)
            return 0;
        if (!int.TryParse(attribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            Report(DiagnosticDescriptors.InvalidAttribute, attribute, "<class>", "max_size", "must be a positive number of octets");
            return 0;
        }
        if (_framing != Framing.Datagram)
            Report(DiagnosticDescriptors.FramingConflict, attribute, "max_size applies to framing=\"datagram\" protocols");
        return value;
    }

    // ---- defines, enums, types --------------------------------------------------------------

    private List<DefineSpec> ParseDefines(ModelNode root)
    {
        var result = new List<DefineSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in root.Children)
        {
            if (node.Name != "define")
                continue;
            var name = Required(node, "name", "<define>");
            var value = Required(node, "value", "<define>");
            if (name is null || value is null)
                continue;
            if (!seen.Add(Naming.Key(name)))
                Report(DiagnosticDescriptors.DuplicateDeclaration, node.Attribute("name")!, "define", name);
            else
                result.Add(new DefineSpec(name, value, node.Text));
        }
        return result;
    }

    private void ParseEnums(ModelNode root)
    {
        foreach (var node in root.Children)
        {
            if (node.Name != "enum")
                continue;
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
            var numbers = new HashSet<ulong>();
            foreach (var v in node.Children)
            {
                if (v.Name != "value")
                {
                    Report(DiagnosticDescriptors.UnknownElement, v, v.Name);
                    continue;
                }
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
                else
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
            CheckDuplicateFields($"type '{name}'", fields);
            if (_types.ContainsKey(Naming.Key(name)) || _enums.ContainsKey(Naming.Key(name)))
                Report(DiagnosticDescriptors.DuplicateDeclaration, node.Attribute("name")!, "type", name);
            else
                _types[Naming.Key(name)] = new TypeSpec(name, node.Text, fields.ConvertAll(f => f.Spec).ToEquatableArray());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

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

    /// <summary>A field spec with the node it came from, for positions while validating.</summary>
    private sealed record ParsedField(FieldSpec Spec, ModelNode Node);
}
