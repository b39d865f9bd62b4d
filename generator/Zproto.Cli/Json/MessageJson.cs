using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using Zproto.Wire;

namespace Zproto.Cli.Json;

/// <summary>
/// Converts between generated message records and the JSON conventions of the golden vectors:
/// numbers as integers (full uint64), binaries as lowercase hex, <c>msg</c> as an array of hex
/// frames, <c>strings</c> as an array, <c>hash</c> as an object in wire order, composite fields
/// flattened as <c>field_subfield</c>. A <see cref="Utf8Text"/> (a model with <c>strings = "utf8"</c>)
/// is a JSON string exactly as a <see cref="string"/> is, so both modes share their JSON. It reads the [ZprotoMessage]/[ZprotoField] attributes of
/// the generated code, so it works for any protocol without a second codec.
/// </summary>
public static class MessageJson
{
    /// <summary>The message record types of a generated protocol class, by name key.</summary>
    public static IReadOnlyDictionary<string, Type> MessageTypes(Type protocol)
    {
        var result = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var nested in protocol.GetNestedTypes(BindingFlags.Public))
        {
            if (nested.GetCustomAttribute<ZprotoMessageAttribute>() is { } attribute)
                result[FieldNames.Key(attribute.Name)] = nested;
        }
        return result;
    }

    /// <summary>The model name of a message record.</summary>
    public static string MessageName(object message) =>
        message.GetType().GetCustomAttribute<ZprotoMessageAttribute>()?.Name ?? message.GetType().Name;

    /// <summary>Builds a message of <paramref name="messageName"/> from its JSON fields.</summary>
    /// <exception cref="FormatException">Unknown message or field, or a value of the wrong form.</exception>
    public static object FromJson(Type protocol, string messageName, JsonObject? fields)
    {
        if (!MessageTypes(protocol).TryGetValue(FieldNames.Key(messageName), out var type))
            throw new FormatException($"protocol has no message '{messageName}'; it has {string.Join(", ", MessageTypes(protocol).Values.Select(t => t.GetCustomAttribute<ZprotoMessageAttribute>()!.Name))}");
        return Build(type, fields ?? new JsonObject(), "");
    }

    private static object Build(Type type, JsonObject fields, string prefix)
    {
        var instance = Activator.CreateInstance(type)!;
        var used = new HashSet<string>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var pair in fields)
            byKey[FieldNames.Key(pair.Key)] = pair.Value;

        foreach (var (property, attribute) in Fields(type))
        {
            var key = prefix + FieldNames.Key(attribute.Name);
            if (IsComposite(property.PropertyType))
            {
                var sub = new JsonObject();
                foreach (var (subProperty, subAttribute) in Fields(property.PropertyType))
                {
                    var subKey = key + "_" + FieldNames.Key(subAttribute.Name);
                    if (byKey.TryGetValue(subKey, out var v))
                    {
                        sub[FieldNames.Key(subAttribute.Name)] = v?.DeepClone();
                        used.Add(subKey);
                    }
                }
                property.SetValue(instance, Build(property.PropertyType, sub, ""));
                continue;
            }
            if (!byKey.TryGetValue(key, out var node))
                continue;
            used.Add(key);
            if (attribute.IsConstant)
            {
                var expected = ToJson(property.GetValue(instance), property.PropertyType);
                if (node is not null && !JsonNode.DeepEquals(expected, node))
                    throw new FormatException($"field '{attribute.Name}' is a constant ({expected?.ToJsonString()}); {node.ToJsonString()} cannot be encoded");
                continue;
            }
            if (node is null)
                continue; // null: unset, keep the record's default
            try
            {
                property.SetValue(instance, FromNode(node, property.PropertyType, attribute.Name));
            }
            catch (Exception e) when (e is InvalidOperationException or OverflowException or ArgumentException or FormatException)
            {
                throw new FormatException($"field '{attribute.Name}': {e.Message}", e);
            }
        }
        foreach (var key in byKey.Keys)
        {
            if (!used.Contains(key))
                throw new FormatException($"message has no field '{key}'");
        }
        return instance;
    }

    /// <summary>The topic of a pub-sub protocol's message (its <c>Topic</c> property).</summary>
    public static string Topic(object message) =>
        (string)(TopicProperty(message.GetType()).GetValue(message) ?? "");

    /// <summary>Sets the topic of a pub-sub protocol's message.</summary>
    public static void SetTopic(object message, string topic) => TopicProperty(message.GetType()).SetValue(message, topic);

    private static PropertyInfo TopicProperty(Type type) =>
        type.GetProperty("Topic", BindingFlags.Public | BindingFlags.Instance)
        ?? throw new InvalidOperationException($"{type.Name} has no Topic: the protocol is not pub-sub");

    /// <summary>The JSON fields of <paramref name="message"/>, in wire order.</summary>
    public static JsonObject ToJson(object message)
    {
        var result = new JsonObject();
        foreach (var (property, attribute) in Fields(message.GetType()))
        {
            var value = property.GetValue(message);
            var key = FieldNames.Json(attribute.Name);
            if (IsComposite(property.PropertyType))
            {
                foreach (var (subProperty, subAttribute) in Fields(property.PropertyType))
                    result[key + "_" + FieldNames.Json(subAttribute.Name)] = ToJson(value is null ? null : subProperty.GetValue(value), subProperty.PropertyType);
                continue;
            }
            result[key] = ToJson(value, property.PropertyType);
        }
        return result;
    }

    private static IEnumerable<(PropertyInfo Property, ZprotoFieldAttribute Attribute)> Fields(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, p.GetCustomAttribute<ZprotoFieldAttribute>()))
            .Where(x => x.Item2 is not null)
            .OrderBy(x => x.Item2!.Order)
            .Select(x => (x.p, x.Item2!));

    private static bool IsComposite(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(ZprotoHash) && !type.IsArray && !IsList(type) && Fields(type).Any();

    private static bool IsList(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);

    private static object? FromNode(JsonNode node, Type type, string field)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return node.GetValue<string>();
        // Encoded as the default mode's writer encodes a string: lone surrogates become U+FFFD.
        if (underlying == typeof(Utf8Text)) return Utf8Text.FromString(node.GetValue<string>());
        if (underlying == typeof(bool)) return node.GetValue<bool>();
        if (underlying == typeof(byte)) return checked((byte)Unsigned(node));
        if (underlying == typeof(ushort)) return checked((ushort)Unsigned(node));
        if (underlying == typeof(uint)) return checked((uint)Unsigned(node));
        if (underlying == typeof(ulong)) return Unsigned(node);
        if (underlying == typeof(sbyte)) return checked((sbyte)Signed(node));
        if (underlying == typeof(short)) return checked((short)Signed(node));
        if (underlying == typeof(int)) return checked((int)Signed(node));
        if (underlying == typeof(long)) return Signed(node);
        if (underlying == typeof(ReadOnlyMemory<byte>)) return new ReadOnlyMemory<byte>(Hex(node.GetValue<string>()));
        if (underlying == typeof(Guid))
        {
            var bytes = Hex(node.GetValue<string>());
            if (bytes.Length != 16)
                throw new FormatException("a uuid is 16 octets (32 hex digits)");
            return new Guid(bytes, bigEndian: true);
        }
        if (underlying == typeof(ZprotoHash))
        {
            var entries = new List<KeyValuePair<string, string>>();
            foreach (var pair in node.AsObject())
                entries.Add(new KeyValuePair<string, string>(pair.Key, pair.Value?.GetValue<string>() ?? ""));
            return ZprotoHash.Create(entries);
        }
        if (underlying.IsEnum)
        {
            if (node.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                var text = node.GetValue<string>();
                foreach (var name in Enum.GetNames(underlying))
                {
                    if (FieldNames.Key(name) == FieldNames.Key(text))
                        return Enum.Parse(underlying, name);
                }
                throw new FormatException($"'{text}' is not one of {string.Join(", ", Enum.GetNames(underlying))}");
            }
            return Enum.ToObject(underlying, Unsigned(node));
        }
        if (IsList(underlying))
        {
            var itemType = underlying.GetGenericArguments()[0];
            var array = node.AsArray();
            var items = Array.CreateInstance(itemType, array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                var item = array[i] ?? throw new FormatException($"item {i} is null");
                items.SetValue(IsComposite(itemType) ? Build(itemType, item.AsObject(), "") : FromNode(item, itemType, field), i);
            }
            return items;
        }
        if (underlying.IsAbstract)
        {
            // A choice (text-frame protocols): {"alternative name": {fields}}.
            var obj = node.AsObject();
            if (obj.Count != 1)
                throw new FormatException("a choice is an object with exactly one alternative");
            var (name, value) = obj.First();
            foreach (var nested in underlying.DeclaringType!.GetNestedTypes(BindingFlags.Public))
            {
                // The record is named in PascalCase (ReturnCode); the JSON may spell the model's
                // name (return code, return_code) or the record's: compare without separators.
                if (nested.IsSubclassOf(underlying) && FieldNames.Key(nested.Name).Replace("_", "") == FieldNames.Key(name).Replace("_", ""))
                    return Build(nested, value?.AsObject() ?? new JsonObject(), "");
            }
            throw new FormatException($"'{name}' is not an alternative of {field}");
        }
        if (IsComposite(underlying))
            return Build(underlying, node.AsObject(), "");
        throw new FormatException($"cannot convert JSON to {underlying.Name}");
    }

    private static JsonNode? ToJson(object? value, Type type)
    {
        switch (value)
        {
            case null: return null;
            case string s: return JsonValue.Create(s);
            case Utf8Text t: return JsonValue.Create(t.ToString());
            case bool b: return JsonValue.Create(b);
            case byte or ushort or uint or ulong: return JsonValue.Create(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
            case sbyte or short or int or long: return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ReadOnlyMemory<byte> m: return JsonValue.Create(Convert.ToHexStringLower(m.Span));
            case Guid g:
                var bytes = new byte[16];
                g.TryWriteBytes(bytes, bigEndian: true, out _);
                return JsonValue.Create(Convert.ToHexStringLower(bytes));
            case ZprotoHash h:
                var obj = new JsonObject();
                foreach (var e in h.Entries)
                    obj[e.Key] = e.Value;
                return obj;
            case Enum e:
                return JsonValue.Create(FieldNames.Json(e.ToString()));
            case System.Collections.IEnumerable list:
                var array = new JsonArray();
                foreach (var item in list)
                    array.Add(item is null ? null : IsComposite(item.GetType()) ? ToJson(item) : ToJson(item, item.GetType()));
                return array;
            default:
                if (value.GetType().BaseType is { IsAbstract: true } baseType && baseType.DeclaringType is not null && baseType != typeof(object) && Fields(value.GetType()).Any() && type.IsAbstract)
                    return new JsonObject { [FieldNames.Json(SplitPascal(value.GetType().Name))] = ToJson(value) };
                return IsComposite(value.GetType()) ? ToJson(value) : JsonValue.Create(value.ToString());
        }
    }

    // ReturnCode → "Return Code", so a choice alternative prints as the model names it (return_code).
    private static string SplitPascal(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
                sb.Append(' ');
            sb.Append(name[i]);
        }
        return sb.ToString();
    }

    private static ulong Unsigned(JsonNode node) =>
        node.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? ulong.Parse(node.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture)
            : ulong.Parse(node.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture);

    private static long Signed(JsonNode node) =>
        long.Parse(node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>Parses lowercase or uppercase hex.</summary>
    public static byte[] Hex(string text)
    {
        if (text.Length % 2 != 0)
            throw new FormatException($"hex '{(text.Length > 20 ? text[..20] + "..." : text)}' has an odd number of digits");
        return Convert.FromHexString(text);
    }
}
