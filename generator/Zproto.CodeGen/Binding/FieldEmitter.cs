using System;
using System.Collections.Generic;
using System.Text;
using Zproto.CodeGen.Rendering;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Specs;

namespace Zproto.CodeGen.Binding;

/// <summary>
/// Builds the encode and decode steps for a run of binary fields: frame-0 ops (with runs of bit
/// fields packed into shared octets), size terms, encode-time checks, extra-frame ops and the
/// decoded record's initializer. Writes read <c>this.Property</c>; reads fill locals named
/// <c>fProperty</c>, which cannot collide with the decoder's own locals. Every statement is
/// written through a <see cref="CodeWriter"/>; a failed decode check runs <paramref name="onFail"/>.
/// A list's items are measured, written and read by private static methods named for
/// <paramref name="owner"/> (the message, or <c>Header</c>) and the field, collected in the context.
/// </summary>
internal sealed class FieldEmitter(Binder.BindContext context, string owner, string groupPrefix, string? idLiteral, string onFail = "goto fail;")
{
    private const string W = CSharp.Wire;
    private readonly List<FieldSpec> _bitRun = new();
    private int _groups;

    public List<OpView> Ops { get; } = new();
    public List<string> SizeTerms { get; } = new();
    /// <summary>
    /// The same terms as <see cref="SizeTerms"/>, except that a text value's is an upper bound that
    /// needs no UTF-8 count (see WireSize.StringBound).
    /// </summary>
    public List<string> BoundTerms { get; } = new();
    /// <summary>Statements run before encoding, over <c>this</c>.</summary>
    public CodeWriter EncodeChecks { get; } = new();
    public List<string> Construct { get; } = new();
    public List<FrameOpView> FrameOps { get; } = new();
    public int FixedSize { get; private set; }

    public static string LocalName(string fieldName) => "f" + Naming.Pascal(fieldName);

    public void Add(FieldSpec f)
    {
        if (f.Bits > 0)
        {
            _bitRun.Add(f);
            var total = 0;
            foreach (var b in _bitRun) total += b.Bits;
            if (total % 8 == 0)
                FlushBits();
            return;
        }
        FlushBits();
        if (f.Kind == FieldKind.Frame || (f.Kind == FieldKind.Msg && !f.Packed))
        {
            FrameOps.Add(new FrameOpView
            {
                Field = f.Name,
                Local = LocalName(f.Name),
                Property = Naming.Pascal(f.Name),
                IsMsg = f.Kind == FieldKind.Msg,
                Index = FrameOps.Count + 1,
            });
            Construct.Add($"{Naming.Pascal(f.Name)} = {LocalName(f.Name)}");
            return;
        }
        var value = AddField(f, "this." + Naming.Pascal(f.Name), LocalName(f.Name), f.Name);
        if (f.Value is null)
            Construct.Add($"{Naming.Pascal(f.Name)} = {value}");
    }

    private void AddSize(string exact, string? bound = null)
    {
        SizeTerms.Add(exact);
        BoundTerms.Add(bound ?? exact);
    }

    /// <summary>Ends any open run of bit fields (the model checks guarantee runs fill whole octets).</summary>
    public void Flush() => FlushBits();

