using System;
using System.Threading.Tasks;
using Spectre.Console;

namespace Zpipes.Cli;

/// <summary>The Spectre.Console progress display, drawn on stderr (stdout carries the data).</summary>
internal static class ProgressDisplay
{
    public static async Task RunAsync(TransferRequest request, long? total, Func<Action<long>, Task<long>> run)
    {
        // Interactive on purpose: Spectre judges by stdin, which is the data being written; the
        // caller already checked that stderr, where this is drawn, is a terminal.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        var verb = request.Mode == ZpipeMode.Write ? "writing" : "reading";
        // A bar and a percentage only when the size is known (stdin is a regular file); else a spinner.
        ProgressColumn[] columns = total is null
            ? [new TaskDescriptionColumn(), new SpinnerColumn(), new TransferSpeedColumn(), new ElapsedTimeColumn()]
            : [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new ElapsedTimeColumn()];
        await console.Progress()
            .AutoClear(false)
            .Columns(columns)
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(verb, request.PipeName, 0), maxValue: total ?? 1);
                await run(bytes =>
                {
                    task.Description = Describe(verb, request.PipeName, bytes);
                    if (total is null)
                        task.MaxValue = Math.Max(bytes, 1);
                    task.Value = bytes;
                }).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
            }).ConfigureAwait(false);
    }

    private static string Describe(string verb, string pipe, long bytes) =>
        $"{verb} [bold]{Markup.Escape(pipe)}[/] {Size(bytes)}";

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };
}
