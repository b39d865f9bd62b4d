using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Zproto.Runtime.Zmq;

namespace Zproto.Soak;

/// <summary>The attacks on remctl-zmqd: an oversize request, many slow exec requests, hostile frames, many pipelining clients.</summary>
internal sealed class RemctlAttacks(ServerProcess daemon, ZmqContext context, Scale scale, Action<Result> report)
{
    private readonly long _idle = daemon.Rss();

    public void RunAll()
    {
        Measure("one oversize argument frame", Result.Mib(scale.RemctlRequestBytes), Scale.RequestBound, OversizeRequest);
        Measure($"concurrent slow exec requests, --max-handlers {scale.MaxHandlers}", $"{scale.SlowExecs} x sleep {scale.SlowExecSeconds}", scale.PipeBound, SlowExecs);
        Measure("random and mutated requests during a good one", $"{scale.FuzzFrames:N0} messages", scale.PipeBound, HostileRequests);
        Measure("clients pipelining requests", $"{scale.Clients} x {scale.RequestsPerClient:N0}", scale.PipeBound, ManyClients);
    }

    private void Measure(string attack, string volume, long bound, Func<string> load) =>
        LoadMeasurement.Run(daemon, _idle, "remctl-zmqd", $"{attack} ({volume})", bound, load, report);

    private static List<ReadOnlyMemory<byte>> Request(params ReadOnlyMemory<byte>[] arguments)
    {
        var frames = new List<ReadOnlyMemory<byte>> { Array.Empty<byte>(), "ARGUMENT"u8.ToArray(), Encoding.ASCII.GetBytes(arguments.Length.ToString()) };
        frames.AddRange(arguments);
        frames.Add("ENVIRONMENT"u8.ToArray());
        frames.Add("0"u8.ToArray());
        return frames;
    }

    private static ReadOnlyMemory<byte> Text(string text) => Encoding.UTF8.GetBytes(text);

    private ZmqSocket Dealer(TimeSpan? receiveTimeout = null)
    {
        var socket = new ZmqSocket(context, ZmqSocketType.Dealer) { SendHighWatermark = 0, ReceiveTimeout = receiveTimeout ?? TimeSpan.FromSeconds(60) };
        socket.Connect(daemon.Endpoint!);
        return socket;
    }

    /// <summary>The status of a reply: "RETURNCODE n" or "ERRORCODE n".</summary>
    private static string Status(List<byte[]> frames) => $"{Encoding.ASCII.GetString(frames[^2])} {Encoding.ASCII.GetString(frames[^1])}";

    /// <summary>A request whose one argument is larger than the daemon's 100 MiB limit: libzmq drops
    /// the connection at the frame header (no reply), and a good request is answered afterwards.</summary>
    private string OversizeRequest()
    {
        string answer;
        using (var big = Dealer(TimeSpan.FromSeconds(5)))
        {
            var argument = GC.AllocateUninitializedArray<byte>(checked((int)Math.Min(scale.RemctlRequestBytes, Array.MaxLength)));
            big.SendMultipart(Request(Text("echo"), argument));
            var frames = new List<byte[]>();
            answer = big.TryReceiveMultipart(frames) ? Status(frames) : "no reply (dropped by libzmq at ZMQ_MAXMSGSIZE)";
        }
        using var good = Dealer();
        good.SendMultipart(Request(Text("echo"), Text("hello")));
        var status = Status(good.ReceiveMultipart());
        if (status != "RETURNCODE 0")
            throw new InvalidOperationException($"a good request after the oversize one got {status}");
        return $"{answer}; next request RETURNCODE 0";
    }