    /// <summary>Adds the op for one byte-aligned field; returns the expression for its decoded value.</summary>
    private string AddField(FieldSpec f, string access, string local, string wireName)
    {
        var name = CSharp.Literal(wireName);
        var type = Binder.PropertyType(context, f);
        switch (f.Kind)
        {
            case FieldKind.Number:
            case FieldKind.Integer:
            {
                var method = (f.Kind == FieldKind.Number ? "Number" : "Integer") + f.Size;
                FixedSize += f.Size;
                var checks = new CodeWriter();
                var constant = NumberConstant(f);
                if (constant is not null)
                    Fail(checks, $"{local} != {constant}", $"r.Fail({Binder.ErrorKindName}.ConstantMismatch, {name}, r.Position - {f.Size}, (long){local});");
                Ops.Add(new OpView
                {
                    Write = $"w.Write{method}({constant ?? access});",
                    Read = $"r.TryRead{method}({name}, out var {local})",
                    Checks = checks.ToLines(),
                });
                return local;
            }
            case FieldKind.Boolean:
                FixedSize += 1;
                Ops.Add(new OpView { Write = $"w.WriteBoolean({access});", Read = $"r.TryReadBoolean({name}, out var {local})" });
                return local;
            case FieldKind.Enum:
            {
                var e = context.Enum(f.TypeRef);
                FixedSize += e.Size;
                var raw = local + "Raw";
                WriteEnumEncodeCheck(EncodeChecks, e, access, name);
                var checks = new CodeWriter();
                WriteEnumCheck(checks, e, raw, name, $"r.Position - {e.Size}", onFail);
                Ops.Add(new OpView
                {
                    Write = $"w.WriteNumber{e.Size}(({CSharp.UnsignedType(e.Size * 8)}){access});",
                    Read = $"r.TryReadNumber{e.Size}({name}, out var {raw})",
                    Checks = checks.ToLines(),
                });
                return $"({type}){raw}";
            }
            case FieldKind.Octets:
                FixedSize += f.Size;
                EncodeChecks.WriteLine($"{W}.WireSize.Octets({access}, {f.Size}, {name});");
                Ops.Add(new OpView { Write = $"w.WriteOctets({access}.Span, {f.Size});", Read = $"r.TryReadOctets({name}, {f.Size}, out var {local})" });
                return local;
            case FieldKind.String:
            case FieldKind.Longstr:
            {
                var method = f.Rest ? "RestString" : f.Kind == FieldKind.String ? "String" : "Longstr";
                // Utf8Text values are written through the same-named overloads but read without transcoding.
                var readMethod = Utf8Prefix(f) + method;
                if (f.Value is not null && !f.Rest)
                {
                    // A constant is compared as UTF-8 octets where it lies: nothing is decoded or allocated.
                    var suffix = f.Kind == FieldKind.String ? "String" : "Longstr";
                    FixedSize += (f.Kind == FieldKind.String ? 1 : 4) + Encoding.UTF8.GetByteCount(f.Value);
                    Ops.Add(new OpView
                    {
                        Write = $"w.Write{method}({CSharp.Literal(f.Value)});",
                        Read = $"r.TryReadConstant{suffix}({name}, {CSharp.Literal(f.Value)}u8)",
                    });
                    return local;
                }
                var checks = new CodeWriter();
                if (f.Value is not null)
                {
                    // A rest-of-frame constant: the mismatch is reported where the text starts.
                    FixedSize += Encoding.UTF8.GetByteCount(f.Value);
                    Fail(checks, $"{local} != {CSharp.Literal(f.Value)}",
                        $"r.Fail({Binder.ErrorKindName}.ConstantMismatch, {name}, r.Position - global::System.Text.Encoding.UTF8.GetByteCount({local}));");
                }
                else
                {
                    var exact = f.Kind == FieldKind.String && !f.Rest ? $"{W}.WireSize.String({access}, {name})" : $"{W}.WireSize.{method}({access})";
                    AddSize(exact, f.Rest || Binder.IsUtf8Text(context, f) ? exact
                        : f.Kind == FieldKind.String ? $"{W}.WireSize.StringBound({access}, {name})" : $"{W}.WireSize.LongstrBound({access})");
                }
                Ops.Add(new OpView
                {
                    Write = $"w.Write{method}({(f.Value is null ? access : CSharp.Literal(f.Value))});",
                    Read = $"r.TryRead{readMethod}({name}, out var {local})",
                    Checks = checks.ToLines(),
                });
                return local;
            }
            case FieldKind.Strings:
                AddSize($"{W}.WireSize.Strings({access})");
                Ops.Add(new OpView { Write = $"w.WriteStrings({access});", Read = $"r.TryReadStrings({name}, out var {local})" });
                return local;
            case FieldKind.Hash:
                AddSize($"{W}.WireSize.Hash({access}, {name})");
                Ops.Add(new OpView { Write = $"w.WriteHash({access});", Read = $"r.TryReadHash({name}, out var {local})" });
                return local;
            case FieldKind.Chunk when f.Rest:
                AddSize($"{access}.Length");
                Ops.Add(new OpView { Write = $"w.WriteRaw({access}.Span);", Read = $"r.TryReadRestBytes({name}, out var {local})" });
                return local;
            case FieldKind.Chunk:
                AddSize($"{W}.WireSize.Chunk({access})");
                Ops.Add(new OpView { Write = $"w.WriteChunk({access}.Span);", Read = $"r.TryReadChunk({name}, out var {local})" });
                return local;
            case FieldKind.Uuid:
                FixedSize += 16;
                Ops.Add(new OpView { Write = $"w.WriteUuid({access});", Read = $"r.TryReadUuid({name}, out var {local})" });
                return local;
            case FieldKind.Msg:
                AddSize($"{W}.WireSize.PackedFrames({access})");
                Ops.Add(new OpView { Write = $"w.WritePackedFrames({access});", Read = $"r.TryReadPackedFrames({name}, out var {local})" });
                return local;
            case FieldKind.Composite:
            {
                var t = context.Type(f.TypeRef);
                var parts = new List<string>();
                foreach (var sub in t.Fields)
                {
                    var subValue = AddField(sub, $"{access}.{Naming.Pascal(sub.Name)}", local + Naming.Pascal(sub.Name), wireName + "." + sub.Name);
                    if (sub.Value is null)
                        parts.Add($"{Naming.Pascal(sub.Name)} = {subValue}");
                }
                return $"new {type} {{ {string.Join(", ", parts)} }}";
            }
            case FieldKind.List:
            {
                var item = f.Item!;
                var methods = ListItemMethods(item, wireName);
                // The item type cannot be inferred from a method group and an 'out var'.
                AddSize($"{W}.WireSize.List({access}, {methods.Size})");
                Ops.Add(new OpView
                {
                    Write = $"w.WriteList({access}, {methods.Write});",
                    Read = $"r.TryReadList<{Binder.PropertyType(context, item)}>({name}, {methods.MinSize}, {methods.Read}, out var {local})",
                });
                return local;
            }
            default:
                throw new InvalidOperationException($"{f.Kind} is not a frame-0 field");
        }
    }

