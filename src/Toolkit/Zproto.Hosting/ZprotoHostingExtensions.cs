using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zproto.Runtime.Servers;

namespace Zproto.Hosting;

/// <summary>Registers generated servers with the Generic Host.</summary>
public static class ZprotoHostingExtensions
{
    /// <summary>
    /// Adds <typeparamref name="TServer"/> as a singleton and runs it as a hosted service: started
    /// (endpoints bound) when the host starts, disposed when it stops. Options come from
    /// <paramref name="configuration"/> (see <see cref="ServerOptionsConfiguration"/>), then <paramref name="configure"/>.
    /// The server is created with its (ServerOptions, ILogger&lt;TServer&gt;) constructor through DI.
    /// </summary>
    public static IServiceCollection AddZprotoServer<TServer>(this IServiceCollection services, IConfiguration? configuration = null, Action<ServerOptions>? configure = null)
        where TServer : class, IZprotoServer
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider =>
        {
            var options = new ServerOptions();
            if (configuration is not null)
                options.Apply(configuration, typeof(TServer).Name);
            configure?.Invoke(options);
            return ActivatorUtilities.CreateInstance<TServer>(provider, options);
        });
        services.AddSingleton<IHostedService>(provider => new ZprotoServerService(provider.GetRequiredService<TServer>()));
        return services;
    }

    /// <summary>Starts and stops one server with the host.</summary>
    private sealed class ZprotoServerService(IZprotoServer server) : IHostedService
    {
        public System.Threading.Tasks.Task StartAsync(System.Threading.CancellationToken cancellationToken)
        {
            server.Start();
            return System.Threading.Tasks.Task.CompletedTask;
        }

        public System.Threading.Tasks.Task StopAsync(System.Threading.CancellationToken cancellationToken) => server.DisposeAsync().AsTask();
    }
}
