using System;
using System.Net;
using Xunit;

namespace Zproto.Vtx.Tests;

/// <summary>Random datagrams at a bound vocket never crash the driver and never reach the application.</summary>
public class HostileInputTests
{
    private const int Datagrams = 100_000;
    private const int Batch = 50; // small enough that the kernel's receive buffer does not overflow

    [Fact]
    public void Hundred_thousand_random_datagrams_are_dropped_and_the_vocket_still_works()
    {
        using var vtx = new UdpVtx();
        var rep = vtx.Socket(VtxSocketType.Rep);
        var bound = new IPEndPoint(IPAddress.Loopback, vtx.Bind(rep));
        using var hostile = new RawPeer();
        var random = new Random(2011);
        var buffer = new byte[600];
        for (int i = 0; i < Datagrams; i++)
        {
            int length = random.Next(0, 600);
            random.NextBytes(buffer.AsSpan(0, length));
            // A valid OHAI would open a peering and make the next random NOM legitimate; a hostile
            // sender without one is what this test is about.
            if (length >= 2 && buffer[1] >> 4 == 1)
                buffer[1] ^= 0x80;
            hostile.Send(bound, buffer[..length]);
            if (i % Batch == Batch - 1)
                WaitForProgress(vtx, i + 1);
        }
        long received = vtx.Driver.Statistics.DatagramsReceived;
        // Loopback loses datagrams only when the receive buffer overflows, which the batches avoid;
        // whatever arrived was read, counted and dropped.
        Assert.InRange(received, Datagrams * 99L / 100, Datagrams);
        Assert.Equal(received, vtx.Driver.Statistics.DatagramsDropped);
        Assert.Equal(0, vtx.Driver.Statistics.MessagesDelivered);
        Assert.Null(UdpVtx.Receive(rep, TimeSpan.Zero));

        var req = vtx.Socket(VtxSocketType.Req);
        vtx.Manager.Connect(req, $"udp://127.0.0.1:{bound.Port}");
        UdpVtx.Send(req, "still there?");
        Assert.Equal(["still there?"], UdpVtx.Receive(rep));
    }

    /// <summary>Waits until the driver has read <paramref name="sent"/> datagrams, or reads no more for half a second.</summary>
    private static void WaitForProgress(UdpVtx vtx, long sent)
    {
        long last = -1;
        var still = System.Diagnostics.Stopwatch.StartNew();
        while (vtx.Driver.Statistics.DatagramsReceived < sent && still.ElapsedMilliseconds < 500)
        {
            long now = vtx.Driver.Statistics.DatagramsReceived;
            if (now != last)
            {
                last = now;
                still.Restart();
            }
            System.Threading.Thread.Sleep(1);
        }
    }
}
