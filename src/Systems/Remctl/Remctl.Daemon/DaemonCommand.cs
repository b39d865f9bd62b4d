using System;
using System.CommandLine;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Remctl.Protocol;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;

namespace Remctl.Daemon;

/// <summary>
/// <c>remctl-zmqd --bind ENDPOINT [--config FILE] [--short-tags] [--verbose]</c>: serves until
/// SIGINT or SIGTERM, then lets running commands finish and exits 0.
/// </summary>
/// <remarks>
/// Exit codes: 0 clean stop; 1 the endpoint cannot be bound or libzmq is missing; 2 usage error or
/// a config file that is missing, unreadable or invalid. Errors are one line on stderr; the log
/// (one line per event) also goes to stderr, so stdout stays empty.
/// </remarks>
internal static class DaemonCommand
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    private const string Name = "remctl-zmqd";

    public static int Run(string[] args)
    {
        var bind = new Option<string>("--bind")
        {
            Description = "Endpoint to bind, e.g. tcp://127.0.0.1:5555 (tcp://127.0.0.1:* picks a free port; the log shows which).",
            Required = true,
        };
        var config = new Option<string?>("--config") { Description = "JSON file mapping subcommands to handlers (see docs/remctl.md). Without it every subcommand gets ERRORCODE 5." };
        var shortTags = new Option<bool>("--short-tags") { Description = "Reply with short tags (O, R, E) instead of OUTPUT, RETURNCODE, ERRORCODE." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every request." };
        var defaults = new RemctlServerOptions();
        var maxHandlers = new Option<int>("--max-handlers")
        {
            Description = $"Handlers (exec processes) running at once; further requests wait (default {defaults.MaxConcurrentHandlers}).",
            DefaultValueFactory = _ => defaults.MaxConcurrentHandlers,
        };
        var maxQueue = new Option<int>("--max-queue")
        {
            Description = $"Requests waiting for a handler; beyond it a request gets ERRORCODE 1 at once (default {defaults.MaxQueuedRequests}).",
            DefaultValueFactory = _ => defaults.MaxQueuedRequests,
        };
        maxHandlers.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--max-handlers must be at least 1"); });
        maxQueue.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--max-queue cannot be negative"); });
        var root = new RootCommand("remctl-zmqd: a persistent remctl backend over ZeroMQ (remctld type=zeromq).")
        {
            bind, config, shortTags, verbose, maxHandlers, maxQueue,
        };
        root.SetAction(parse => Serve(parse.GetValue(bind)!, parse.GetValue(config), verbose: parse.GetValue(verbose), options: defaults with
        {
            ReplyTags = parse.GetValue(shortTags) ? RemctlMsg.TagStyle.Short : RemctlMsg.TagStyle.Long,
            MaxConcurrentHandlers = parse.GetValue(maxHandlers),
            MaxQueuedRequests = parse.GetValue(maxQueue),
        }));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
                Console.Error.WriteLine($"{Name}: {error.Message}");
            Console.Error.WriteLine($"Try '{Name} --help'.");
            return Usage;
        }
        // Signals are ours (see Serve): the daemon drains before exiting, on its own schedule.
        return result.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
    }

    private static int Serve(string endpoint, string? configPath, bool verbose, RemctlServerOptions options)
    {
        DaemonConfig config;
        try
        {
            config = configPath is null ? DaemonConfig.Empty : DaemonConfigReader.Load(configPath);
        }
        catch (DaemonConfigException e)
        {
            Console.Error.WriteLine($"{Name}: {e.Message}");
            return Usage;
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        var logger = loggerFactory.CreateLogger(Name);

        using var stop = new ManualResetEventSlim();
        // After a burst of requests, RSS returns near idle once the daemon goes quiet.
        using var trimmer = new IdleMemoryTrimmer(TimeSpan.FromSeconds(5));
        // Registered before binding, so a signal that arrives during start-up is not lost.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        try
        {
            using var server = new RemctlServer(options, loggerFactory.CreateLogger<RemctlServer>());
            var factory = new HandlerFactory(loggerFactory);
            foreach (var command in config.Commands)
            {
                var route = server.Map(command.Subcommand, factory.Create(command));
                if (command.Users is { } users)
                    route.AllowUsers(users);
                if (command.Handler is AssemblyHandlerConfig { Inline: true })
                    route.RunInline();
                logger.LogInformation("{Subcommand}: {Handler}{Acl}", command.Subcommand, Describe(command.Handler),
                    command.Users is null ? "" : $", users: {string.Join(", ", command.Users)}");
            }
            server.Start(endpoint);
            stop.Wait();
            logger.LogInformation("Stopping: finishing running commands");
        }
        catch (DaemonConfigException e)
        {
            // Loading handlers is part of reading the config: name the file, as the reader does.
            Console.Error.WriteLine($"{Name}: config file {configPath}: {e.Message}");
            return Usage;
        }
        catch (ZmqException e)
        {
            Console.Error.WriteLine($"{Name}: cannot serve {endpoint}: {e.Message}");
            return Failure;
        }
        catch (ZmqNotFoundException e)
        {
            Console.Error.WriteLine($"{Name}: {e.Message}");
            return Failure;
        }
        logger.LogInformation("Stopped");
        return Success;

        void OnSignal(PosixSignalContext context)
        {
            // Cancel the default (immediate termination): the daemon stops by itself once drained.
            context.Cancel = true;
            stop.Set();
        }
    }

    private static string Describe(HandlerConfig handler) => handler switch
    {
        ExecHandlerConfig exec => $"exec {exec.Options.Program}",
        AssemblyHandlerConfig assembly => $"{assembly.TypeName} from {Path.GetFileName(assembly.Path)}{(assembly.Inline ? ", inline" : "")}",
        _ => handler.GetType().Name,
    };
}
