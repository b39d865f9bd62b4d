using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using Zproto.Vtx.Tls;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Hello;

/// <summary>
/// The seed README's example (§5.7). <c>vtx-hello server --bind udp://*:PORT</c> is a REP that prints
/// each request and answers <c>ack</c>; <c>vtx-hello client --connect udp://127.0.0.255:PORT</c> sends
/// <c>hello?</c>, waits up to 1,000 ms for the answer and, after N answers, exits 0. The same over
/// <c>tls://</c>: <c>--cert/--key</c> are the server's certificate (or the client's, when the server
/// requires one) and <c>--ca</c> the authority the peer's certificate must chain to, all PEM files.
/// </summary>
public static class Program
{
    private const int ExitOk = 0, ExitGaveUp = 1, ExitUsage = 2;
    private static readonly TimeSpan s_replyWait = TimeSpan.FromMilliseconds(1000);

    private static int Main(string[] args)
    {
        var broadcast = new Option<string>("--broadcast")
        {
            Description = "Address a udp://*:PORT connect broadcasts to (default 127.255.255.255, loopback only).",
            DefaultValueFactory = _ => "127.255.255.255",
            Recursive = true,
        };
        var count = new Option<int>("--count", "-n") { Description = "Exit 0 after this many exchanges (0: run until stopped).", Recursive = true };
        var cert = new Option<FileInfo?>("--cert") { Description = "tls: PEM certificate this side presents (the server's; the client's when the server requires one).", Recursive = true };
        var key = new Option<FileInfo?>("--key") { Description = "tls: PEM private key of --cert.", Recursive = true };
        var ca = new Option<FileInfo?>("--ca") { Description = "tls: PEM certificate authorities the peer's certificate must chain to (default: the system's).", Recursive = true };

        var bind = new Option<string>("--bind") { Description = "Endpoint to bind, e.g. udp://*:32000.", Required = true };
        var requireClientCert = new Option<bool>("--require-client-cert") { Description = "tls: refuse clients without a certificate trusted by --ca." };
        var server = new Command("server", "A REP that prints each request and replies 'ack'.") { bind, requireClientCert };

        var connect = new Option<string>("--connect") { Description = "Endpoint to connect, e.g. udp://127.0.0.255:32000.", Required = true };
        var interval = new Option<int>("--interval") { Description = "Pause after each answer, in ms (default 1000).", DefaultValueFactory = _ => 1000 };
        var giveUp = new Option<int>("--give-up") { Description = "Exit 1 if the exchanges are not done after this many ms (0: never)." };
        var client = new Command("client", "A REQ that sends 'hello?' and waits up to 1 s for 'ack'.") { connect, interval, giveUp };

        var root = new RootCommand("vtx-hello: the VTX broadcast-discovery example over the udp (NOM-1) or tls driver.") { broadcast, count, cert, key, ca, server, client };
        server.SetAction(parse => Run(parse.GetValue(broadcast)!, Tls(parse, cert, key, ca, isServer: true, parse.GetValue(requireClientCert)),
            vtx => Serve(vtx, parse.GetValue(bind)!, parse.GetValue(count))));
        client.SetAction(parse => Run(parse.GetValue(broadcast)!, Tls(parse, cert, key, ca, isServer: false, requireClientCert: false),
            vtx => Ask(vtx, parse.GetValue(connect)!, parse.GetValue(count), parse.GetValue(interval), parse.GetValue(giveUp))));
        return root.Parse(args).Invoke();
    }

    /// <summary>The tls driver's settings from the PEM options, loaded when the driver is registered.</summary>
    private static Func<TlsDriverOptions> Tls(ParseResult parse, Option<FileInfo?> cert, Option<FileInfo?> key, Option<FileInfo?> ca, bool isServer, bool requireClientCert) => () =>
    {
        var certFile = parse.GetValue(cert);
        var keyFile = parse.GetValue(key);
        if ((certFile is null) != (keyFile is null))
            throw new ArgumentException("--cert and --key go together");
        var own = certFile is null ? null : X509Certificate2.CreateFromPemFile(certFile.FullName, keyFile!.FullName);
        var authorities = new X509Certificate2Collection();
        if (parse.GetValue(ca) is { } caFile)
            authorities.ImportFromPemFile(caFile.FullName);
        return new TlsDriverOptions
        {
            ServerCertificate = isServer ? own : null,
            ClientCertificate = isServer ? null : own,
            TrustedAuthorities = authorities,
            RequireClientCertificate = requireClientCert,
        };
    };

    private static int Run(string broadcast, Func<TlsDriverOptions> tls, Func<VtxManager, int> body)
    {
        if (!IPAddress.TryParse(broadcast, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            return Usage($"--broadcast '{broadcast}' is not an IPv4 address");
        try
        {
            using var vtx = new VtxManager();
            vtx.RegisterUdp(new UdpDriverOptions { BroadcastAddress = address });
            vtx.RegisterTls(tls());
            return body(vtx);
        }
        catch (Exception e) when (e is VtxException or ArgumentException or IOException or CryptographicException)
        {
            return Usage(e.Message);
        }
    }

    private static int Serve(VtxManager vtx, string endpoint, int count)
    {
        var socket = vtx.CreateSocket(VtxSocketType.Rep);
        string bound = vtx.Bind(socket, endpoint);
        Console.WriteLine($"listening on {bound}");
        var frames = new List<byte[]>();
        for (int served = 0; count == 0 || served < count; served++)
        {
            socket.TryReceiveMultipart(frames);
            Console.WriteLine(Encoding.UTF8.GetString(frames[0]));
            socket.Send("ack"u8);
        }
        return ExitOk;
    }

    private static int Ask(VtxManager vtx, string endpoint, int count, int interval, int giveUp)
    {
        var socket = vtx.CreateSocket(VtxSocketType.Req);
        vtx.Connect(socket, endpoint);
        socket.ReceiveTimeout = s_replyWait;
        long deadline = giveUp > 0 ? Environment.TickCount64 + giveUp : long.MaxValue;
        var frames = new List<byte[]>();
        for (int answered = 0; count == 0 || answered < count;)
        {
            if (Environment.TickCount64 > deadline)
            {
                Console.Error.WriteLine($"vtx-hello: gave up after {answered} of {count} answers");
                return ExitGaveUp;
            }
            // While a request is unanswered the REQ emulation drops this one and keeps resending the first.
            socket.Send("hello?"u8);
            Console.WriteLine("hello?");
            if (!socket.TryReceiveMultipart(frames))
                continue;
            Console.WriteLine(Encoding.UTF8.GetString(frames[0]));
            answered++;
            if (count == 0 || answered < count)
                Thread.Sleep(interval);
        }
        return ExitOk;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"vtx-hello: {message}");
        return ExitUsage;
    }
}
