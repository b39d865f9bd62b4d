using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Zproto.Model.Tests.Support;

/// <summary>
/// A small JSON Schema (draft 2020-12) checker for the structural keywords the model schema uses:
/// <c>$ref</c> (local), <c>type</c>, <c>enum</c>, <c>const</c>, <c>required</c>, <c>properties</c>,
/// <c>additionalProperties</c>, <c>items</c>, <c>anyOf</c>, <c>oneOf</c>, <c>allOf</c>,
/// <c>pattern</c>, <c>minLength</c>, <c>minimum</c>, <c>maximum</c>, <c>minItems</c>. Any other
/// keyword that is not an annotation is refused, so the schema cannot rely on a check this
/// walker would silently skip. No JSON Schema package is available offline; this is enough to
/// prove the schema describes the models.
/// </summary>
internal sealed class SchemaValidator
{
    private static readonly HashSet<string> s_annotations = new(StringComparer.Ordinal)
        { "$schema", "$id", "$comment", "$defs", "title", "description", "markdownDescription", "default", "examples", "deprecated" };

    private static readonly HashSet<string> s_assertions = new(StringComparer.Ordinal)
    {
        "$ref", "type", "enum", "const", "required", "properties", "additionalProperties", "items",
        "anyOf", "oneOf", "allOf", "pattern", "minLength", "minimum", "maximum", "minItems",
    };

    private readonly JsonObject _root;

    public SchemaValidator(JsonObject root) => _root = root;

