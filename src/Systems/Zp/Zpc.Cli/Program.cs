using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Zp.Client;
using Zproto.Runtime.Zmq;

namespace Zpc.Cli;

/// <summary>
/// <c>zpc [-r] [-p PORT] [--identity DIR] [--known-hosts FILE] [--stats] SRC... USER@HOST[:DEST]</c>:
/// copies files to a zpd host. Each file is skipped when the remote copy is identical, resumed
/// when an earlier copy was interrupted, sent under the receiver's credit, verified by SHA-256 and
/// renamed into place with its mode and mtime. Progress shows on a terminal only.
/// Exit: 0 copied, 1 a file was refused (e.g. digest mismatch, no permission), 255 transport failure or usage.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: zpc [-r] [-p PORT] [--identity DIR] [--known-hosts FILE] [--accept-new] [--key-port PORT] [--stats] SRC... USER@HOST[:DEST]
          DEST is relative to the remote user's home unless absolute; empty means the home itself.
        """;

    private static async Task<int> Main(string[] args)
    {
        var recursive = false;
        var stats = false;
        int? port = null;
        var identity = ClientIdentity.DefaultDirectory;
        var knownHosts = ClientIdentity.DefaultKnownHosts;
        var acceptNew = false;
        int? keyPort = null;
        var operands = new List<string>();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "-r":
                        recursive = true;
                        break;
                    case "--stats":
                        stats = true;
                        break;
                    case "-p":
                    case "--key-port":
                        var value = ++i < args.Length && int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                            ? p : throw new FormatException($"{args[i - 1]} needs a port (1-65535)");
                        if (args[i - 1] == "-p")
                            port = value;
                        else
                            keyPort = value;
                        break;
                    case "--identity":
                    case "-i":
                        identity = ++i < args.Length ? args[i] : throw new FormatException("--identity needs a directory");
                        break;
                    case "--accept-new":
                        acceptNew = true;
                        break;
                    case "--known-hosts":
                        knownHosts = ++i < args.Length ? args[i] : throw new FormatException("--known-hosts needs a file");
                        break;
                    case "-h":
                    case "--help":
                        Console.Out.WriteLine(Usage);
                        return 0;
                    default:
                        if (args[i].StartsWith('-') && args[i] != "-")
                            throw new FormatException($"unknown option '{args[i]}'");
                        operands.Add(args[i]);
                        break;
                }
            }
            if (operands.Count < 2)
                throw new FormatException("need SRC... and USER@HOST[:DEST]");
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"zpc: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 255;
        }

        try
        {
            var (target, destination) = ParseDestination(operands[^1], port);
            var plan = CopyPlan.Make(operands.GetRange(0, operands.Count - 1), destination, recursive);
            await using var connection = await HostKeys.ConnectAsync(target, new HostKeyPolicy
            {
                KnownHostsFile = knownHosts,
                AcceptNew = acceptNew,
                KeyPort = keyPort,
                Confirm = HostKeyPrompt.Interactive ? HostKeyPrompt.Ask : null,
                Notice = notice => Console.Error.WriteLine($"zpc: {notice}"),
            }, identity, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var progress = Console.IsErrorRedirected ? null : new TerminalProgress(plan);
            long sent = 0;
            int copied = 0, identical = 0, failed = 0;
            // Several files in flight at once: a small file is mostly round trips, and the
            // connection keeps their requests in order.
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = ZpConnection.MaxFilesInFlight };
            await Parallel.ForEachAsync(plan, parallel, async (item, cancellationToken) =>
            {
                try
                {
                    var result = await connection.CopyFileAsync(item.Local, item.Remote, progress?.ForFile(), cancellationToken).ConfigureAwait(false);
                    progress?.FileDone();
                    Interlocked.Add(ref sent, result.Sent);
                    Interlocked.Increment(ref result.Identical ? ref identical : ref copied);
                }
                catch (ZpRequestException e)
                {
                    progress?.Interrupt();
                    Console.Error.WriteLine($"zpc: {item.Local}: {e.Reason} ({e.Code})");
                    Interlocked.Increment(ref failed);
                }
            }).ConfigureAwait(false);
            progress?.Done();
            if (stats)
                Console.Out.WriteLine($"files {plan.Count}, copied {copied}, identical {identical}, failed {failed}, bytes sent {sent}");
            return failed > 0 ? 1 : 0;
        }
        catch (Exception e) when (e is ZpTransportException or FormatException or ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException or ZmqException or ZmqNotFoundException or TimeoutException)
        {
            Console.Error.WriteLine($"zpc: {e.Message}");
            return 255;
        }
    }

    /// <summary><c>USER@HOST[:DEST]</c>, scp's form: the first ':' after the host starts DEST; the port comes from -p.</summary>
    private static (ZpTarget Target, string Destination) ParseDestination(string text, int? port)
    {
        var at = text.IndexOf('@');
        if (at <= 0)
            throw new FormatException($"'{text}' is not USER@HOST[:DEST]");
        var hostStart = at + 1;
        var colon = text.Length > hostStart && text[hostStart] == '[' ? text.IndexOf(':', text.IndexOf(']', hostStart) + 1) : text.IndexOf(':', hostStart);
        var host = colon < 0 ? text[hostStart..] : text[hostStart..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        if (host.Length == 0)
            throw new FormatException($"'{text}' names no host");
        return (new ZpTarget(text[..at], host, port ?? ZpTarget.DefaultPort), colon < 0 ? "" : text[(colon + 1)..]);
    }

    /// <summary>One updating line on stderr for the whole copy: files done, percent of the bytes, rate.</summary>
    private sealed class TerminalProgress(IReadOnlyList<(string Local, string Remote)> plan)
    {
        private readonly object _lock = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly long _total = plan.Sum(item => new FileInfo(item.Local).Length);
        private readonly string _name = plan.Count == 1 ? plan[0].Local : $"{plan.Count} files";
        private long _done;
        private int _filesDone;
        private long _lastDrawn = -1;

        /// <summary>Progress of one file: the bytes the receiver has, added to the total as they grow.</summary>
        public IProgress<long> ForFile() => new FileProgress(this);

        public void FileDone() => Add(0, fileDone: true);

        /// <summary>Ends the line, so an error message starts on its own.</summary>
        public void Interrupt()
        {
            lock (_lock)
            {
                Console.Error.WriteLine();
                _lastDrawn = -1;
            }
        }

        public void Done()
        {
            lock (_lock)
            {
                Draw();
                Console.Error.WriteLine();
            }
        }

        private void Add(long bytes, bool fileDone)
        {
            lock (_lock)
            {
                _done += bytes;
                if (fileDone)
                    _filesDone++;
                if (_lastDrawn < 0 || _clock.ElapsedMilliseconds - _lastDrawn >= 200)
                    Draw();
            }
        }

        private void Draw()
        {
            _lastDrawn = _clock.ElapsedMilliseconds;
            var percent = _total == 0 ? 100 : _done * 100 / _total;
            var rate = _done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001) / (1024 * 1024);
            var files = plan.Count == 1 ? "" : $"  {_filesDone}/{plan.Count}";
            Console.Error.Write($"\r{_name}{files}  {percent,3}%  {rate,8:0.0} MiB/s");
        }

        private sealed class FileProgress(TerminalProgress total) : IProgress<long>
        {
            private long _reported;

            public void Report(long value)
            {
                var delta = value - _reported;
                _reported = value;
                total.Add(delta, fileDone: false);
            }
        }
    }
}
