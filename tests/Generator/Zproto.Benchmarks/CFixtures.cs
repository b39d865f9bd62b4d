using System;

namespace Zproto.Benchmarks;

/// <summary>
/// The values of zproto's own C benchmark fixtures (issue 15), so the generated codec is measured on
/// the same messages as the C codec: LOG is 61 octets, STRUCTURES 91, BINARY 149 in 3 frames
/// (Zproto.Codecs.Tests links this file and asserts those sizes).
/// </summary>
internal static class CFixtures
{
    public static ZprotoExample.Log Log { get; } = new()
    {
        Sequence = 123,
        Level = 2,
        Event = 3,
        Node = 45536,
        Peer = 65535,
        Time = 1427261426,
        Host = "localhost",
        Data = "This is the message to log",
    };

    /// <summary>
    /// The same LOG in the <c>strings = "utf8"</c> copy of the protocol (tests/Generator/Zproto.Codecs.Tests/Models),
    /// decoded from <see cref="Log"/>'s frame: the two modes share one wire format.
    /// </summary>
    public static ZprotoExampleUtf8.Log LogUtf8 { get; } =
        ZprotoExampleUtf8.TryDecode(ZprotoExample.EncodeFrames(Log)[0].ToArray(), out var message, out var error)
            ? (ZprotoExampleUtf8.Log)message
            : throw new InvalidOperationException(error.ToString());

    public static ZprotoExample.Structures Structures { get; } = new()
    {
        Sequence = 123,
        Aliases = ["First alias", "Second alias"],
        Headers = Zproto.Wire.ZprotoHash.Create(("endpoint", "tcp://localhost:5665"), ("name", "bench")),
    };

    public static ZprotoExample.Binary Binary { get; } = new()
    {
        Sequence = 123,
        Flags = new byte[] { 0xb3, 0x8c, 0x01, 0x02 },
        PublicKey = PublicKey(),
        Identifier = new Guid("5b7f6a2e-91c4-4d3e-8a1f-0c2b3d4e5f60"),
        Address = "0123456789"u8.ToArray(),
        Content = [(ReadOnlyMemory<byte>)"abcdefghij"u8.ToArray()],
    };

    /// <summary>100 octets, octet i = i·7 + 1 (as the C fixture fills it).</summary>
    private static byte[] PublicKey()
    {
        var key = new byte[100];
        for (var i = 0; i < key.Length; i++)
            key[i] = unchecked((byte)(i * 7 + 1));
        return key;
    }
}
