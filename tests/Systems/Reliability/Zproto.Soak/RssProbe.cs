using System;
using System.Diagnostics;
using System.Threading;

namespace Zproto.Soak;

/// <summary>Samples a server's RSS every 20 ms while a load runs, for its peak.</summary>
internal sealed class RssProbe : IDisposable
{
    private readonly ServerProcess _server;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    public RssProbe(ServerProcess server)
    {
        _server = server;
        _peak = server.Rss();
        _thread = new Thread(Sample) { IsBackground = true, Name = "rss-probe" };
        _thread.Start();
    }

    /// <summary>The highest RSS seen so far.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    private void Sample()
    {
        while (!_stop)
        {
            try
            {
                var rss = _server.Rss();
                if (rss > Interlocked.Read(ref _peak))
                    Interlocked.Exchange(ref _peak, rss);
            }
            catch (System.IO.IOException)
            {
                return; // the server exited; the attack reports that
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits up to <paramref name="limit"/> for RSS to come within <paramref name="margin"/> of
    /// <paramref name="idle"/>; returns the RSS reached and the seconds it took.</summary>
    public static (long Rss, double Seconds) Settle(ServerProcess server, long idle, long margin, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        long rss;
        while ((rss = server.Rss()) - idle > margin && clock.Elapsed < limit)
            Thread.Sleep(250);
        return (rss, clock.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