    /// <summary>
    /// Adds the three methods that measure, write and read one item of the list field
    /// <paramref name="wireName"/> to the context; returns their names and the item's least size.
    /// Items are checked (enum values, octets sizes, ...) where they are measured, before anything is written.
    /// </summary>
    private (string Size, string Write, string Read, int MinSize) ListItemMethods(FieldSpec item, string wireName)
    {
        var name = CSharp.Literal(wireName);
        var itemType = Binder.PropertyType(context, item);
        var size = new CodeWriter();
        var write = new CodeWriter();
        var read = new CodeWriter();
        int minSize;
        switch (item.Kind)
        {
            case FieldKind.Boolean or FieldKind.String or FieldKind.Longstr or FieldKind.Chunk or FieldKind.Uuid or FieldKind.Hash or FieldKind.Strings:
            {
                // One call each: the item's size, its write and its read.
                var (itemSize, itemWrite, itemRead, least) = item.Kind switch
                {
                    FieldKind.Boolean => ("1", "w.WriteBoolean(item);", $"r.TryReadBoolean({name}, out item)", 1),
                    FieldKind.String => ($"{W}.WireSize.String(item, {name})", "w.WriteString(item);", $"r.TryRead{Utf8Prefix(item)}String({name}, out item)", 1),
                    FieldKind.Longstr => ($"{W}.WireSize.Longstr(item)", "w.WriteLongstr(item);", $"r.TryRead{Utf8Prefix(item)}Longstr({name}, out item)", 4),
                    FieldKind.Chunk => ($"{W}.WireSize.Chunk(item)", "w.WriteChunk(item.Span);", $"r.TryReadChunk({name}, out item)", 4),
                    FieldKind.Uuid => ("16", "w.WriteUuid(item);", $"r.TryReadUuid({name}, out item)", 16),
                    FieldKind.Hash => ($"{W}.WireSize.Hash(item, {name})", "w.WriteHash(item);", $"r.TryReadHash({name}, out item)", 4),
                    _ => ($"{W}.WireSize.Strings(item)", "w.WriteStrings(item);", $"r.TryReadStrings({name}, out item)", 4),
                };
                size.WriteLine($"return {itemSize};");
                write.WriteLine(itemWrite);
                read.WriteLine($"return {itemRead};");
                minSize = least;
                break;
            }
            case FieldKind.Enum:
            {
                var e = context.Enum(item.TypeRef);
                WriteEnumEncodeCheck(size, e, "item", name);
                size.WriteLine($"return {CSharp.Number(e.Size)};");
                write.WriteLine($"w.WriteNumber{e.Size}(({CSharp.UnsignedType(e.Size * 8)})item);");
                read.WriteLine("item = default;");
                ReturnFalseUnless(read, $"r.TryReadNumber{e.Size}({name}, out var raw)");
                WriteEnumCheck(read, e, "raw", name, $"r.Position - {e.Size}", "return false;");
                read.WriteLine($"item = ({itemType})raw;").WriteLine("return true;");
                minSize = e.Size;
                break;
            }
            case FieldKind.Composite:
            {
                // A composite item is read with a nested emitter over "item", then constructed.
                var nested = new FieldEmitter(context, owner, "c", null, "return false;");
                var value = nested.AddField(item, "item", "i", wireName);
                size.WriteLines(nested.EncodeChecks.ToLines());
                var terms = new List<string>(nested.SizeTerms);
                if (nested.FixedSize > 0 || terms.Count == 0)
                    terms.Insert(0, CSharp.Number(nested.FixedSize));
                if (terms.Count == 1)
                {
                    size.WriteLine($"return {terms[0]};");
                }
                else
                {
                    size.WriteLine($"return {terms[0]}");
                    size.Indent();
                    for (var i = 1; i < terms.Count; i++)
                        size.WriteLine($"+ {terms[i]}" + (i == terms.Count - 1 ? ";" : ""));
                    size.Unindent();
                }
                foreach (var op in nested.Ops)
                    write.WriteLine(op.Write);
                // An out value must be assigned on every path, the failed reads' included.
                read.WriteLine("item = default!;");
                foreach (var op in nested.Ops)
                {
                    ReturnFalseUnless(read, op.Read);
                    read.WriteLines(op.AfterRead);
                    read.WriteLines(op.Checks);
                }
                read.WriteLine($"item = {value};").WriteLine("return true;");
                minSize = Math.Max(1, nested.FixedSize);
                break;
            }
            default:
                throw new InvalidOperationException($"{item.Kind} cannot be a list item");
        }

        var stem = owner;
        foreach (var part in wireName.Split('.'))
            stem += Naming.Pascal(part);
        context.AddListItemMethod(Method($"private static int Get{stem}ItemLength({itemType} item)", size));
        context.AddListItemMethod(Method($"private static void Write{stem}Item(ref {W}.ZprotoWriter w, {itemType} item)", write));
        context.AddListItemMethod(Method($"private static bool TryRead{stem}Item(ref {W}.ZprotoReader r, out {itemType} item)", read));
        return ($"Get{stem}ItemLength", $"Write{stem}Item", $"TryRead{stem}Item", minSize);
    }

