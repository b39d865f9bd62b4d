using System;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Zproto.Benchmarks;

/// <summary>
/// The parts of one <c>CFixtures</c> LOG decode and encode, each measured alone by processor time
/// (<c>-- --codec-profile</c>), so what a decode costs can be split into its parts: the record's
/// allocation, the string work, and the reads themselves (the whole decode minus the other two).
/// A hand-written straight-line decoder of the same message, with the same checks, shows how
/// much of the rest is the generated code's shape rather than the work itself.
/// </summary>
internal static class CodecProfile
{
    private static readonly byte[] s_frame = ZprotoExample.EncodeFrames(CFixtures.Log)[0].ToArray();
    private static readonly ReadOnlyMemory<byte> s_memory = s_frame;
    // host is at offset 21 (length octet) in the 61-octet frame, data's 4-octet length at 31.
    private static readonly byte[] s_host = "localhost"u8.ToArray();
    private static readonly byte[] s_data = "This is the message to log"u8.ToArray();
    private static readonly ZprotoExampleUtf8.Log s_utf8 = CFixtures.LogUtf8;

    public static void Run()
    {
        var b = new CFixturesBenchmarks();
        b.Setup();
        (string Name, Func<int> Run)[] cases =
        [
            ("generated decode, utf8 <- memory", () => b.Log_utf8_decode() is null ? 0 : 1),
            ("hand-written straight-line decode, utf8 <- memory", () => HandWrittenUtf8(s_memory) is null ? 0 : 1),
            ("  record alone: new Log { 8 properties } (utf8)", () => NewUtf8Record().Level),
            ("  2 x Utf8.IsValid (host, data)", () => (Utf8.IsValid(s_host) ? 1 : 0) + (Utf8.IsValid(s_data) ? 1 : 0)),
            ("  2 x Ascii.IsValid (host, data)", () => (Ascii.IsValid(s_host) ? 1 : 0) + (Ascii.IsValid(s_data) ? 1 : 0)),
            ("  ReadOnlyMemory<byte>.Span", () => s_memory.Span.Length),
            ("generated decode, default <- byte[]", () => b.Log_decode() is null ? 0 : 1),
            ("  2 strings: Ascii.IsValid + string.Create/Ascii.ToUtf16 (today)", () => AsciiCreate(s_host).Length + AsciiCreate(s_data).Length),
            ("  2 strings: Ascii.IsValid + Encoding.Latin1.GetString", () => AsciiLatin1(s_host).Length + AsciiLatin1(s_data).Length),
            ("  2 strings: Encoding.UTF8.GetString (no strict check, for scale)", () => Encoding.UTF8.GetString(s_host).Length + Encoding.UTF8.GetString(s_data).Length),
            ("generated encode, default -> span", b.Log_encode_span),
            ("  GetEncodedLength alone (default)", () => ZprotoExample.GetEncodedLength(CFixtures.Log)),
            ("  2 x Encoding.UTF8.GetByteCount", () => Encoding.UTF8.GetByteCount(CFixtures.Log.Host) + Encoding.UTF8.GetByteCount(CFixtures.Log.Data)),
            ("  2 x Utf8.FromUtf16 into the frame", () => FromUtf16()),
            ("generated encode, utf8 -> span", b.Log_utf8_encode_span),
        ];
        CFixturesBenchmarks.Measure(cases);
    }

    private static ZprotoExampleUtf8.Log NewUtf8Record() => new()
    {
        Sequence = s_utf8.Sequence,
        Level = s_utf8.Level,
        Event = s_utf8.Event,
        Node = s_utf8.Node,
        Peer = s_utf8.Peer,
        Time = s_utf8.Time,
        Host = s_utf8.Host,
        Data = s_utf8.Data,
    };

    private static string AsciiCreate(ReadOnlySpan<byte> bytes) =>
        Ascii.IsValid(bytes) ? string.Create(bytes.Length, bytes, static (chars, ascii) => Ascii.ToUtf16(ascii, chars, out _)) : "";

    private static string AsciiLatin1(ReadOnlySpan<byte> bytes) =>
        Ascii.IsValid(bytes) ? Encoding.Latin1.GetString(bytes) : "";

    private static readonly byte[] s_out = new byte[128];

    private static int FromUtf16()
    {
        Utf8.FromUtf16(CFixtures.Log.Host, s_out.AsSpan(22), out _, out var host);
        Utf8.FromUtf16(CFixtures.Log.Data, s_out.AsSpan(35), out _, out var data);
        return host + data;
    }

    /// <summary>The LOG decode written by hand: one length check for the fixed part, then plain reads.</summary>
    private static ZprotoExampleUtf8.Log? HandWrittenUtf8(ReadOnlyMemory<byte> memory)
    {
        var frame = memory.Span;
        if (frame.Length < 22 || frame[0] != 0xAA || frame[1] != 0xA0 || frame[2] != 1)
            return null;
        if (BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(5)) != 3)
            return null;
        int hostLength = frame[21];
        var position = 22;
        if (hostLength > frame.Length - position || !Zproto.Wire.Utf8Text.TryCreate(memory.Slice(position, hostLength), out var host))
            return null;
        position += hostLength;
        if (frame.Length - position < 4)
            return null;
        var dataLength = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(position));
        position += 4;
        if (dataLength != (uint)(frame.Length - position) || !Zproto.Wire.Utf8Text.TryCreate(memory.Slice(position, (int)dataLength), out var data))
            return null;
        return new ZprotoExampleUtf8.Log
        {
            Sequence = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(3)),
            Level = frame[7],
            Event = frame[8],
            Node = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(9)),
            Peer = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(11)),
            Time = BinaryPrimitives.ReadUInt64BigEndian(frame.Slice(13)),
            Host = host,
            Data = data,
        };
    }
}
