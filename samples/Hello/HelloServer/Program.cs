using System;
using Hello;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zproto.Hosting;

// Endpoints and options come from configuration: appsettings.json, environment variables or the
// command line, e.g. `HelloServer --Hello:Endpoints:0=tcp://127.0.0.1:5560 --Hello:Verbose=true`.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddZprotoServer<HelloServer>(builder.Configuration.GetSection("Hello"));
using var host = builder.Build();
await host.StartAsync();

// With tcp://127.0.0.1:* the system picks the port; say which one it picked.
Console.WriteLine("listening on " + string.Join(" ", host.Services.GetRequiredService<HelloServer>().Endpoints));
await host.WaitForShutdownAsync();
