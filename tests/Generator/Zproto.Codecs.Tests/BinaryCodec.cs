using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using Zproto.Wire;

namespace Zproto.Codecs.Tests;

/// <summary>
/// A generated binary protocol (frames or datagram) seen through one non-generic surface, so tests
/// can run the same checks over every model. Calls go straight to the generated static members
/// (through the IFrameProtocol contract or delegates bound once), not through MethodInfo.Invoke,
/// so the span overloads are reachable and exceptions are not wrapped.
/// </summary>
internal interface IBinaryCodec
{
    /// <summary>The generated protocol class.</summary>
    Type Protocol { get; }

    /// <summary>The model's class name (zpipes_msg, vtx_nom1, ...).</summary>
    string Name { get; }

    /// <summary>Field facts read from the model file.</summary>
    ModelFacts Facts { get; }

    /// <summary>The message record types, in id order.</summary>
    IReadOnlyList<Type> MessageTypes { get; }

    ReadOnlyMemory<byte>[] EncodeFrames(object message);

    int GetEncodedLength(object message);

    int Encode(object message, Span<byte> destination);

    void Encode(object message, IBufferWriter<byte> writer);

    void AddExtraFrames(object message, ICollection<ReadOnlyMemory<byte>> frames);

    bool TryDecode(IReadOnlyList<ReadOnlyMemory<byte>> frames, out object? message, out DecodeError error);

    bool TryDecode(ReadOnlySpan<byte> frame, out object? message, out DecodeError error);
}

/// <summary>The generated span decoder's shape.</summary>
internal delegate bool SpanDecoder<TMessage>(ReadOnlySpan<byte> frame, out TMessage? message, out DecodeError error);

internal sealed class BinaryCodec<TProtocol, TMessage> : IBinaryCodec
    where TProtocol : IFrameProtocol<TMessage>
    where TMessage : class
{
    private readonly Func<TMessage, ReadOnlyMemory<byte>[]> _encodeFrames;
    private readonly Action<TMessage, IBufferWriter<byte>> _encodeToWriter;
    private readonly SpanDecoder<TMessage> _decodeSpan;

    public BinaryCodec(string name, ModelFacts facts)
    {
        Name = name;
        Facts = facts;
        var flags = BindingFlags.Public | BindingFlags.Static;
        _encodeFrames = typeof(TProtocol).GetMethod("EncodeFrames", flags, [typeof(TMessage)])!.CreateDelegate<Func<TMessage, ReadOnlyMemory<byte>[]>>();
        _encodeToWriter = typeof(TProtocol).GetMethod("Encode", flags, [typeof(TMessage), typeof(IBufferWriter<byte>)])!.CreateDelegate<Action<TMessage, IBufferWriter<byte>>>();
        _decodeSpan = typeof(TProtocol).GetMethod("TryDecode", flags, [typeof(ReadOnlySpan<byte>), typeof(TMessage).MakeByRefType(), typeof(DecodeError).MakeByRefType()])!.CreateDelegate<SpanDecoder<TMessage>>();
        MessageTypes = typeof(TProtocol).GetNestedTypes(BindingFlags.Public)
            .Where(t => t.GetCustomAttribute<ZprotoMessageAttribute>() is not null)
            .OrderBy(t => t.GetCustomAttribute<ZprotoMessageAttribute>()!.Id)
            .ToArray();
    }

    public Type Protocol => typeof(TProtocol);

    public string Name { get; }

    public ModelFacts Facts { get; }

    public IReadOnlyList<Type> MessageTypes { get; }

    public ReadOnlyMemory<byte>[] EncodeFrames(object message) => _encodeFrames((TMessage)message);

    public int GetEncodedLength(object message) => TProtocol.GetEncodedLength((TMessage)message);

    public int Encode(object message, Span<byte> destination) => TProtocol.Encode((TMessage)message, destination);

    public void Encode(object message, IBufferWriter<byte> writer) => _encodeToWriter((TMessage)message, writer);

    public void AddExtraFrames(object message, ICollection<ReadOnlyMemory<byte>> frames) => TProtocol.AddExtraFrames((TMessage)message, frames);

    public bool TryDecode(IReadOnlyList<ReadOnlyMemory<byte>> frames, out object? message, out DecodeError error)
    {
        var ok = TProtocol.TryDecode(frames, out var typed, out error);
        message = typed;
        return ok;
    }

    public bool TryDecode(ReadOnlySpan<byte> frame, out object? message, out DecodeError error)
    {
        var ok = _decodeSpan(frame, out var typed, out error);
        message = typed;
        return ok;
    }
}

