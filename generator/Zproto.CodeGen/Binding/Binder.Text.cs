using System.Collections.Generic;
using Zproto.CodeGen.Rendering;
using Zproto.CodeGen.Views;
using Zproto.Model;
using Zproto.Model.Specs;

namespace Zproto.CodeGen.Binding;

public static partial class Binder
{
    private static EquatableArray<TextMessageView> BindTextMessages(BindContext context)
    {
        var result = new List<TextMessageView>();
        foreach (var m in context.Spec.Messages)
        {
            var className = Naming.Pascal(m.Name);
            var qualifiedMessage = $"{context.QualifiedClass}.{className}";
            var properties = new List<PropertyView>();
            var sections = new List<SectionView>();
            var items = new List<RecordView>();
            var bases = new List<ChoiceBaseView>();
            var construct = new List<string>();
            var order = 0;
            foreach (var s in m.Sections)
            {
                var property = Naming.Pascal(s.Name);
                var local = "s" + property;
                string type;
                var view = new SectionView
                {
                    ModelName = s.Name,
                    Property = property,
                    Local = local,
                    LongTag = s.Tag,
                    ShortTag = s.Alias.Length > 0 ? s.Alias : s.Tag,
                    IsSingle = s.Repeat == SectionRepeat.Single,
                    IsCounted = s.Repeat == SectionRepeat.Counted,
                    IsRepeated = s.Repeat == SectionRepeat.Repeated,
                    IsChoice = s.Repeat == SectionRepeat.Choice,
                    IsOptional = s.Optional,
                };
                if (s.Repeat == SectionRepeat.Choice)
                {
                    var baseName = property + "Choice";
                    type = $"{qualifiedMessage}.{baseName}";
                    bases.Add(new ChoiceBaseView(baseName, CSharp.DocLines(s.Doc, $"One of the alternatives of {s.Name}.")));
                    var choices = new List<ChoiceView>();
                    foreach (var c in s.Choices)
                    {
                        var choiceClass = Naming.Pascal(c.Name);
                        var qualifiedChoice = $"{qualifiedMessage}.{choiceClass}";
                        var (read, write) = TextItemCode(context, c, qualifiedChoice, s.Name);
                        items.Add(ItemRecord(context, c, choiceClass, baseName));
                        choices.Add(new ChoiceView
                        {
                            ModelName = c.Name,
                            ClassName = qualifiedChoice,
                            LongTag = c.Tag,
                            ShortTag = c.Alias.Length > 0 ? c.Alias : c.Tag,
                            Width = c.Fields.Count,
                            ReadItem = read,
                            WriteItem = write,
                        });
                    }
                    view = view with { ItemType = type, Choices = choices.ToEquatableArray() };
                    properties.Add(new PropertyView
                    {
                        Name = property,
                        Type = type,
                        DocLines = CSharp.DocLines(s.Doc, s.Name),
                        Initializer = $" = new {qualifiedMessage}.{Naming.Pascal(s.Choices[0].Name)}();",
                        FieldAttributeArguments = $"{CSharp.Literal(s.Name)}, {order++}, Type = \"choice\"",
                    });
                }
                else
                {
                    string itemType;
                    if (s.Fields.Count == 1)
                    {
                        itemType = TextFieldType(s.Fields[0]);
                    }
                    else
                    {
                        var itemClass = property + "Item";
                        itemType = $"{qualifiedMessage}.{itemClass}";
                        items.Add(ItemRecord(context, s, itemClass, baseName: null));
                    }
                    var (read, write) = TextItemCode(context, s, s.Fields.Count == 1 ? null : itemType, s.Name);
                    var single = s.Repeat == SectionRepeat.Single;
                    type = single ? itemType : $"global::System.Collections.Generic.IReadOnlyList<{itemType}>";
                    if (single && s.Optional && !itemType.EndsWith("?"))
                        type += "?";
                    view = view with { ItemType = itemType, Width = s.Fields.Count, ReadItem = read, WriteItem = write };
                    properties.Add(new PropertyView
                    {
                        Name = property,
                        Type = type,
                        DocLines = CSharp.DocLines(s.Doc, s.Name),
                        Initializer = single
                            ? (s.Optional ? "" : TextInitializer(s, itemType))
                            : $" = global::System.Array.Empty<{itemType}>();",
                        FieldAttributeArguments = $"{CSharp.Literal(s.Name)}, {order++}, Type = {CSharp.Literal(s.Repeat.ToString().ToLowerInvariant())}",
                    });
                }
                sections.Add(view);
                construct.Add($"{property} = {local}");
            }
            result.Add(new TextMessageView
            {
                ModelName = m.Name,
                ClassName = className,
                Direction = m.Direction.ToString().ToLowerInvariant(),
                Record = Record(className, m.Doc, $"The {m.Name} message.", properties, hasBase: false),
                Sections = sections.ToEquatableArray(),
                ItemRecords = items.ToEquatableArray(),
                ChoiceBases = bases.ToEquatableArray(),
                Construct = ConstructExpression(qualifiedMessage, construct, pubsub: false),
            });
        }
        return result.ToEquatableArray();
    }

