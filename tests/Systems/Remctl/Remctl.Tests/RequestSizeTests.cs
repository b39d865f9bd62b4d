using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Remctl.Tests;

/// <summary>remctld's request size limit (ERRORCODE 8), as a raw REQ peer meets it: a request larger
/// than the limit is refused while it is received, frame by frame, and the server keeps serving.</summary>
public class RequestSizeTests
{
    private const long Limit = 256 * 1024;

    [Fact]
    public void A_request_many_times_the_limit_in_small_frames_is_ERRORCODE_8_and_the_server_keeps_serving()
    {
        using var server = TestServer.Start(TestServer.MapEcho, maxRequestBytes: Limit);
        // 64 frames of 16 KiB: each frame is far below the per-frame limit libzmq enforces, the whole
        // request four times the request limit, so only the engine's running count can refuse it.
        var request = Request(frames: 64, frameBytes: 16 * 1024);
        Assert.True(request.Sum(frame => (long)frame.Length) > 4 * Limit);

        Assert.Equal("ERRORCODE|8", Frames.Show(RawReq.Exchange(server.Endpoint!, request)));
        // Refused by the receive path (kept no further than the limit), not after decoding.
        Assert.Equal(1, server.Backend!.MalformedMessages);
        Assert.Equal("OUTPUT|1|still here|RETURNCODE|0", RawReq.Show(server.Endpoint!, "ARGUMENT|2|echo|still here"));
    }

    [Fact]
    public void A_request_one_octet_over_the_limit_is_ERRORCODE_8_and_one_at_the_limit_is_served()
    {
        using var server = TestServer.Start(TestServer.MapEcho, maxRequestBytes: Limit);
        // Arguments count in full: "echo" (4 octets) plus the payload frames.
        var atLimit = Request(frames: 4, frameBytes: (int)((Limit - 4) / 4));
        var reply = RawReq.Exchange(server.Endpoint!, atLimit);
        Assert.Equal("RETURNCODE|0", Frames.Show(reply.TakeLast(2)));
        Assert.Equal(4 * 3 + 2, reply.Count);

        var overLimit = Request(frames: 4, frameBytes: (int)((Limit - 4) / 4));
        overLimit[^1] = [.. overLimit[^1], (byte)'x'];
        Assert.Equal("ERRORCODE|8", Frames.Show(RawReq.Exchange(server.Endpoint!, overLimit)));
        // Within the receive allowance: decoded whole, then refused by the request check.
        Assert.Equal(0, server.Backend!.MalformedMessages);
    }

    /// <summary>ARGUMENT|n+1|echo|payload... with <paramref name="frames"/> payload frames of 'a'.</summary>
    private static List<byte[]> Request(int frames, int frameBytes)
    {
        var request = new List<byte[]> { Frames.Utf8("ARGUMENT"), Frames.Utf8((frames + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), Frames.Utf8("echo") };
        for (var i = 0; i < frames; i++)
            request.Add(Enumerable.Repeat((byte)'a', frameBytes).ToArray());
        return request;
    }
}
