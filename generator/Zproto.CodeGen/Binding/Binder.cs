using System;
using System.Collections.Generic;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Specs;

namespace Zproto.CodeGen.Binding;

/// <summary>
/// Turns a validated <see cref="ProtocolSpec"/> into the view model the templates render. All naming
/// and all C# expressions are decided here, once; templates only arrange them. Pure and
/// deterministic: the same spec and namespace always give an equal view.
/// </summary>
public static partial class Binder
{
    /// <summary>The tool name and version stamped into [GeneratedCode].</summary>
    public const string ToolName = "Zproto.Net";

    /// <summary>Binds <paramref name="spec"/> for emission into <paramref name="namespace"/>.</summary>
    public static ProtocolView Bind(ProtocolSpec spec, string @namespace)
    {
        var className = Naming.Pascal(spec.Name);
        var qualified = $"global::{@namespace}.{className}";
        var context = new BindContext(spec, qualified);
        var version = typeof(Binder).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
        var view = new ProtocolView
        {
            Namespace = @namespace,
            ClassName = className,
            ModelName = spec.Name,
            FileName = spec.FileName,
            Framing = spec.Framing switch { Framing.Datagram => "datagram", Framing.TextFrames => "text-frames", _ => "frames" },
            DocLines = CSharp.DocLines(JoinDoc(spec.Title, spec.Doc), $"The {spec.Name} protocol."),
            GeneratedCodeAttribute = $"[global::System.CodeDom.Compiler.GeneratedCode({CSharp.Literal(ToolName)}, {CSharp.Literal(version)})]",
            IsText = spec.Framing == Framing.TextFrames,
            MaxSize = spec.MaxSize,
            StatesMaxSize = spec.MaxSize > 0,
            MaxSizeDoc = spec.Framing == Framing.Datagram
                ? "The largest encoded message, in octets."
                : "The largest frame a peer may send, in octets (the model's max_size): generated servers give it to libzmq as ZMQ_MAXMSGSIZE unless ServerOptions.MaxMessageSize overrides it.",
            Defines = BindDefines(spec),
            Enums = BindEnums(spec),
            Types = BindTypes(context),
        };
        if (spec.Framing == Framing.TextFrames)
            return view with { TextMessages = BindTextMessages(context) };
        return BindBinary(view, context);
    }

    private static string JoinDoc(string title, string doc) =>
        title.Length == 0 ? doc : doc.Length == 0 ? title : title + "\n\n" + doc;

    private static EquatableArray<DefineView> BindDefines(ProtocolSpec spec)
    {
        var result = new List<DefineView>();
        foreach (var d in spec.Defines)
        {
            string type, literal;
            if (d.SignedValue is >= int.MinValue and <= int.MaxValue)
                (type, literal) = ("int", CSharp.Number((int)d.SignedValue.Value));
            else if (d.SignedValue is { } l)
                (type, literal) = ("long", CSharp.Number(l) + "L");
            else if (d.UnsignedValue is { } u)
                (type, literal) = ("ulong", CSharp.Number(u) + "UL");
            else
                (type, literal) = ("string", CSharp.Literal(d.Value));
            result.Add(new DefineView(Naming.Pascal(d.Name), type, literal, CSharp.DocLines(d.Doc, $"{d.Name} = {d.Value}")));
        }
        return result.ToEquatableArray();
    }

    private static EquatableArray<EnumView> BindEnums(ProtocolSpec spec)
    {
        var result = new List<EnumView>();
        foreach (var e in spec.Enums)
        {
            var members = new List<EnumMemberView>();
            foreach (var v in e.Values)
                members.Add(new EnumMemberView(Naming.Pascal(v.Name), CSharp.Number(v.Value), CSharp.DocLines(v.Doc, $"{v.Name} ({v.Value})")));
            result.Add(new EnumView(Naming.Pascal(e.Name), CSharp.UnsignedType(e.Size * 8), members.ToEquatableArray(), CSharp.DocLines(e.Doc, $"Values of {e.Name}.")));
        }
        return result.ToEquatableArray();
    }

    private static EquatableArray<RecordView> BindTypes(BindContext context)
    {
        var result = new List<RecordView>();
        foreach (var t in context.Spec.Types)
        {
            var properties = new List<PropertyView>();
            var order = 0;
            foreach (var f in t.Fields)
                properties.Add(Property(context, f, order++));
            result.Add(Record(Naming.Pascal(t.Name), t.Doc, $"The {t.Name} type.", properties, hasBase: false));
        }
        return result.ToEquatableArray();
    }

    /// <summary>A record's view: properties plus the equality members records cannot derive for memory and lists.</summary>
    internal static RecordView Record(string name, string doc, string fallbackDoc, List<PropertyView> properties, bool hasBase)
    {
        var custom = false;
        var equals = new List<string>();
        var hashes = new List<string>();
        if (hasBase)
            equals.Add("base.Equals(other)");
        foreach (var p in properties)
        {
            if (p.IsConstant)
                continue;
            var structural = p.Type.Contains("ReadOnlyMemory") || p.Type.Contains("IReadOnlyList");
            custom |= structural;
            if (structural)
            {
                equals.Add($"{CSharp.Wire}.WireEquality.Equal(this.{p.Name}, other.{p.Name})");
                hashes.Add($"{CSharp.Wire}.WireEquality.Hash(this.{p.Name})");
            }
            else
            {
                equals.Add($"global::System.Collections.Generic.EqualityComparer<{p.Type}>.Default.Equals(this.{p.Name}, other.{p.Name})");
                hashes.Add($"this.{p.Name}");
            }
        }
        if (equals.Count == 0)
            equals.Add("true");
        if (hasBase)
            hashes.Insert(0, "base.GetHashCode()");
        return new RecordView
        {
            Name = name,
            DocLines = CSharp.DocLines(doc, fallbackDoc),
            Properties = properties.ToEquatableArray(),
            NeedsCustomEquality = custom,
            EqualityTerms = equals.ToEquatableArray(),
            HashTerms = hashes.ToEquatableArray(),
        };
    }

    /// <summary>Per-protocol facts the field binder needs.</summary>
    internal sealed class BindContext(ProtocolSpec spec, string qualifiedClass)
    {
        private readonly List<EquatableArray<string>> _listItemMethods = new();

        public ProtocolSpec Spec { get; } = spec;
        public string QualifiedClass { get; } = qualifiedClass;

        /// <summary>The methods that measure, write and read list items, in the order the fields first need them.</summary>
        public EquatableArray<CodeBlockView> ListItemMethods
        {
            get
            {
                var blocks = new List<CodeBlockView>();
                foreach (var lines in _listItemMethods)
                    blocks.Add(new CodeBlockView(lines));
                return blocks.ToEquatableArray();
            }
        }

        /// <summary>
        /// Adds a list-item method. Header fields are bound once for reading and again with each
        /// message for writing, so the same method arrives more than once; it is kept once.
        /// </summary>
        public void AddListItemMethod(EquatableArray<string> lines)
        {
            if (!_listItemMethods.Contains(lines))
                _listItemMethods.Add(lines);
        }

        public TypeSpec Type(string key)
        {
            foreach (var t in Spec.Types)
                if (Naming.Key(t.Name) == key) return t;
            throw new InvalidOperationException($"type '{key}' was not resolved");
        }

        public EnumSpec Enum(string key)
        {
            foreach (var e in Spec.Enums)
                if (Naming.Key(e.Name) == key) return e;
            throw new InvalidOperationException($"enum '{key}' was not resolved");
        }
    }
}
