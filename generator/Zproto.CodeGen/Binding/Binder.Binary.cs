using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Zproto.CodeGen.Rendering;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Specs;

namespace Zproto.CodeGen.Binding;

public static partial class Binder
{
    internal const string ErrorKindName = CSharp.Wire + ".DecodeErrorKind";

    private static ProtocolView BindBinary(ProtocolView view, BindContext context)
    {
        var spec = context.Spec;
        var discriminated = spec.HasDiscriminator;
        var headerOps = new List<OpView>();
        var discriminatorLocal = "";
        var headerSize = 0;
        var idOffset = spec.PubSub ? 0 : 2;
        if (discriminated)
        {
            // Header fields are read once, before the switch on the discriminator, into method-level locals.
            var header = new FieldEmitter(context, "Header", "h", idLiteral: null);
            foreach (var f in spec.Header)
                header.Add(f);
            header.Flush();
            headerOps.AddRange(header.Ops);
            headerSize = header.FixedSize;
            foreach (var f in spec.Header)
                if (f.Discriminator) discriminatorLocal = FieldEmitter.LocalName(f.Name);
            idOffset = DiscriminatorOffset(spec);
        }

        var messages = new List<MessageView>();
        var needsFrames = false;
        var usesFrameCount = false;
        foreach (var m in spec.Messages)
        {
            var className = Naming.Pascal(m.Name);
            var emitter = new FieldEmitter(context, className, "b", idLiteral: CSharp.Number(m.Id), onFail: "return null;");
            var properties = new List<PropertyView>();
            var order = 0;
            foreach (var f in spec.Header)
            {
                if (!f.Discriminator)
                    properties.Add(Property(context, f, order));
                order++;
            }
            foreach (var f in m.Fields)
                properties.Add(Property(context, f, order++));

            // In zproto layouts header fields are ordinary leading fields; with a discriminator they
            // were read before dispatch, but each message still writes them (with its own id).
            var writeOnly = discriminated ? new FieldEmitter(context, "Header", "h", idLiteral: CSharp.Number(m.Id)) : null;
            foreach (var f in spec.Header)
            {
                if (writeOnly is not null) writeOnly.Add(f);
                else emitter.Add(f);
            }
            writeOnly?.Flush();
            foreach (var f in m.Fields)
                emitter.Add(f);
            emitter.Flush();

            var construct = new List<string>(emitter.Construct);
            if (discriminated)
            {
                foreach (var f in spec.Header)
                {
                    if (!f.Discriminator && f.Value is null)
                        construct.Insert(0, $"{Naming.Pascal(f.Name)} = {FieldEmitter.LocalName(f.Name)}");
                }
            }

            var prefixSize = spec.PubSub ? 2 : discriminated ? 0 : 3;
            var ops = new List<OpView>();
            if (writeOnly is not null)
            {
                // Header writes come first; their reads already happened before the switch.
                foreach (var op in writeOnly.Ops)
                    ops.Add(op with { Read = "", AfterRead = EquatableArray<string>.Empty, Checks = EquatableArray<string>.Empty });
            }
            ops.AddRange(emitter.Ops);
            var sizeTerms = new List<string>(emitter.SizeTerms);
            var boundTerms = new List<string>(emitter.BoundTerms);
            if (writeOnly is not null)
            {
                sizeTerms.InsertRange(0, writeOnly.SizeTerms);
                boundTerms.InsertRange(0, writeOnly.BoundTerms);
            }
            if (spec.PubSub)
            {
                sizeTerms.Insert(0, $"{CSharp.Wire}.WireSize.Topic(this.Topic)");
                boundTerms.Insert(0, $"{CSharp.Wire}.WireSize.Topic(this.Topic)");
            }
            var checks = new CodeWriter();
            if (writeOnly is not null)
                checks.WriteLines(writeOnly.EncodeChecks.ToLines());
            checks.WriteLines(emitter.EncodeChecks.ToLines());
            needsFrames |= emitter.FrameOps.Count > 0;
            var endsWithMsg = emitter.FrameOps.Count > 0 && emitter.FrameOps[emitter.FrameOps.Count - 1].IsMsg;
            var decodeParameters = new List<(string Type, string Name)>();
            if (spec.PubSub)
                decodeParameters.Add(("string", "topic"));
            if (discriminated)
            {
                // Header values were read before dispatch; the message's record takes them as they are.
                foreach (var f in spec.Header)
                {
                    if (!f.Discriminator && f.Value is null)
                        decodeParameters.Add((PropertyType(context, f), FieldEmitter.LocalName(f.Name)));
                }
            }
            if (emitter.FrameOps.Count > 0)
                decodeParameters.Add(($"global::System.Collections.Generic.IReadOnlyList<global::System.ReadOnlyMemory<byte>>?", "frames"));
            var checksFrames = !endsWithMsg || emitter.FrameOps.Exists(op => !op.IsMsg);
            if (checksFrames)
                decodeParameters.Add(("int", "frameCount"));
            usesFrameCount |= checksFrames;
            messages.Add(new MessageView
            {
                ModelName = m.Name,
                ClassName = className,
                Id = CSharp.Number(m.Id),
                Record = Record(className, m.Doc, $"The {m.Name} message.", properties, hasBase: true),
                FixedSize = prefixSize + (writeOnly?.FixedSize ?? 0) + emitter.FixedSize,
                SizeTerms = sizeTerms.ToEquatableArray(),
                BoundTerms = boundTerms.SequenceEqual(sizeTerms) ? EquatableArray<string>.Empty : boundTerms.ToEquatableArray(),
                EncodeChecks = checks.ToLines(),
                Ops = ops.ToEquatableArray(),
                Frames = emitter.FrameOps.ToEquatableArray(),
                HasExtraFrames = emitter.FrameOps.Count > 0,
                EndsWithMsg = endsWithMsg,
                DecodeParameters = string.Concat(decodeParameters.ConvertAll(p => $", {p.Type} {p.Name}")),
                DecodeArguments = string.Concat(decodeParameters.ConvertAll(p => ", " + p.Name)),
                FrameCount = 1 + emitter.FrameOps.Count,
                Construct = ConstructExpression($"{context.QualifiedClass}.{className}", construct, spec.PubSub),
            });
        }

        var idType = "byte";
        foreach (var f in spec.Header)
            if (f.Discriminator) idType = PropertyType(context, f);
        return view with
        {
            HasZprotoPrefix = !discriminated && !spec.PubSub,
            IsPubSub = spec.PubSub,
            Utf8Strings = spec.Utf8Strings,
            HasDiscriminator = discriminated,
            SignatureByte = "0x" + ((0xA0 | spec.Signature) & 0xFF).ToString("X2", CultureInfo.InvariantCulture),
            HasMaxSize = spec.MaxSize > 0 && spec.Framing == Framing.Datagram,
            NeedsFramesForDecode = needsFrames,
            UsesFrameCount = usesFrameCount,
            IdType = idType,
            HeaderOps = headerOps.ToEquatableArray(),
            DiscriminatorLocal = discriminatorLocal,
            IdOffset = idOffset,
            Messages = messages.ToEquatableArray(),
            ListItemMethods = context.ListItemMethods,
        };
    }