/// <summary>
/// Every binary model compiled into this test project, found by their [ZprotoProtocol] attribute,
/// so a model added to models/ is covered by every generic test without touching them.
/// </summary>
internal static class BinaryCodecs
{
    public static IReadOnlyList<IBinaryCodec> All { get; } = Discover();

    public static IBinaryCodec ZprotoExample => Get("zproto_example");
    public static IBinaryCodec ZpipesMsg => Get("zpipes_msg");
    public static IBinaryCodec ZccpMsg => Get("zccp_msg");
    public static IBinaryCodec ZpMsg => Get("zp_msg");
    public static IBinaryCodec VtxNom1 => Get("vtx_nom1");

    private static IReadOnlyList<IBinaryCodec> Discover()
    {
        var codecs = new List<IBinaryCodec>();
        foreach (var type in typeof(BinaryCodecs).Assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.GetCustomAttribute<ZprotoProtocolAttribute>() is not { } protocol || protocol.Framing == "text-frames")
                continue;
            var message = type.GetNestedType("Message")!;
            var codecType = typeof(BinaryCodec<,>).MakeGenericType(type, message);
            codecs.Add((IBinaryCodec)Activator.CreateInstance(codecType, protocol.Name, ModelFacts.Load(protocol.Name + ".xml"))!);
        }
        // The five seed protocols first, in the brief's order; any others after them.
        string[] order = ["zproto_example", "zpipes_msg", "zccp_msg", "zp_msg", "vtx_nom1"];
        return codecs.OrderBy(c => Array.IndexOf(order, c.Name) is var i && i >= 0 ? i : order.Length).ThenBy(c => c.Name, StringComparer.Ordinal).ToArray();
    }

    public static IBinaryCodec Get(string name) => All.Single(c => c.Name == name);

    /// <summary>(protocol, message name) for every message of every binary model.</summary>
    public static IEnumerable<(IBinaryCodec Codec, Type Message)> Messages() =>
        All.SelectMany(c => c.MessageTypes.Select(t => (c, t)));

    public static string MessageName(Type message) => message.GetCustomAttribute<ZprotoMessageAttribute>()!.Name;

    public static Type MessageType(string protocol, string message) =>
        Get(protocol).MessageTypes.Single(t => MessageName(t) == message);
}

/// <summary>
/// What the generated attributes do not say about a field but the model does: the size of
/// <c>octets</c>, the width of bit fields, rest-of-datagram strings and packed frame lists. Read from
/// the model file itself (a field name has one type and size throughout a protocol).
/// </summary>
internal sealed class ModelFacts
{
    private readonly Dictionary<string, XElement> _fields;

    private ModelFacts(string framing, int maxSize, Dictionary<string, XElement> fields)
    {
        Framing = framing;
        MaxSize = maxSize;
        _fields = fields;
    }

    /// <summary><c>frames</c> (zproto) or <c>datagram</c>.</summary>
    public string Framing { get; }

    /// <summary>The datagram limit, or 0.</summary>
    public int MaxSize { get; }

    public static ModelFacts Load(string file)
    {
        var path = Path.Combine(Repository.Models, file);
        if (!File.Exists(path))
            path = Path.Combine(Repository.Root, "tests", "Generator", "Zproto.Codecs.Tests", "Models", file); // test-only models
        var root = XDocument.Load(path).Root!;
        var fields = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var field in root.Descendants("field"))
            fields.TryAdd((string)field.Attribute("name")!, field);
        return new ModelFacts(
            (string?)root.Attribute("framing") ?? "frames",
            int.TryParse((string?)root.Attribute("max_size"), out var max) ? max : 0,
            fields);
    }

    /// <summary>The model's <c>size</c> of a field (octets, numbers), or 0.</summary>
    public int Size(string field) => int.TryParse((string?)_fields[field].Attribute("size"), out var size) ? size : 0;

    /// <summary>The model's <c>bits</c> of a bit field, or 0.</summary>
    public int Bits(string field) => _fields.TryGetValue(field, out var f) && int.TryParse((string?)f.Attribute("bits"), out var bits) ? bits : 0;

    /// <summary>The item type of a <c>list</c> field.</summary>
    public string Item(string field) => (string?)_fields[field].Attribute("item") ?? "";

    /// <summary>True for a value that runs to the end of the datagram (<c>length="rest"</c>).</summary>
    public bool IsRest(string field) => _fields.TryGetValue(field, out var f) && (string?)f.Attribute("length") == "rest";

    /// <summary>True for a <c>msg</c> packed into frame 0 (<c>encoding="packed"</c>).</summary>
    public bool IsPacked(string field) => _fields.TryGetValue(field, out var f) && (string?)f.Attribute("encoding") == "packed";
}