    private static void ReturnFalseUnless(CodeWriter w, string read)
    {
        w.WriteLine($"if (!{read})");
        w.Indent();
        w.WriteLine("return false;");
        w.Unindent();
    }

    /// <summary>A method with <paramref name="body"/>: expression-bodied when the body is one statement.</summary>
    private static EquatableArray<string> Method(string signature, CodeWriter body)
    {
        var lines = body.ToLines();
        var method = new CodeWriter();
        if (lines.Count == 1)
        {
            var statement = lines[0];
            method.WriteLine(signature);
            method.Indent();
            method.WriteLine("=> " + (statement.StartsWith("return ", StringComparison.Ordinal) ? statement.Substring("return ".Length) : statement));
            method.Unindent();
        }
        else
        {
            method.OpenBlock(signature).WriteLines(lines).CloseBlock();
        }
        return method.ToLines();
    }

    private string Utf8Prefix(FieldSpec f) => Binder.IsUtf8Text(context, f) ? "Utf8" : "";

    /// <summary>The C# literal of a number or integer field's constant (typed in the spec), or null.</summary>
    internal static string? NumberConstant(FieldSpec f) =>
        f.UnsignedValue is { } u ? CSharp.Number(u) : f.SignedValue is { } s ? CSharp.Number(s) : null;

    /// <summary>A decode check: when <paramref name="condition"/> holds, record the failure and run this emitter's fail statement.</summary>
    private void Fail(CodeWriter w, string condition, string failCall) => w.If(condition, failCall, onFail);

    /// <summary>An encode-time check that an enum value is one the model declares (the decoder rejects any other).</summary>
    private static void WriteEnumEncodeCheck(CodeWriter w, EnumSpec e, string access, string name) =>
        w.If($"!((({CSharp.UnsignedType(e.Size * 8)}){access}) is {EnumValues(e)})",
            $"throw new {W}.EncodeException({name}, \"value \" + ((ulong){access}).ToString(global::System.Globalization.CultureInfo.InvariantCulture) + {CSharp.Literal(" is not a declared value of " + e.Name)});");

