using Zproto.Model;

namespace Zproto.CodeGen.Views;

/// <summary>A message of a text-frames protocol, with its sections.</summary>
public sealed record TextMessageView
{
    public required string ModelName { get; init; }
    public required string ClassName { get; init; }
    public required string Direction { get; init; }
    public required RecordView Record { get; init; }
    public required EquatableArray<SectionView> Sections { get; init; }
    /// <summary>Nested item records (one per multi-field section or choice alternative).</summary>
    public required EquatableArray<RecordView> ItemRecords { get; init; }
    /// <summary>Abstract bases of choices.</summary>
    public required EquatableArray<ChoiceBaseView> ChoiceBases { get; init; }
    public required string Construct { get; init; }
}

/// <summary>The abstract record a choice's alternatives derive from.</summary>
public sealed record ChoiceBaseView(string Name, EquatableArray<string> DocLines);

/// <summary>One section of a text-frame message.</summary>
public sealed record SectionView
{
    public required string ModelName { get; init; }
    public required string Property { get; init; }
    public required string Local { get; init; }
    public string LongTag { get; init; } = "";
    public string ShortTag { get; init; } = "";
    public bool IsSingle { get; init; }
    public bool IsCounted { get; init; }
    public bool IsRepeated { get; init; }
    public bool IsChoice { get; init; }
    public bool IsOptional { get; init; }
    /// <summary>Item type of list sections (the one field's type, or the item record).</summary>
    public string ItemType { get; init; } = "";
    /// <summary>Frames per item (fields per group).</summary>
    public int Width { get; init; }
    /// <summary>Lines (from <c>CodeWriter</c>, relative to their block) reading one item from frames starting at index <c>i</c> into <c>item</c>; failures goto fail.</summary>
    public EquatableArray<string> ReadItem { get; init; } = EquatableArray<string>.Empty;
    /// <summary>Lines adding one item <c>item</c>'s frames to <c>frames</c>.</summary>
    public EquatableArray<string> WriteItem { get; init; } = EquatableArray<string>.Empty;
    /// <summary>Alternatives of a choice.</summary>
    public EquatableArray<ChoiceView> Choices { get; init; } = EquatableArray<ChoiceView>.Empty;
}

/// <summary>One alternative of a choice section.</summary>
public sealed record ChoiceView
{
    public required string ModelName { get; init; }
    public required string ClassName { get; init; }
    public required string LongTag { get; init; }
    public required string ShortTag { get; init; }
    public required int Width { get; init; }
    public required EquatableArray<string> ReadItem { get; init; }
    public required EquatableArray<string> WriteItem { get; init; }
}
