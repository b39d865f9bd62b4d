using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Remctl.Daemon;

/// <summary>Turns the config's handler entries into handlers, loading each assembly once.</summary>
internal sealed class HandlerFactory(ILoggerFactory loggerFactory)
{
    private readonly Dictionary<string, Assembly> _assemblies = new(StringComparer.Ordinal);

    /// <summary>Creates the handler for <paramref name="command"/>.</summary>
    /// <exception cref="DaemonConfigException">The assembly or type cannot be loaded or created.</exception>
    public IRemctlHandler Create(CommandConfig command) => command.Handler switch
    {
        ExecHandlerConfig exec => new RemctlExecHandler(exec.Options, loggerFactory.CreateLogger($"Remctl.Exec.{command.Subcommand}")),
        AssemblyHandlerConfig assembly => CreateFromAssembly(command.Subcommand, assembly),
        _ => throw new DaemonConfigException($"commands.{command.Subcommand}: unsupported handler"),
    };

    private IRemctlHandler CreateFromAssembly(string subcommand, AssemblyHandlerConfig config)
    {
        var where = $"commands.{subcommand}";
        var assembly = LoadAssembly(where, config.Path);
        var type = assembly.GetType(config.TypeName, throwOnError: false)
            ?? throw new DaemonConfigException($"{where}: type '{config.TypeName}' not found in {config.Path}");
        if (!typeof(IRemctlHandler).IsAssignableFrom(type) || type.IsAbstract)
            throw new DaemonConfigException($"{where}: type '{config.TypeName}' is not a concrete class implementing {typeof(IRemctlHandler).FullName}");

        var withSettings = type.GetConstructor([typeof(IReadOnlyDictionary<string, string>)]);
        var parameterless = type.GetConstructor(Type.EmptyTypes);
        try
        {
            if (withSettings is not null)
                return (IRemctlHandler)withSettings.Invoke([config.Settings]);
            if (parameterless is not null)
            {
                if (config.Settings.Count > 0)
                    throw new DaemonConfigException($"{where}: settings given, but '{config.TypeName}' has no constructor taking IReadOnlyDictionary<string, string>");
                return (IRemctlHandler)parameterless.Invoke(null);
            }
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new DaemonConfigException($"{where}: '{config.TypeName}' failed to start: {inner.GetType().Name}: {inner.Message}", inner);
        }
        throw new DaemonConfigException($"{where}: '{config.TypeName}' needs a public constructor taking nothing or IReadOnlyDictionary<string, string>");
    }

    private Assembly LoadAssembly(string where, string path)
    {
        if (_assemblies.TryGetValue(path, out var loaded))
            return loaded;
        if (!File.Exists(path))
            throw new DaemonConfigException($"{where}: handler assembly {path} not found");
        try
        {
            var assembly = new HandlerLoadContext(path).LoadFromAssemblyPath(path);
            _assemblies.Add(path, assembly);
            return assembly;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException)
        {
            throw new DaemonConfigException($"{where}: cannot load {path}: {e.Message}", e);
        }
    }
}
