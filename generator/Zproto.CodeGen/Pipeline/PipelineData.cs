using Zproto.CodeGen.Rendering;
using Zproto.Model;
using Zproto.Model.Diagnostics;
using Zproto.Model.Machines;
using Zproto.Model.Specs;

namespace Zproto.CodeGen.Pipeline;

// What flows between the pipeline's steps. Every type is a record of strings, numbers and
// EquatableArrays (no positions except in diagnostics and MachinePositions, which only the
// checks read), so the source generator can cache each step on equality.

/// <summary>A file the pipeline may read (a model, an included fragment): its normalised path and text.</summary>
public sealed record SourceFile(string Path, string Text);

/// <summary>
/// A model to generate from: its path and text, and the namespace its front end asks for
/// (the generator's <c>Namespace</c> item metadata, the CLI's <c>--namespace</c>; empty when none).
/// </summary>
public sealed record ModelInput(string Path, string Text, string ExplicitNamespace)
{
    /// <summary>
    /// The protocol's code lives in a referenced assembly (the generator's <c>ZprotoReference="true"</c>
    /// item metadata): its model serves to check and bind state machines, and no codec is emitted for it.
    /// </summary>
    public bool ReferenceOnly { get; init; }
}

/// <summary>A file a model includes, with its text (null when it is not there), as the include step found it.</summary>
public sealed record IncludedFile(string Path, string? Text);

/// <summary>A model with exactly the files it includes: what parsing depends on.</summary>
public sealed record ModelWithIncludes(ModelInput Model, EquatableArray<IncludedFile> Includes)
{
    /// <summary>The model's path.</summary>
    public string Path => Model.Path;
}

/// <summary>
/// A parsed model: a codec spec or a state machine (null on errors), its diagnostics, and the
/// namespace of its code (see <see cref="NamespacePolicy"/>).
/// </summary>
public sealed record ParsedModel(string Path, ProtocolSpec? Spec, EquatableArray<ModelDiagnostic> Diagnostics, string Namespace)
{
    /// <summary>The protocol's code is in a referenced assembly: bind machines to it, emit no codec.</summary>
    public bool ReferenceOnly { get; init; }

    /// <summary>The state machine, for a server or client model without errors.</summary>
    public MachineSpec? Machine { get; init; }

    /// <summary>The state machine even with errors, for the checks that need its protocol.</summary>
    public MachineSpec? CheckableMachine { get; init; }

    /// <summary>Where the machine's states, events and sends are, for those checks.</summary>
    public MachinePositions? Positions { get; init; }

    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => GenerationPipeline.HasErrors(Diagnostics);
}

/// <summary>A protocol's class name and the namespace of its code, for the duplicate-name check (no positions: they would defeat caching).</summary>
public sealed record ProtocolName(string Path, string Name, string Namespace);

/// <summary>A protocol a machine may speak: its spec (error-free), the namespace of its code and its model's path.</summary>
public sealed record ProtocolCandidate(ProtocolSpec Spec, string Namespace, string Path);

/// <summary>A state machine a machine may face: its spec and its model's path.</summary>
public sealed record MachineCandidate(MachineSpec Machine, string Path);

/// <summary>A state machine to check: the machine (possibly with errors), where its parts are, and its namespace.</summary>
public sealed record MachineInput(string Path, MachineSpec Machine, MachinePositions Positions, string Namespace, bool HasParseErrors);

/// <summary>A machine after its checks: the protocol it speaks (when found) and the checks' diagnostics.</summary>
public sealed record CheckedMachine(MachineInput Input, ProtocolCandidate? Protocol, EquatableArray<ModelDiagnostic> Diagnostics)
{
    /// <summary>The machine model's path.</summary>
    public string Path => Input.Path;

    /// <summary>True when the machine can be bound: no parse error, no check error, a protocol.</summary>
    public bool CanBind => Protocol is not null && !Input.HasParseErrors && !GenerationPipeline.HasErrors(Diagnostics);
}

/// <summary>What binding a protocol needs: no positions, so an edit that only moves lines leaves it equal.</summary>
public sealed record SpecInput(string Path, ProtocolSpec Spec, string Namespace);

/// <summary>What binding a machine needs: no positions.</summary>
public sealed record MachineBindInput(string Path, MachineSpec Machine, ProtocolSpec Protocol, string ProtocolNamespace, string Namespace);

/// <summary>What a render step produced: files, or the diagnostics that stopped it.</summary>
public sealed record RenderOutput(EquatableArray<GeneratedFile> Files, EquatableArray<ModelDiagnostic> Diagnostics);