    /// <summary>
    /// The octet that holds the discriminator: header fields before it are bit fields or fixed-size
    /// numbers, so their widths add up. Falls back to 0 if a variable-size field came first.
    /// </summary>
    private static int DiscriminatorOffset(ProtocolSpec spec)
    {
        var bits = 0;
        foreach (var f in spec.Header)
        {
            if (f.Discriminator)
                return bits / 8;
            if (f.Bits > 0)
                bits += f.Bits;
            else if (f.Kind is FieldKind.Number or FieldKind.Integer)
                bits += f.Size * 8;
            else if (f.Kind == FieldKind.Boolean)
                bits += 8;
            else
                return 0;
        }
        return 0;
    }

    /// <summary><c>new T { A = fA, ... }</c> for the decoded record.</summary>
    internal static string ConstructExpression(string type, List<string> assignments, bool pubsub)
    {
        var all = new List<string>(assignments);
        if (pubsub)
            all.Insert(0, "Topic = topic");
        return all.Count == 0 ? $"new {type}()" : $"new {type} {{ {string.Join(", ", all)} }}";
    }

    /// <summary>The C# type of a field's property.</summary>
    internal static string PropertyType(BindContext context, FieldSpec f)
    {
        switch (f.Kind)
        {
            case FieldKind.Number: return CSharp.UnsignedType(f.Bits > 0 ? f.Bits : f.Size * 8);
            case FieldKind.Integer: return CSharp.SignedType(f.Bits > 0 ? f.Bits : f.Size * 8);
            case FieldKind.Boolean: return "bool";
            case FieldKind.Octets:
            case FieldKind.Chunk:
            case FieldKind.Frame: return "global::System.ReadOnlyMemory<byte>";
            case FieldKind.String:
            case FieldKind.Longstr: return IsUtf8Text(context, f) ? CSharp.Wire + ".Utf8Text" : "string";
            case FieldKind.Strings: return "global::System.Collections.Generic.IReadOnlyList<string>";
            case FieldKind.Hash: return CSharp.Wire + ".ZprotoHash";
            case FieldKind.Uuid: return "global::System.Guid";
            case FieldKind.Msg: return "global::System.Collections.Generic.IReadOnlyList<global::System.ReadOnlyMemory<byte>>?";
            case FieldKind.Composite: return context.QualifiedClass + "." + Naming.Pascal(context.Type(f.TypeRef).Name);
            case FieldKind.Enum: return context.QualifiedClass + "." + Naming.Pascal(context.Enum(f.TypeRef).Name);
            case FieldKind.List: return $"global::System.Collections.Generic.IReadOnlyList<{PropertyType(context, f.Item!)}>";
            default: throw new InvalidOperationException(f.Kind.ToString());
        }
    }

