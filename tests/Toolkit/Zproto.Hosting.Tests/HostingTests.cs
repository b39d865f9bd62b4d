using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using Zproto.Echo;
using Zproto.Hosting;
using Zproto.Runtime.Clients;
using Zproto.Runtime.Servers;

namespace Zproto.Hosting.Tests;

public class HostingTests
{
    [Fact]
    public async Task A_generated_server_runs_as_a_hosted_service_configured_from_configuration()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Echo:Endpoints:0"] = "tcp://127.0.0.1:*",
            ["Echo:Timeout"] = "2500",
            ["Echo:Verbose"] = "true",
        });
        builder.Services.AddZprotoServer<EchoServer>(builder.Configuration.GetSection("Echo"));
        using var host = builder.Build();
        await host.StartAsync();

        var server = host.Services.GetRequiredService<EchoServer>();
        Assert.Equal(TimeSpan.FromMilliseconds(2500), server.Options.ClientTimeout);
        Assert.True(server.Options.Verbose);
        var endpoint = Assert.Single(server.Endpoints);
        Assert.StartsWith("tcp://127.0.0.1:", endpoint);

        await using (var client = new EchoClient(new ClientOptions()))
        {
            client.Start();
            Assert.IsType<EchoClient.Success>((await client.ConnectAsync(endpoint)).Value);
            Assert.IsType<EchoClient.Echoed>((await client.RoundTripAsync(1, new byte[] { 1 })).Value);
        }

        var stop = host.StopAsync();
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void A_zpl_file_named_in_configuration_is_applied_before_the_section()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "server\n    timeout = 10000\n    verbose = 1\nEchoServer\n    bind\n        endpoint = tcp://127.0.0.1:5999\n");
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConfigFile"] = file,
                ["Endpoint"] = "inproc://extra",
            }).Build();
            var options = new ServerOptions().Apply(configuration, "EchoServer");
            Assert.Equal(TimeSpan.FromSeconds(10), options.ClientTimeout);
            Assert.True(options.Verbose);
            Assert.Equal(new[] { "tcp://127.0.0.1:5999", "inproc://extra" }, options.Endpoints.ToArray());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_bad_value_names_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Timeout"] = "soon" }).Build();
        var error = Assert.Throws<FormatException>(() => new ServerOptions().Apply(configuration, "EchoServer"));
        Assert.Contains("Timeout", error.Message);
    }
}
