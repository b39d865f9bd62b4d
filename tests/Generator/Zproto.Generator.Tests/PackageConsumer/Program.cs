using System;
using System.Text;
using PackageConsumer.Protocols;
using Zproto.Wire;

namespace PackageConsumer;

/// <summary>Round-trips a ZPIPES message through the codec the packaged generator wrote.</summary>
internal static class Program
{
    private static int Main()
    {
        var sent = new ZpipesMsg.Write { Chunk = Encoding.UTF8.GetBytes("héllo, wörld"), Timeout = 250 };

        var frames = ZpipesMsg.EncodeFrames(sent);
        if (!ZpipesMsg.TryDecode(frames, out var received, out DecodeError error))
        {
            Console.WriteLine($"decode failed: {error}");
            return 1;
        }

        var write = (ZpipesMsg.Write)received;
        Console.WriteLine($"{received.MessageName} id={(int)received.MessageId} frames={frames.Length} octets={frames[0].Length} timeout={write.Timeout} chunk={Encoding.UTF8.GetString(write.Chunk.Span)} equal={received.Equals(sent)}");
        return 0;
    }
}
