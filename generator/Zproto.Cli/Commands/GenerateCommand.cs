using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Zproto.CodeGen.Pipeline;
using Zproto.CodeGen.Rendering;

namespace Zproto.Cli.Commands;

/// <summary>
/// <c>zproto generate MODEL... -o DIR [--namespace NS] [--template FILE.hbs]... [--check]</c>: writes the
/// files the source generator would add to a compilation, under the same hint names and with the
/// same text (UTF-8 without BOM, LF line ends).
/// </summary>
/// <remarks>
/// <c>--template</c> behaves exactly as a <c>.hbs</c> AdditionalFile does for the generator: the
/// template's name is its file name without extension; a built-in name (<c>Codec</c>,
/// <c>Messages</c>, <c>TextCodec</c>, <c>TextMessages</c>, or a partial <c>_Name</c>) replaces that
/// built-in, any other name renders one extra file per model, <c>{Namespace}.{Class}.{Name}.g.cs</c>.
/// If any model has an error, nothing at all is written. A server or client model generates its
/// state machine, bound to its protocol (found among the given models, else beside the machine
/// model); the protocol's own files are written only when its model is given too. With
/// <c>--check</c> nothing is written: <see cref="OutputCheck"/> compares the directory instead.
/// </remarks>
internal static class GenerateCommand
{
    /// <summary>The namespace the source generator uses when neither the project nor the model names one.</summary>
    public const string DefaultNamespace = NamespacePolicy.Default;

    public static Command Create(CliContext context)
    {
        var models = new Argument<string[]>("MODEL")
        {
            Description = "Model files (.xml, .yaml, .yml).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Directory to write the generated .g.cs files into (created if needed).",
            HelpName = "DIR",
            Required = true,
        };
        var ns = new Option<string?>("--namespace", "-n")
        {
            HelpName = "NS",
            Description = $"Namespace of the generated code (default: the model's namespace attribute, else {DefaultNamespace}).",
        };
        var templates = new Option<string[]>("--template", "-t")
        {
            HelpName = "FILE.hbs",
            Description = "A Handlebars template (.hbs) that overrides a built-in one of the same name or renders an extra file; repeatable.",
        };
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; print a diff and exit 1 if DIR differs from what would be generated (changed, missing or extra .g.cs files).",
        };
        var command = new Command("generate", "Write the C# files the source generator would emit for the models.")
        {
            models, output, ns, templates, check,
        };
        command.SetAction(parse => Cli.Guard(context, "generate", () =>
            Run(context, parse.GetValue(models)!, parse.GetValue(output)!, parse.GetValue(ns), parse.GetValue(templates) ?? [], parse.GetValue(check))));
        return command;
    }

    private static int Run(CliContext context, string[] paths, string outputDirectory, string? @namespace, string[] templatePaths, bool check)
    {
        if (@namespace is not null && !IsValidNamespace(@namespace))
            throw new CliException($"'{@namespace}' is not a valid C# namespace", Cli.Usage);
        var templateSet = ModelFiles.LoadTemplates(templatePaths);

        // Everything is generated in memory first: a model with errors means no file is written at all.
        var result = ModelFiles.Generate(paths, @namespace, templateSet, e => throw e);
        var failed = false;
        foreach (var model in result.Models)
        {
            foreach (var d in model.Diagnostics)
                context.Error.WriteLine(d.ToString());
            failed |= model.HasErrors;
        }
        if (failed)
            throw new CliException("no files written: the models have errors");

        var files = new List<GeneratedFile>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in result.Models)
        {
            if (model.Files.Count == 0)
                throw new CliException($"'{model.Path}' is neither a protocol nor a state machine with a protocol");
            foreach (var file in model.Files)
            {
                if (!names.Add(file.HintName))
                    throw new CliException($"two models generate '{file.HintName}'; give them different class names or namespaces");
                files.Add(file);
            }
        }

        if (check)
            return OutputCheck.Run(context, outputDirectory, files);
        Directory.CreateDirectory(outputDirectory);
        foreach (var file in files)
        {
            var path = Path.Combine(outputDirectory, file.HintName);
            WriteIfChanged(path, file.Text);
            context.Output.WriteLine(path);
        }
        return Cli.Success;
    }

    // An unchanged file keeps its timestamp, so a build that consumes the output stays incremental.
    private static void WriteIfChanged(string path, string text)
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            return;
        File.WriteAllBytes(path, bytes);
    }

    internal static bool IsValidNamespace(string text)
    {
        if (text.Length == 0)
            return false;
        foreach (var part in text.Split('.'))
        {
            if (!SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None)
                return false;
        }
        return true;
    }
}
