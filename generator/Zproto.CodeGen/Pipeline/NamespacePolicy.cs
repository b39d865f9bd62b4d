using Zproto.Model.Specs;

namespace Zproto.CodeGen.Pipeline;

/// <summary>
/// The namespace of a model's generated code, decided in one place for both front ends: the
/// namespace asked for explicitly (the generator's <c>Namespace</c> item metadata, the CLI's
/// <c>--namespace</c>), else the protocol model's own <c>namespace</c> attribute, else the
/// project's namespace (the generator's <c>RootNamespace</c>; the CLI has none), else
/// <see cref="Default"/>. The model's attribute comes before RootNamespace because every SDK
/// project has a RootNamespace, which would otherwise always win.
/// </summary>
public static class NamespacePolicy
{
    /// <summary>The namespace used when neither the model nor its front end names one.</summary>
    public const string Default = "Zproto.Generated";

    /// <summary>Chooses the namespace (see the class remarks); empty strings mean "not given".</summary>
    public static string Choose(string explicitNamespace, ProtocolSpec? spec, string projectNamespace)
    {
        if (explicitNamespace.Length > 0)
            return explicitNamespace;
        if (spec is { Namespace.Length: > 0 })
            return spec.Namespace;
        return projectNamespace.Length > 0 ? projectNamespace : Default;
    }
}
