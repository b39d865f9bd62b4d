using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zproto.Cli.Json;
using Zproto.Model.Specs;

namespace Zproto.Cli.Commands;

/// <summary>
/// <c>zproto encode --model MODEL --json JSON [--tags short|long]</c>: builds a message from its
/// JSON form and prints its frames, one lowercase hex line per frame (an empty frame is an empty
/// line). JSON is <c>{"message": "HELLO-OK", "fields": {...}}</c>, plus <c>"topic"</c> for a pub-sub
/// protocol (a golden vector object works too), given inline, as <c>@file</c>, or as <c>-</c> for stdin.
/// </summary>
internal static class EncodeCommand
{
    // Keys a golden vector object carries besides "message" and "fields"; accepted and ignored.
    private static readonly HashSet<string> s_vectorKeys = new(StringComparer.Ordinal)
    {
        "protocol", "variant", "id", "routing_id", "constant_fields", "frames", "roundtrip", "decoded_fields", "case", "result",
    };

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The protocol model (.xml, .yaml).", HelpName = "MODEL", Required = true };
        var json = new Option<string>("--json", "-j")
        {
            HelpName = "JSON",
            Description = "The message: JSON text {\"message\": NAME, \"fields\": {...}} (and \"topic\": TEXT for pub-sub protocols), or @FILE, or - for stdin.",
            Required = true,
        };
        var tags = new Option<string?>("--tags")
        {
            Description = "Tag style of a text-frame protocol: long (ARGUMENT, the default) or short (A).",
        };
        tags.AcceptOnlyFromAmong("long", "short");
        var command = new Command("encode", "Encode a message given as JSON; print each frame as lowercase hex, one per line.")
        {
            model, json, tags,
        };
        command.SetAction(parse => Cli.Guard(context, "encode", () =>
            Run(context, parse.GetValue(model)!, parse.GetValue(json)!, parse.GetValue(tags))));
        return command;
    }

    private static int Run(CliContext context, string modelPath, string jsonArgument, string? tags)
    {
        var spec = ModelFiles.LoadProtocol(modelPath, context);
        if (tags is not null && spec.Framing != Framing.TextFrames)
            throw new CliException($"--tags applies to text-frame protocols; '{spec.Name}' is not one", Cli.Usage);
        var (messageName, topic, fields) = ReadRequest(context, jsonArgument, spec);

        var codec = ProtocolCodec.For(spec);
        if (!MessageJson.MessageTypes(codec.Protocol).ContainsKey(FieldNames.Key(messageName)))
        {
            var names = new List<string>();
            foreach (var m in spec.Messages)
                names.Add(m.Name);
            throw new CliException($"protocol '{spec.Name}' has no message '{messageName}' (it has: {string.Join(", ", names)})");
        }
        object message;
        try
        {
            message = MessageJson.FromJson(codec.Protocol, messageName, fields);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            throw new CliException($"message '{messageName}': {e.Message}");
        }
        if (topic is not null)
            MessageJson.SetTopic(message, topic);
        var frames = codec.Encode(message, shortTags: tags == "short");
        foreach (var frame in frames)
            context.Output.WriteLine(Convert.ToHexStringLower(frame.Span));
        return Cli.Success;
    }

    private static (string Message, string? Topic, JsonObject Fields) ReadRequest(CliContext context, string argument, ProtocolSpec spec)
    {
        string text, source;
        if (argument == "-")
        {
            (text, source) = (context.Input.ReadToEnd(), "stdin");
        }
        else if (argument.StartsWith('@'))
        {
            var path = argument.Substring(1);
            source = $"'{path}'";
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new CliException($"JSON file '{path}' not found");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read JSON file '{path}': {e.Message}");
            }
        }
        else
        {
            (text, source) = (argument, "--json");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new CliException($"malformed JSON in {source}: {e.Message}");
        }
        if (root is not JsonObject request)
            throw new CliException($"JSON in {source} must be an object {{\"message\": NAME, \"fields\": {{...}}}}");

        string? messageName = null;
        string? topic = null;
        JsonObject? fields = null;
        foreach (var (key, value) in request)
        {
            switch (key)
            {
                case "message":
                    messageName = value is JsonValue v && v.TryGetValue<string>(out var name) ? name
                        : throw new CliException($"\"message\" in {source} must be a string");
                    break;
                case "topic":
                    if (!spec.PubSub)
                        throw new CliException($"\"topic\" in {source}: protocol '{spec.Name}' is not pub-sub");
                    topic = value is JsonValue t && t.TryGetValue<string>(out var topicText) ? topicText
                        : throw new CliException($"\"topic\" in {source} must be a string");
                    break;
                case "fields":
                    fields = value as JsonObject ?? (value is null ? new JsonObject() : throw new CliException($"\"fields\" in {source} must be an object"));
                    break;
                case "protocol":
                    if (value is JsonValue p && p.TryGetValue<string>(out var protocol) && FieldNames.Key(protocol) != FieldNames.Key(spec.Name))
                        throw new CliException($"the JSON is a message of '{protocol}', but the model is '{spec.Name}'");
                    break;
                default:
                    if (!s_vectorKeys.Contains(key))
                        throw new CliException($"unknown key \"{key}\" in {source}; expected \"message\", \"fields\" and, for a pub-sub protocol, \"topic\"");
                    break;
            }
        }
        if (messageName is null)
            throw new CliException($"JSON in {source} has no \"message\"");
        // Detach the fields from the request so the message builder owns them.
        return (messageName, topic, fields is null ? new JsonObject() : (JsonObject)fields.DeepClone());
    }
}
