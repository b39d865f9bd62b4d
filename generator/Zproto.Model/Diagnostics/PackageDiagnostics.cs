namespace Zproto.Model.Diagnostics;

/// <summary>
/// The ZP4xxx band: how the consuming project is set up (references, build props), as opposed to
/// what a model says. The generator reports these; docs/diagnostics.md documents them.
/// </summary>
public static class PackageDiagnostics
{
    /// <summary>ZP4001: a server or client model in a project that does not reference Zproto.Runtime.</summary>
    public static readonly DiagnosticDescriptor RuntimeNotReferenced = new("ZP4001", Severity.Error, "Runtime not referenced",
        "'{0}' is a {1} model, and generated {1}s run on Zproto.Runtime, which this project does not reference: add <PackageReference Include=\"Zproto.Net.Runtime\" /> (or a ProjectReference to src/Toolkit/Zproto.Runtime)");

    /// <summary>ZP4002: the generator's build props are not imported, so file metadata and RootNamespace are invisible.</summary>
    public static readonly DiagnosticDescriptor PropsNotImported = new("ZP4002", Severity.Warning, "Generator props not imported",
        "the Zproto.Net.Generator build props are not imported, so the generator cannot see the Namespace metadata of '{0}' or the project's RootNamespace; reference the Zproto.Net.Generator package (it imports them) or add <Import Project=\"PATH/generator/Zproto.Generator/build/Zproto.Net.Generator.props\" />");
}