    public static SchemaValidator Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path))!.AsObject());

    public JsonObject Root => _root;

    /// <summary>Every keyword of every subschema, reachable or not, is one this walker checks or an annotation.</summary>
    public List<string> UnsupportedKeywords()
    {
        var problems = new List<string>();
        void Walk(JsonNode? node, string path)
        {
            if (node is not JsonObject schema)
                return;
            foreach (var (key, value) in schema)
            {
                if (!s_annotations.Contains(key) && !s_assertions.Contains(key))
                    problems.Add($"{path}/{key}");
                switch (key)
                {
                    case "$defs":
                    case "properties":
                        foreach (var (name, sub) in value!.AsObject())
                            Walk(sub, $"{path}/{key}/{name}");
                        break;
                    case "items":
                    case "additionalProperties":
                        Walk(value, $"{path}/{key}");
                        break;
                    case "anyOf":
                    case "oneOf":
                    case "allOf":
                        var i = 0;
                        foreach (var sub in value!.AsArray())
                            Walk(sub, $"{path}/{key}/{i++}");
                        break;
                }
            }
        }
        Walk(_root, "#");
        return problems;
    }

    /// <summary>Validates <paramref name="instance"/>; returns one message per violation, with a JSON pointer.</summary>
    public List<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Validate(_root, instance, "", errors);
        return errors;
    }

    /// <summary>Resolves a local reference such as <c>#/$defs/field</c>.</summary>
    public JsonObject Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new NotSupportedException($"only local references are supported: {reference}");
        JsonNode node = _root;
        foreach (var part in reference.Substring(2).Split('/'))
            node = node.AsObject()[part.Replace("~1", "/").Replace("~0", "~")] ?? throw new InvalidOperationException($"unresolved {reference}");
        return node.AsObject();
    }

    private void Validate(JsonObject schema, JsonNode? value, string pointer, List<string> errors)
    {
        foreach (var (key, keyword) in schema)
        {
            if (s_annotations.Contains(key))
                continue;
            switch (key)
            {
                case "$ref":
                    Validate(Resolve(keyword!.GetValue<string>()), value, pointer, errors);
                    break;
                case "type":
                    var types = keyword is JsonArray array ? array.Select(t => t!.GetValue<string>()).ToList() : new List<string> { keyword!.GetValue<string>() };
                    if (!types.Any(t => HasType(value, t)))
                        errors.Add($"{Where(pointer)}: {Describe(value)} is not of type {string.Join(" or ", types)}");
                    break;
                case "enum":
                    if (!keyword!.AsArray().Any(option => JsonNode.DeepEquals(option, value)))
                        errors.Add($"{Where(pointer)}: {Describe(value)} is not one of {keyword.ToJsonString()}");
                    break;
                case "const":
                    if (!JsonNode.DeepEquals(keyword, value))
                        errors.Add($"{Where(pointer)}: {Describe(value)} is not {keyword!.ToJsonString()}");
                    break;
                case "required":
                    if (value is JsonObject required)
                    {
                        foreach (var name in keyword!.AsArray().Select(n => n!.GetValue<string>()))
                        {
                            if (!required.ContainsKey(name))
                                errors.Add($"{Where(pointer)}: required property '{name}' is missing");
                        }
                    }
                    break;
                case "properties":
                    if (value is JsonObject withProperties)
                    {
                        foreach (var (name, sub) in keyword!.AsObject())
                        {
                            if (withProperties.TryGetPropertyValue(name, out var item))
                                Validate(sub!.AsObject(), item, $"{pointer}/{name}", errors);
                        }
                    }
                    break;
                case "additionalProperties":
                    if (value is JsonObject withAdditional)
                    {
                        var declared = schema["properties"]?.AsObject();
                        foreach (var (name, item) in withAdditional)
                        {
                            if (declared is not null && declared.ContainsKey(name))
                                continue;
                            if (keyword is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False)
                                errors.Add($"{Where(pointer)}: property '{name}' is not allowed");
                            else if (keyword is JsonObject additional)
                                Validate(additional, item, $"{pointer}/{name}", errors);
                        }
                    }
                    break;
                case "items":
                    if (value is JsonArray items)
                    {
                        for (var i = 0; i < items.Count; i++)
                            Validate(keyword!.AsObject(), items[i], $"{pointer}/{i}", errors);
                    }
                    break;
                case "minItems":
                    if (value is JsonArray counted && counted.Count < keyword!.GetValue<int>())
                        errors.Add($"{Where(pointer)}: needs at least {keyword} item(s)");
                    break;
                case "anyOf":
                case "oneOf":
                    var passing = keyword!.AsArray().Count(sub => Probe(sub!.AsObject(), value, pointer));
                    if (passing == 0 || (key == "oneOf" && passing > 1))
                        errors.Add($"{Where(pointer)}: {Describe(value)} matches {passing} of the {key} alternatives");
                    break;
                case "allOf":
                    foreach (var sub in keyword!.AsArray())
                        Validate(sub!.AsObject(), value, pointer, errors);
                    break;
                case "pattern":
                    if (value is JsonValue text && text.GetValueKind() == System.Text.Json.JsonValueKind.String
                        && !Regex.IsMatch(text.GetValue<string>(), keyword!.GetValue<string>()))
                        errors.Add($"{Where(pointer)}: {Describe(value)} does not match {keyword}");
                    break;
                case "minLength":
                    if (value is JsonValue shortText && shortText.GetValueKind() == System.Text.Json.JsonValueKind.String
                        && shortText.GetValue<string>().Length < keyword!.GetValue<int>())
                        errors.Add($"{Where(pointer)}: {Describe(value)} is shorter than {keyword}");
                    break;
                case "minimum":
                case "maximum":
                    if (value is JsonValue number && number.GetValueKind() == System.Text.Json.JsonValueKind.Number)
                    {
                        var n = ToDouble(number);
                        var limit = ToDouble(keyword!);
                        if (key == "minimum" ? n < limit : n > limit)
                            errors.Add($"{Where(pointer)}: {Describe(value)} is {(key == "minimum" ? "below" : "above")} {keyword}");
                    }
                    break;
                default:
                    throw new NotSupportedException($"schema keyword '{key}' is not supported by this walker");
            }
        }
    }

    private bool Probe(JsonObject schema, JsonNode? value, string pointer)
    {
        var errors = new List<string>();
        Validate(schema, value, pointer, errors);
        return errors.Count == 0;
    }

    private static bool HasType(JsonNode? value, string type)
    {
        var kind = value?.GetValueKind() ?? System.Text.Json.JsonValueKind.Null;
        return type switch
        {
            "null" => kind == System.Text.Json.JsonValueKind.Null,
            "object" => kind == System.Text.Json.JsonValueKind.Object,
            "array" => kind == System.Text.Json.JsonValueKind.Array,
            "string" => kind == System.Text.Json.JsonValueKind.String,
            "boolean" => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            "number" => kind == System.Text.Json.JsonValueKind.Number,
            "integer" => kind == System.Text.Json.JsonValueKind.Number && ToDouble(value!) % 1 == 0,
            _ => throw new NotSupportedException($"type '{type}'"),
        };
    }

    // Numbers may be backed by a long (from YAML) or by a JsonElement (from the schema file).
    private static double ToDouble(JsonNode number) => double.Parse(number.ToJsonString(), CultureInfo.InvariantCulture);

    private static string Where(string pointer) => pointer.Length == 0 ? "/" : pointer;

    private static string Describe(JsonNode? value) => value is null ? "null" : value.ToJsonString();

    // ---- YAML to JSON, the way an editor's YAML language server sees a document ----------------

    /// <summary>Converts the first document of <paramref name="yaml"/> to JSON (YAML 1.2 core schema for plain scalars).</summary>
    public static JsonNode? YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return ToJson(stream.Documents[0].RootNode);
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                    obj[((YamlScalarNode)key).Value!] = ToJson(value);
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                    array.Add(ToJson(item));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new NotSupportedException(node.GetType().Name);
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE")
            return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE")
            return JsonValue.Create(false);
        if (Regex.IsMatch(text, "^[-+]?[0-9]+$") && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (Regex.IsMatch(text, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"))
            return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }
}
