using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zproto.Cli.Json;
using Zproto.Model.Specs;

namespace Zproto.Cli.Commands;

/// <summary>
/// <c>zproto decode --model MODEL FRAMEHEX...</c>: decodes a message from its frames (hex, one
/// argument per frame, or one frame per line from <c>--frames-file F</c> or stdin with <c>-</c>, the
/// format <c>encode</c> prints) and prints <c>{"message":NAME,"fields":{...}}</c> as one line of
/// compact JSON, with a <c>"topic"</c> for pub-sub protocols. Hex may hold spaces and a <c>0x</c>
/// prefix (per frame or per byte). A malformed message prints one line on stderr naming the field,
/// frame and offset; a bad signature also names the expected and actual octets.
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
            Description = "The frames in hex, one argument each (\"\" is an empty frame; spaces and 0x prefixes are allowed), or - to read one frame per line from stdin.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var framesFile = new Option<string?>("--frames-file", "-f")
        {
            HelpName = "FILE",
            Description = "Read the frames from FILE (- for stdin), one hex frame per line: for frames too large for the command line.",
        };
        var messageOption = new Option<string?>("--message")
        {
            HelpName = "NAME",
            Description = "Decode as this message only (text-frame protocols try every message otherwise; other protocols check the decoded message is this one).",
        };
        var indented = new Option<bool>("--indented") { Description = "Print indented JSON instead of one line." };
        var command = new Command("decode", "Decode a message from its frames; print {\"message\": NAME, \"fields\": {...}} as JSON.")
        {
            model, frames, framesFile, messageOption, indented,
        };
        command.SetAction(parse => Cli.Guard(context, "decode", () =>
            Run(context, parse.GetValue(model)!, ReadFrameLines(context, parse.GetValue(frames) ?? [], parse.GetValue(framesFile)),
                parse.GetValue(messageOption), parse.GetValue(indented))));
        return command;
    }

    private static int Run(CliContext context, string modelPath, List<(string Text, string Where)> hexFrames, string? messageName, bool indented)
    {
        var spec = ModelFiles.LoadProtocol(modelPath, context);
        var frames = ParseFrames(hexFrames);
        var codec = ProtocolCodec.For(spec);

        Type? messageType = null;
        if (messageName is not null)
        {
            if (!MessageJson.MessageTypes(codec.Protocol).TryGetValue(FieldNames.Key(messageName), out messageType))
                throw new CliException($"protocol '{spec.Name}' has no message '{messageName}'");
        }
        if (!codec.TryDecode(frames, codec.IsText ? messageType : null, out var message, out var error))
            throw new CliException(error.Contains("field 'signature'", StringComparison.Ordinal) ? error + SignatureDetail(spec, frames) : error);
        var name = MessageJson.MessageName(message!);
        if (messageType is not null && FieldNames.Key(name) != FieldNames.Key(messageName!))
            throw new CliException($"the frames hold a '{name}' message, not '{messageName}'");

        var result = new JsonObject { ["message"] = name };
        if (spec.PubSub)
            result["topic"] = MessageJson.Topic(message!);
        result["fields"] = MessageJson.ToJson(message!);
        context.Output.WriteLine(result.ToJsonString(indented ? s_indented : s_compact));
        return Cli.Success;
    }

    /// <summary>
    /// The frames' hex lines with where each came from: the arguments, or the lines of
    /// <c>--frames-file</c> (or stdin for <c>-</c>, as either the argument or the file).
    /// </summary>
    private static List<(string Text, string Where)> ReadFrameLines(CliContext context, string[] arguments, string? framesFile)
    {
        if (framesFile is not null && arguments.Length > 0)
            throw new CliException("give the frames either as arguments or with --frames-file, not both", Cli.Usage);
        if (framesFile is null && arguments.Length == 0)
            throw new CliException("no frames: give them as arguments, with --frames-file FILE, or - for stdin", Cli.Usage);

        var lines = new List<(string Text, string Where)>();
        if (framesFile is null && arguments is not ["-"])
        {
            for (var i = 0; i < arguments.Length; i++)
                lines.Add((arguments[i], $"frame {i}"));
            return lines;
        }
        var fromStdin = framesFile is null or "-";
        var source = fromStdin ? "stdin" : $"'{framesFile}'";
        string text;
        try
        {
            text = fromStdin ? context.Input.ReadToEnd() : File.ReadAllText(framesFile!);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"frames file '{framesFile}' not found");
        }
        if (text.EndsWith('\n'))
            text = text.Substring(0, text.Length - 1);
        var split = text.Split('\n');
        for (var i = 0; i < split.Length; i++)
            lines.Add((split[i].TrimEnd('\r'), $"line {i + 1} of {source}"));
        return lines;
    }

    private static List<ReadOnlyMemory<byte>> ParseFrames(List<(string Text, string Where)> lines)
    {
        var frames = new List<ReadOnlyMemory<byte>>(lines.Count);
        foreach (var (raw, where) in lines)
        {
            var text = NormalizeHex(raw);
            if (text.Length % 2 != 0)
                throw new CliException($"{where}: hex has an odd number of digits ({text.Length})");
            try
            {
                frames.Add(Convert.FromHexString(text));
            }
            catch (FormatException)
            {
                throw new CliException($"{where}: '{Abbreviate(raw.Trim())}' is not hex");
            }
        }
        return frames;
    }

    /// <summary>
    /// Hex as people paste it: <c>aa a0 07</c>, <c>0xaaa007</c> or <c>0xaa 0xa0 0x07</c> all become
    /// <c>aaa007</c>. Whitespace separates groups; each group may carry its own <c>0x</c>.
    /// </summary>
    internal static string NormalizeHex(string text)
    {
        var digits = new StringBuilder(text.Length);
        foreach (var group in text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
            digits.Append(group.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? group.AsSpan(2) : group.AsSpan());
        return digits.ToString();
    }

    /// <summary>For a bad or truncated signature: the octets the protocol expects and those frame 0 starts with.</summary>
    private static string SignatureDetail(ProtocolSpec spec, List<ReadOnlyMemory<byte>> frames)
    {
        if (spec.Framing == Framing.TextFrames || spec.PubSub || frames.Count == 0)
            return "";
        var first = frames[0].Span;
        var expected = new byte[] { 0xAA, (byte)(0xA0 | spec.Signature) };
        if (first.Length >= 2 && first[..2].SequenceEqual(expected))
            return "";
        var actual = first.Length == 0 ? "an empty frame" : Convert.ToHexStringLower(first[..Math.Min(2, first.Length)]);
        return $": expected {Convert.ToHexStringLower(expected)} (0xAAA0 | signature {spec.Signature}), got {actual}";
    }

    private static string Abbreviate(string text) => text.Length > 24 ? text.Substring(0, 24) + "..." : text;
}