    private static string TextFieldType(FieldSpec f) => f.Kind switch
    {
        FieldKind.Number => "long",
        FieldKind.String => "string",
        _ => "global::System.ReadOnlyMemory<byte>",
    };

    private static string TextInitializer(SectionSpec s, string itemType) =>
        s.Fields.Count == 1
            ? (s.Fields[0].Kind == FieldKind.String ? " = \"\";" : "")
            : $" = new {itemType}();";

    private static RecordView ItemRecord(BindContext context, SectionSpec s, string className, string? baseName)
    {
        var properties = new List<PropertyView>();
        var order = 0;
        foreach (var f in s.Fields)
        {
            properties.Add(new PropertyView
            {
                Name = Naming.Pascal(f.Name),
                Type = TextFieldType(f),
                DocLines = CSharp.DocLines(f.Doc, f.Name),
                Initializer = f.Kind == FieldKind.String ? " = \"\";" : "",
                FieldAttributeArguments = $"{CSharp.Literal(f.Name)}, {order++}, Type = {CSharp.Literal(f.Type)}",
            });
        }
        var record = Record(className, s.Doc, $"One {s.Name}.", properties, hasBase: baseName is not null);
        return baseName is null ? record : record with { BaseClause = " : " + baseName };
    }

    /// <summary>
    /// Statements that read one item from <c>frames[i..]</c> into <c>item</c> (advancing <c>i</c>),
    /// and that add one item's frames to <c>frames</c>. Numbers are ASCII decimal; strings must be UTF-8.
    /// </summary>
    private static (EquatableArray<string> Read, EquatableArray<string> Write) TextItemCode(BindContext context, SectionSpec s, string? recordType, string sectionName)
    {
        var read = new CodeWriter();
        var write = new CodeWriter();
        var locals = new List<string>();
        foreach (var f in s.Fields)
        {
            var local = "t" + Naming.Pascal(f.Name);
            var name = CSharp.Literal(sectionName + "." + f.Name);
            var access = recordType is null ? "item" : "item." + Naming.Pascal(f.Name);
            switch (f.Kind)
            {
                case FieldKind.Number:
                    read.If($"!{CSharp.Wire}.TextFrames.TryParseDecimal(frames[i].Span, out var {local})",
                        $"error = new {CSharp.Wire}.DecodeError({ErrorKindName}.InvalidValue, {name}, i, 0);", "goto fail;");
                    write.WriteLine($"frames.Add({CSharp.Wire}.TextFrames.FormatDecimal({access}));");
                    break;
                case FieldKind.String:
                    read.If($"!{CSharp.Wire}.TextFrames.TryReadUtf8(frames[i].Span, out var {local})",
                        $"error = new {CSharp.Wire}.DecodeError({ErrorKindName}.InvalidUtf8, {name}, i, 0);", "goto fail;");
                    write.WriteLine($"frames.Add(global::System.Text.Encoding.UTF8.GetBytes({access} ?? \"\"));");
                    break;
                default:
                    read.WriteLine($"var {local} = frames[i];");
                    write.WriteLine($"frames.Add({access});");
                    break;
            }
            read.WriteLine("i++;");
            locals.Add($"{Naming.Pascal(f.Name)} = {local}");
        }
        if (recordType is null && s.Fields.Count == 1)
            read.WriteLine($"var item = t{Naming.Pascal(s.Fields[0].Name)};");
        else
            read.WriteLine($"var item = new {recordType} {{ {string.Join(", ", locals)} }};");
        return (read.ToLines(), write.ToLines());
    }
}
