using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
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
            var showProgress = !Console.IsErrorRedirected;
            long sent = 0;
            int copied = 0, identical = 0, failed = 0;
            foreach (var (local, remote) in plan)
            {
                var progress = showProgress ? new TerminalProgress(local, new FileInfo(local).Length) : null;
                try
                {
                    var result = await connection.CopyFileAsync(local, remote, progress).ConfigureAwait(false);
                    progress?.Done();
                    sent += result.Sent;
                    if (result.Identical)
                        identical++;
                    else
                        copied++;
                }
                catch (ZpRequestException e)
                {
                    progress?.Done();
                    Console.Error.WriteLine($"zpc: {local}: {e.Reason} ({e.Code})");
                    failed++;
                }
            }
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

    /// <summary>One updating line on stderr per file: name, percent, rate.</summary>
    private sealed class TerminalProgress(string name, long size) : IProgress<long>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastDrawn = -1;

        public void Report(long value)
        {
            if (_lastDrawn >= 0 && _clock.ElapsedMilliseconds - _lastDrawn < 200 && value < size)
                return;
            _lastDrawn = _clock.ElapsedMilliseconds;
            var percent = size == 0 ? 100 : value * 100 / size;
            var rate = value / Math.Max(_clock.Elapsed.TotalSeconds, 0.001) / (1024 * 1024);
            Console.Error.Write($"\r{name}  {percent,3}%  {rate,8:0.0} MiB/s");
        }

        public void Done() => Console.Error.WriteLine();
    }
}
