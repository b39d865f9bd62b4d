using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Net;
using System.Text;
using System.Threading;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Hello;

/// <summary>
/// The seed README's example (§5.7). <c>vtx-hello server --bind udp://*:PORT</c> is a REP that prints
/// each request and answers <c>ack</c>; <c>vtx-hello client --connect udp://127.0.0.255:PORT</c> sends
/// <c>hello?</c>, waits up to 1,000 ms for the answer and, after N answers, exits 0.
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

        var bind = new Option<string>("--bind") { Description = "Endpoint to bind, e.g. udp://*:32000.", Required = true };
        var server = new Command("server", "A REP that prints each request and replies 'ack'.") { bind };

        var connect = new Option<string>("--connect") { Description = "Endpoint to connect, e.g. udp://127.0.0.255:32000.", Required = true };
        var interval = new Option<int>("--interval") { Description = "Pause after each answer, in ms (default 1000).", DefaultValueFactory = _ => 1000 };
        var giveUp = new Option<int>("--give-up") { Description = "Exit 1 if the exchanges are not done after this many ms (0: never)." };
        var client = new Command("client", "A REQ that sends 'hello?' and waits up to 1 s for 'ack'.") { connect, interval, giveUp };

        var root = new RootCommand("vtx-hello: the VTX broadcast-discovery example over the NOM-1 udp driver.") { broadcast, count, server, client };
        server.SetAction(parse => Run(parse.GetValue(broadcast)!, vtx => Serve(vtx, parse.GetValue(bind)!, parse.GetValue(count))));
        client.SetAction(parse => Run(parse.GetValue(broadcast)!, vtx => Ask(vtx, parse.GetValue(connect)!, parse.GetValue(count), parse.GetValue(interval), parse.GetValue(giveUp))));
        return root.Parse(args).Invoke();
    }

    private static int Run(string broadcast, Func<VtxManager, int> body)
    {
        if (!IPAddress.TryParse(broadcast, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            return Usage($"--broadcast '{broadcast}' is not an IPv4 address");
        try
        {
            using var vtx = new VtxManager();
            vtx.RegisterUdp(new UdpDriverOptions { BroadcastAddress = address });
            return body(vtx);
        }
        catch (VtxException e)
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
