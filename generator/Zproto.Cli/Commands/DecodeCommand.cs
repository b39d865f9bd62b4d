using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zproto.Cli.Json;
using Zproto.Model.Specs;

namespace Zproto.Cli.Commands;

/// <summary>
/// <c>zproto decode --model MODEL FRAMEHEX...</c>: decodes a message from its frames (hex, one
/// argument per frame, or <c>-</c> to read one frame per line from stdin, the format
/// <c>encode</c> prints) and prints <c>{"message":NAME,"fields":{...}}</c> as one line of compact
/// JSON. A malformed message prints one line on stderr naming the field, frame and offset.
/// </summary>
internal static class DecodeCommand
{
    private static readonly JsonSerializerOptions s_compact = new()
    {
        // Decoded text is printed as text (é, not \u00e9); quotes and control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private static readonly JsonSerializerOptions s_indented = new(s_compact) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "The protocol model (.xml, .yaml).", HelpName = "MODEL", Required = true };
        var frames = new Argument<string[]>("FRAMEHEX")
        {
            Description = "The frames in hex, one argument each (\"\" is an empty frame), or - to read one frame per line from stdin.",
            Arity = ArgumentArity.OneOrMore,
        };
        var messageOption = new Option<string?>("--message")
        {
            HelpName = "NAME",
            Description = "Decode as this message only (text-frame protocols try every message otherwise; other protocols check the decoded message is this one).",
        };
        var indented = new Option<bool>("--indented") { Description = "Print indented JSON instead of one line." };
        var command = new Command("decode", "Decode a message from its frames; print {\"message\": NAME, \"fields\": {...}} as JSON.")
        {
            model, frames, messageOption, indented,
        };
        command.SetAction(parse => Cli.Guard(context, "decode", () =>
            Run(context, parse.GetValue(model)!, parse.GetValue(frames)!, parse.GetValue(messageOption), parse.GetValue(indented))));
        return command;
    }

    private static int Run(CliContext context, string modelPath, string[] hexFrames, string? messageName, bool indented)
    {
        var spec = ModelFiles.LoadProtocol(modelPath, context);
        var frames = ParseFrames(context, hexFrames);
        var codec = ProtocolCodec.For(spec);

        Type? messageType = null;
        if (messageName is not null)
        {
            if (!MessageJson.MessageTypes(codec.Protocol).TryGetValue(FieldNames.Key(messageName), out messageType))
                throw new CliException($"protocol '{spec.Name}' has no message '{messageName}'");
        }
        if (!codec.TryDecode(frames, codec.IsText ? messageType : null, out var message, out var error))
            throw new CliException(error);
        var name = MessageJson.MessageName(message!);
        if (messageType is not null && FieldNames.Key(name) != FieldNames.Key(messageName!))
            throw new CliException($"the frames hold a '{name}' message, not '{messageName}'");

        var result = new JsonObject
        {
            ["message"] = name,
            ["fields"] = MessageJson.ToJson(message!),
        };
        context.Output.WriteLine(result.ToJsonString(indented ? s_indented : s_compact));
        return Cli.Success;
    }

    private static List<ReadOnlyMemory<byte>> ParseFrames(CliContext context, string[] arguments)
    {
        var lines = new List<(string Text, string Where)>();
        if (arguments is ["-"])
        {
            var text = context.Input.ReadToEnd();
            if (text.EndsWith('\n'))
                text = text.Substring(0, text.Length - 1);
            var split = text.Split('\n');
            for (var i = 0; i < split.Length; i++)
                lines.Add((split[i].TrimEnd('\r').Trim(), $"line {i + 1} of stdin"));
        }
        else
        {
            for (var i = 0; i < arguments.Length; i++)
                lines.Add((arguments[i].Trim(), $"frame {i}"));
        }

        var frames = new List<ReadOnlyMemory<byte>>(lines.Count);
        foreach (var (text, where) in lines)
        {
            if (text.Length % 2 != 0)
                throw new CliException($"{where}: hex has an odd number of digits ({text.Length})");
            try
            {
                frames.Add(Convert.FromHexString(text));
            }
            catch (FormatException)
            {
                throw new CliException($"{where}: '{Abbreviate(text)}' is not hex");
            }
        }
        return frames;
    }

    private static string Abbreviate(string text) => text.Length > 24 ? text.Substring(0, 24) + "..." : text;
}
