using System;
using Xunit;
using Zp.Client;
using Zp.Client.Codec;
using Zproto.Runtime.Zmq;
using Zproto.Tests.Shared;

namespace Zp.Tests.Infrastructure;

/// <summary>A raw CURVE DEALER on zpd with the test client's key: sends codec messages or raw bytes and checks each reply is one frame.</summary>
internal sealed class RawDealer : RawDealerBase<ZpMsg.Message>
{
    private readonly ZmqContext _context;

    public RawDealer(ZpdProcess zpd)
        : this(new ZmqContext(), zpd)
    {
    }

    private RawDealer(ZmqContext context, ZpdProcess zpd)
        : base(CurveDealer(context, zpd), zpd.Endpoint) => _context = context;

    private static ZmqSocket CurveDealer(ZmqContext context, ZpdProcess zpd)
    {
        var keys = KeyFiles.Load(zpd.IdentityDirectory);
        return new ZmqSocket(context, ZmqSocketType.Dealer)
        {
            Linger = TimeSpan.Zero,
            CurveServerKey = zpd.ServerKey,
            CurvePublicKey = keys.PublicKey,
            CurveSecretKey = keys.SecretKey,
        };
    }

    protected override ReadOnlyMemory<byte>[] Encode(ZpMsg.Message message) => ZpMsg.EncodeFrames(message);

    protected override bool TryDecode(byte[] frame, out ZpMsg.Message? message, out string error)
    {
        var decoded = ZpMsg.TryDecode(frame, out message, out var why);
        error = why.ToString();
        return decoded;
    }

    /// <summary>Opens a session as the test user.</summary>
    public void Open(string clientId)
    {
        Send(new ZpMsg.SessionOpen { ClientId = clientId, User = ZpdProcess.User });
        Assert.Equal(200, Expect<ZpMsg.Ok>().Code);
    }

    public override void Dispose()
    {
        base.Dispose();
        _context.Dispose();
    }
}

/// <summary>Hex helpers for byte-exact assertions.</summary>
internal static class Hex
{
    public static byte[] Parse(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));
}