    /// <summary>A decode check that a raw enum value is declared; on failure it runs <paramref name="failStatements"/>.</summary>
    private static void WriteEnumCheck(CodeWriter w, EnumSpec e, string raw, string name, string offset, params string[] failStatements)
    {
        var body = new string[failStatements.Length + 1];
        body[0] = $"r.Fail({Binder.ErrorKindName}.InvalidValue, {name}, {offset}, (long){raw});";
        failStatements.CopyTo(body, 1);
        w.If($"!({raw} is {EnumValues(e)})", body);
    }

    private static string EnumValues(EnumSpec e)
    {
        var values = new List<string>();
        foreach (var v in e.Values)
            values.Add(CSharp.Number(v.Value));
        return string.Join(" or ", values);
    }

    private void FlushBits()
    {
        if (_bitRun.Count == 0)
            return;
        var total = 0;
        foreach (var b in _bitRun) total += b.Bits;
        var octets = total / 8;
        var bitsLocal = $"{groupPrefix}bits{_groups++}";
        var parts = new List<string>();
        var after = new List<string>();
        var checks = new CodeWriter();
        var shift = total;
        foreach (var f in _bitRun)
        {
            shift -= f.Bits;
            var access = "this." + Naming.Pascal(f.Name);
            var local = LocalName(f.Name);
            var name = CSharp.Literal(f.Name);
            var mask = CSharp.Mask(f.Bits);
            string value;
            if (f.Discriminator)
                value = idLiteral is null ? "0UL" : idLiteral + "UL";
            else if (f.UnsignedValue is { } u)
                value = CSharp.Number(u) + "UL";
            else if (f.SignedValue is { } signed)
                value = CSharp.Number(unchecked((ulong)signed) & (f.Bits >= 64 ? ulong.MaxValue : (1UL << f.Bits) - 1)) + "UL";
            else if (f.Kind == FieldKind.Boolean)
                value = $"({access} ? 1UL : 0UL)";
            else if (f.Kind == FieldKind.Integer)
                value = $"((ulong)(long){access} & {mask})";
            else
                value = $"(ulong){access}";
            parts.Add(shift == 0 ? value : $"({value} << {shift})");

            var bitWidthOfType = f.Kind == FieldKind.Boolean ? 1 : (f.Bits <= 8 ? 8 : f.Bits <= 16 ? 16 : f.Bits <= 32 ? 32 : 64);
            if (!f.Discriminator && f.Value is null && f.Kind != FieldKind.Boolean && f.Bits < bitWidthOfType)
            {
                EncodeChecks.WriteLine(f.Kind == FieldKind.Integer
                    ? $"{W}.WireSize.SignedBits((long){access}, {f.Bits}, {name});"
                    : $"{W}.WireSize.Bits((ulong){access}, {f.Bits}, {name});");
            }

            var extracted = $"(({bitsLocal} >> {shift}) & {mask})";
            var type = Binder.PropertyType(context, f);
            switch (f.Kind)
            {
                case FieldKind.Boolean:
                    after.Add($"var {local} = {extracted} != 0;");
                    break;
                case FieldKind.Integer:
                    after.Add($"var {local} = ({type})((long)({extracted} << {64 - f.Bits}) >> {64 - f.Bits});");
                    break;
                case FieldKind.Enum:
                    WriteEnumEncodeCheck(EncodeChecks, context.Enum(f.TypeRef), access, name);
                    after.Add($"var {local}Raw = {extracted};");
                    WriteEnumCheck(checks, context.Enum(f.TypeRef), local + "Raw", name, $"r.Position - {octets}", onFail);
                    break;
                default:
                    after.Add($"var {local} = ({type}){extracted};");
                    break;
            }
            if (NumberConstant(f) is { } expected)
                Fail(checks, $"{local} != {expected}", $"r.Fail({Binder.ErrorKindName}.ConstantMismatch, {name}, r.Position - {octets}, (long){local});");
            if (f.Value is null && !f.Discriminator && groupPrefix != "h")
                Construct.Add($"{Naming.Pascal(f.Name)} = {(f.Kind == FieldKind.Enum ? $"({type}){local}Raw" : local)}");
        }
        FixedSize += octets;
        Ops.Add(new OpView
        {
            Write = $"w.WriteBits({string.Join(" | ", parts)}, {octets});",
            Read = $"r.TryReadBits({CSharp.Literal(_bitRun[0].Name)}, {octets}, out var {bitsLocal})",
            AfterRead = after.ToEquatableArray(),
            Checks = checks.ToLines(),
        });
        _bitRun.Clear();
    }
}
