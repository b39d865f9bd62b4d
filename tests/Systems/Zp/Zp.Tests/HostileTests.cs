using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Xunit;
using Zp.Client.Codec;
using Zp.Tests.Infrastructure;
using Zproto.Wire;

namespace Zp.Tests;

/// <summary>Peers that misbehave: garbage, out-of-state messages, unknown handles, a client that never reads. zpd answers or drops, and stays bounded.</summary>
[Collection("zpd")]
public sealed class HostileTests
{
    [Fact]
    public async Task Garbage_IsDroppedSilently_AndTheServerStillServes()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var dealer = new RawDealer(zpd);
        dealer.SendRaw(new byte[] { 1, 2, 3 });
        dealer.SendRaw(Hex.Parse("AA A0 01"));                // ZPIPES signature
        dealer.SendRaw(Hex.Parse("AA AA 63"));                // unknown id
        dealer.SendRaw(Hex.Parse("AA AA 07 00 00 00 05 00")); // truncated EXEC
        dealer.SendRaw(Hex.Parse("AA AA 01 08 4D 41 4C 41 4D 55 54 46 00 01 02 63 31")); // protocol "MALAMUTF"
        Assert.Null(dealer.Receive(TimeSpan.FromMilliseconds(500)));
        dealer.Open("after-garbage");
    }

    [Fact]
    public async Task OutOfState_BeforeOpen_IsError400_AndTheClientStaysInStart()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var dealer = new RawDealer(zpd);
        dealer.Send(new ZpMsg.ConnectionPing());
        var error = dealer.Expect<ZpMsg.Error>();
        Assert.Equal(400, error.Code);
        Assert.Equal("command invalid", error.Reason);
        dealer.Send(new ZpMsg.ExecChunk { Handle = 1, Fd = 0, Chunk = new byte[] { 1 } });
        Assert.Equal(400, dealer.Expect<ZpMsg.Error>().Code);
        dealer.Open("late");
    }

    [Fact]
    public async Task UnknownHandles_Are404_AndTheSessionStays()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var dealer = new RawDealer(zpd);
        dealer.Open("unknown-handles");
        ZpMsg.Message[] requests =
        {
            new ZpMsg.ExecCancel { Handle = 999_999 },
            new ZpMsg.ExecFollow { Handle = 999_999, Mask = 3, Credit = 1000 },
            new ZpMsg.ExecInfoGet { Handle = 999_999 },
            new ZpMsg.ExecStatusGet { Handle = 999_999 },
            new ZpMsg.ExecChunk { Handle = 999_999, Fd = 0, Chunk = new byte[] { 1 } },
        };
        foreach (var request in requests)
        {
            dealer.Send(request);
            var error = dealer.Expect<ZpMsg.Error>();
            Assert.Equal(404, error.Code);
            Assert.Equal("no such job", error.Reason);
        }
        dealer.Send(new ZpMsg.Exec { Args = Array.Empty<string>() });
        Assert.Equal("no command", dealer.Expect<ZpMsg.Error>().Reason);
        dealer.Send(new ZpMsg.ConnectionPing());
        dealer.Expect<ZpMsg.ConnectionPong>();
    }

    [Fact]
    public async Task ServerMessageFromAClient_IsError_AndEndsTheSession()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var dealer = new RawDealer(zpd);
        dealer.Open("confused");
        dealer.Send(new ZpMsg.ExecStatusReply { Handle = 1, Returncode = 0 });
        Assert.Equal(400, dealer.Expect<ZpMsg.Error>().Code);
        // Settling: the next request is refused until the client opens again.
        dealer.Send(new ZpMsg.ExecList());
        Assert.Equal(400, dealer.Expect<ZpMsg.Error>().Code);
        dealer.Open("confused");
        dealer.Send(new ZpMsg.ExecList());
        dealer.Expect<ZpMsg.ExecListReply>();
    }

    [Fact]
    public async Task ClientThatNeverReads_GetsOnlyItsCredit_AndServerMemoryStaysBounded()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var dealer = new RawDealer(zpd);
        dealer.Open("never-reads");
        var baseline = zpd.ResidentBytes();
        const int credit = 65536;
        // An endless writer: without backpressure zpd would buffer it all.
        dealer.Send(new ZpMsg.Exec { Args = new[] { "cat", "/dev/zero" }, Aux = ZprotoHash.Create(("credit", "65536")) });
        var handle = dealer.Expect<ZpMsg.ExecStatusReply>().Handle;
        long received = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(4))
        {
            if (dealer.Receive(TimeSpan.FromMilliseconds(200)) is ZpMsg.ExecChunk chunk)
                received += chunk.Chunk.Length;
        }
        Assert.Equal(credit, received);
        var growth = zpd.ResidentBytes() - baseline;
        Assert.True(growth < 64L * 1024 * 1024, $"zpd grew by {growth} bytes while the client did not read");
        dealer.Send(new ZpMsg.ExecInfoGet { Handle = handle });
        Assert.Equal("running", dealer.Expect<ZpMsg.ExecInfo>().Info["status"]);
        dealer.Send(new ZpMsg.ExecCancel { Handle = handle });
        ZpMsg.ExecStatusReply final;
        do
            final = dealer.Expect<ZpMsg.ExecStatusReply>();
        while (final.Returncode > 255);
        Assert.Equal(143, final.Returncode);
    }

    [Fact]
    public async Task JobsOfAnotherClientId_AreInvisible_AndCannotBeCancelled()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var owner = new RawDealer(zpd);
        owner.Open("owner");
        owner.Send(new ZpMsg.Exec { Args = new[] { "sleep", "30" }, Aux = ZprotoHash.Create(("async", "1")) });
        var handle = owner.Expect<ZpMsg.ExecStatusReply>().Handle;
        using var other = new RawDealer(zpd);
        other.Open("other");
        other.Send(new ZpMsg.ExecList());
        Assert.Empty(other.Expect<ZpMsg.ExecListReply>().Handles);
        other.Send(new ZpMsg.ExecCancel { Handle = handle });
        Assert.Equal(404, other.Expect<ZpMsg.Error>().Code);
        owner.Send(new ZpMsg.ExecCancel { Handle = handle });
        Assert.Equal(143, owner.Expect<ZpMsg.ExecStatusReply>().Returncode);
    }

    [Fact]
    public async Task FilePut_WithAWrongDigest_Is409_AndTheSessionStays_ThenTheRightOneIsInPlace()
    {
        await using var zpd = await ZpdProcess.StartAsync();
        using var dealer = new RawDealer(zpd);
        dealer.Open("put");
        var data = System.Security.Cryptography.RandomNumberGenerator.GetBytes(5000);
        var path = System.IO.Path.Combine(zpd.Directory, "put", "small.bin");
        dealer.Send(new ZpMsg.FilePut { Path = path, Mode = 0x1A4, Mtime = 1_600_000_000_000, Digest = new string('0', 64), Data = data });
        Assert.Equal(409, dealer.Expect<ZpMsg.Error>().Code);
        Assert.False(System.IO.File.Exists(path));
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));
        dealer.Send(new ZpMsg.FilePut { Path = path, Mode = 0x1A4, Mtime = 1_600_000_000_000, Digest = digest, Data = data });
        var reply = dealer.Expect<ZpMsg.FileOpenReply>();
        Assert.Equal((0u, (byte)0, 5000ul, 0ul), (reply.Handle, reply.Identical, reply.Offset, reply.Credit));
        Assert.Equal(data, System.IO.File.ReadAllBytes(path));
        dealer.Send(new ZpMsg.FilePut { Path = path, Mode = 0x1A4, Mtime = 1_600_000_000_000, Digest = digest, Data = data });
        Assert.Equal(1, dealer.Expect<ZpMsg.FileOpenReply>().Identical);
    }
}
