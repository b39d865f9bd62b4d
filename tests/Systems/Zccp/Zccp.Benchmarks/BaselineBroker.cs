using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Zccp.Benchmarks;

/// <summary>
/// zccpd from another build of the repository (an earlier commit), running in this process beside the
/// current one, so a benchmark measures before and after in one BenchmarkDotNet run. Its assemblies
/// (zccpd, Zccp.*, Zproto.*) load into their own <see cref="AssemblyLoadContext"/> from the directory
/// in <c>ZCCP_BASELINE_DIR</c> (<c>build-baseline.sh</c> builds it); everything else, and libzmq, is
/// shared. It is driven by reflection only to start and stop; the benchmark talks to it over tcp.
/// </summary>
internal sealed class BaselineBroker : IDisposable
{
    public const string DirectoryVariable = "ZCCP_BASELINE_DIR";

    /// <summary>The category of benchmarks that need the baseline build; left out when <see cref="DirectoryVariable"/> is not set.</summary>
    public const string Category = "baseline-build";

    /// <summary>True when a baseline build was named.</summary>
    public static bool IsConfigured => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DirectoryVariable));

    private readonly IDisposable _server;

    private BaselineBroker(IDisposable server, string endpoint)
    {
        _server = server;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    /// <summary>Starts the baseline build's broker on a free tcp port, heartbeats off.</summary>
    public static BaselineBroker Start()
    {
        var directory = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrEmpty(directory) || !File.Exists(Path.Combine(directory, "zccpd.dll")))
            throw new InvalidOperationException($"{DirectoryVariable} must name a directory holding a build of zccpd.dll (see docs/benchmarks-zccp.md)");
        var context = new BuildLoadContext(directory);
        var zccpd = context.LoadFromAssemblyName(new AssemblyName("zccpd"));
        var runtime = context.LoadFromAssemblyName(new AssemblyName("Zproto.Runtime"));

        var optionsType = runtime.GetType("Zproto.Runtime.Servers.ServerOptions", throwOnError: true)!;
        var options = Activator.CreateInstance(optionsType)!;
        ((IList<string>)optionsType.GetProperty("Endpoints")!.GetValue(options)!).Add("tcp://127.0.0.1:*");
        var policyType = zccpd.GetType("Zccpd.BrokerPolicy", throwOnError: true)!;
        var policy = Activator.CreateInstance(policyType)!;
        policyType.GetProperty("HeartbeatInterval")!.SetValue(policy, TimeSpan.Zero);

        var serverType = zccpd.GetType("Zccpd.ZccpServer", throwOnError: true)!;
        var constructor = Array.Find(serverType.GetConstructors(), c => c.GetParameters().Length == 3)
            ?? throw new InvalidOperationException("the baseline's ZccpServer has no (options, logger, policy) constructor");
        var server = constructor.Invoke(new[] { options, null, policy });
        serverType.GetMethod("Start")!.Invoke(server, null);
        var endpoints = (IReadOnlyList<string>)serverType.GetProperty("Endpoints")!.GetValue(server)!;
        return new BaselineBroker((IDisposable)server, endpoints[0]);
    }

    public void Dispose() => _server.Dispose();

    // The build's own assemblies from its directory; framework and package assemblies from the default context.
    private sealed class BuildLoadContext(string directory) : AssemblyLoadContext("zccpd-baseline")
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(directory, name.Name + ".dll");
            var own = name.Name is "zccpd" || name.Name!.StartsWith("Zccp", StringComparison.Ordinal) || name.Name.StartsWith("Zproto", StringComparison.Ordinal);
            return own && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