    /// <summary>Slow exec requests all at once, from one peer each: the daemon runs at most
    /// --max-handlers processes at a time (counted from /proc) and answers every request.</summary>
    private string SlowExecs()
    {
        var peak = 0;
        using var done = new CancellationTokenSource();
        var counter = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, daemon.CountChildren());
                Thread.Sleep(10);
            }
        });
        var statuses = new List<string>();
        var sockets = new List<ZmqSocket>();
        try
        {
            var poller = new ZmqPoller();
            for (var i = 0; i < scale.SlowExecs; i++)
            {
                var socket = Dealer();
                sockets.Add(socket);
                poller.Add(socket);
                socket.SendMultipart(Request(Text("sleep"), Text(scale.SlowExecSeconds)));
            }
            var frames = new List<byte[]>();
            while (statuses.Count < scale.SlowExecs)
            {
                if (poller.Poll(TimeSpan.FromSeconds(60)) == 0)
                    throw new TimeoutException($"{scale.SlowExecs - statuses.Count} requests unanswered after 60 s");
                for (var i = 0; i < sockets.Count; i++)
                {
                    if ((poller.GetReadyEvents(i) & ZmqPollEvents.In) != 0 && sockets[i].TryReceiveMultipart(frames, dontWait: true))
                        statuses.Add(Status(frames));
                }
            }
        }
        finally
        {
            done.Cancel();
            counter.GetAwaiter().GetResult();
            foreach (var socket in sockets)
                socket.Dispose();
        }
        var succeeded = statuses.FindAll(s => s == "RETURNCODE 0").Count;
        if (succeeded != scale.SlowExecs || peak > scale.MaxHandlers)
            throw new InvalidOperationException($"{succeeded} of {scale.SlowExecs} RETURNCODE 0; at most {peak} processes at once (limit {scale.MaxHandlers})");
        return $"all {succeeded} RETURNCODE 0; at most {peak} processes at once";
    }

    /// <summary>Random frame lists and mutated requests from several peers while a good request runs.</summary>
    private string HostileRequests()
    {
        var logBefore = daemon.LogBytes;
        var random = new Random(11);
        var hostile = Task.Run(() =>
        {
            var peers = new List<ZmqSocket>();
            try
            {
                for (var p = 0; p < 8; p++)
                    peers.Add(Dealer());
                for (var i = 0; i < scale.FuzzFrames; i++)
                {
                    var frames = Request(Text("echo"), Text("x"));
                    var at = random.Next(frames.Count);
                    var mutated = frames[at].ToArray();
                    if (mutated.Length > 0 && random.Next(2) == 0)
                        mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
                    else
                        frames.RemoveAt(at);
                    if (at < frames.Count && random.Next(2) == 0)
                        frames[at] = mutated;
                    if (frames.Count == 0 || random.Next(10) == 0)
                    {
                        var junk = new byte[random.Next(1, 32)];
                        random.NextBytes(junk);
                        frames.Add(junk);
                    }
                    peers[i % peers.Count].SendMultipart(frames);
                }
            }
            finally
            {
                foreach (var socket in peers)
                    socket.Dispose();
            }
        });
        var busyDuring = GoodRequest("hello");
        hostile.GetAwaiter().GetResult();
        var busyAfter = GoodRequest("again");
        var logged = daemon.LogBytes - logBefore;
        return $"good requests answered during (after {busyDuring} busy refusals) and after ({busyAfter}); log grew {logged / 1024.0:0.#} KiB ({(double)logged / scale.FuzzFrames:0.#} bytes per hostile message)";
    }

    /// <summary>Sends a good request until it runs: while hostile requests fill the handler queue the
    /// daemon answers ERRORCODE 1 (busy), which a client retries. Returns how many times it was refused.</summary>
    private int GoodRequest(string text)
    {
        using var good = Dealer();
        for (var refused = 0; refused < 600; refused++)
        {
            good.SendMultipart(Request(Text("echo"), Text(text)));
            var status = Status(good.ReceiveMultipart());
            if (status == "RETURNCODE 0")
                return refused;
            if (status != "ERRORCODE 1")
                throw new InvalidOperationException($"the good request got {status}");
            Thread.Sleep(100);
        }
        throw new InvalidOperationException("the good request was refused as busy for 60 s");
    }

    /// <summary>Many clients each pipelining requests (an unknown subcommand: ERRORCODE 5, no process);
    /// every reply is counted. Past the handler slots and the queue the answer is ERRORCODE 1 (busy).</summary>
    private string ManyClients()
    {
        var unknown = new long[scale.Clients];
        var busy = new long[scale.Clients];
        Parallel.For(0, scale.Clients, new ParallelOptions { MaxDegreeOfParallelism = 8 }, c =>
        {
            using var dealer = Dealer();
            for (var i = 0; i < scale.RequestsPerClient; i++)
                dealer.SendMultipart(Request(Text("nosuch")));
            for (var i = 0; i < scale.RequestsPerClient; i++)
            {
                var status = Status(dealer.ReceiveMultipart());
                if (status == "ERRORCODE 5")
                    unknown[c]++;
                else if (status == "ERRORCODE 1")
                    busy[c]++;
                else
                    throw new InvalidOperationException($"unexpected reply {status}");
            }
        });
        long answered = 0, refused = 0;
        for (var c = 0; c < scale.Clients; c++)
        {
            answered += unknown[c];
            refused += busy[c];
        }
        var total = answered + refused;
        if (total != (long)scale.Clients * scale.RequestsPerClient)
            throw new InvalidOperationException($"{total:N0} replies for {(long)scale.Clients * scale.RequestsPerClient:N0} requests");
        return $"{total:N0} replies for {total:N0} requests ({answered:N0} ERRORCODE 5 from the handler path, {refused:N0} ERRORCODE 1 past the queue)";
    }
}