    /// <summary>
    /// A <c>string</c> or <c>longstr</c> field held as validated UTF-8 (<c>strings = "utf8"</c>). Constants
    /// and rest-of-frame text stay <see cref="string"/>, as do the items of <c>strings</c> and <c>hash</c>.
    /// </summary>
    internal static bool IsUtf8Text(BindContext context, FieldSpec f) =>
        context.Spec.Utf8Strings && f.Kind is FieldKind.String or FieldKind.Longstr && f.Value is null && !f.Rest;

    private static string Initializer(BindContext context, FieldSpec f)
    {
        switch (f.Kind)
        {
            case FieldKind.String:
            case FieldKind.Longstr: return IsUtf8Text(context, f) ? "" : " = \"\";";
            case FieldKind.Strings: return " = global::System.Array.Empty<string>();";
            case FieldKind.Hash: return $" = {CSharp.Wire}.ZprotoHash.Empty;";
            case FieldKind.Composite: return " = new();";
            case FieldKind.List: return $" = global::System.Array.Empty<{PropertyType(context, f.Item!)}>();";
            case FieldKind.Enum:
                var e = context.Enum(f.TypeRef);
                return $" = {PropertyType(context, f)}.{Naming.Pascal(e.Values[0].Name)};";
            default: return "";
        }
    }

    internal static PropertyView Property(BindContext context, FieldSpec f, int order)
    {
        var type = PropertyType(context, f);
        var constant = f.Value is null ? "" : ConstantExpression(f);
        var doc = f.Doc.Length > 0 ? f.Doc : f.Name;
        if (f.Value is not null)
            doc += $"\nAlways {f.Value}: written by the encoder and checked by the decoder.";
        if (f.Kind == FieldKind.Msg)
            doc += f.Packed
                ? "\nNull means unset, which is packed as one empty frame; an empty list packs no frames."
                : "\nNull means unset, which zproto encodes as one empty frame; an empty list sends no frames.";
        var attribute = $"{CSharp.Literal(f.Name)}, {order}, Type = {CSharp.Literal(f.Type)}" + (f.Value is null ? "" : ", IsConstant = true");
        return new PropertyView
        {
            Name = Naming.Pascal(f.Name),
            Type = type,
            DocLines = CSharp.DocLines(doc, f.Name),
            Initializer = f.Value is null ? Initializer(context, f) : "",
            IsConstant = f.Value is not null,
            ConstantExpression = constant,
            FieldAttributeArguments = attribute,
        };
    }

    private static string ConstantExpression(FieldSpec f) =>
        FieldEmitter.NumberConstant(f) ?? CSharp.Literal(f.Value!);
}
