using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace Remctl.Daemon;

/// <summary>
/// Loads a handler assembly with its own dependencies (found through its .deps.json), while
/// assemblies the daemon already has, Remctl above all, come from the daemon. Sharing Remctl is
/// what makes the handler's <see cref="IRemctlHandler"/> the same type the daemon casts to.
/// </summary>
internal sealed class HandlerLoadContext(string assemblyPath) : AssemblyLoadContext($"remctl-handler:{assemblyPath}")
{
    private readonly AssemblyDependencyResolver _resolver = new(assemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (Default.Assemblies.Any(loaded => string.Equals(loaded.GetName().Name, assemblyName.Name, StringComparison.Ordinal)))
            return null;
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
