using System.Collections.Generic;
using Xunit;
using Zpipes.Tests.Infrastructure;
using Public = Zpipes.Protocol.ZpipesMsg;

namespace Zpipes.Tests;

/// <summary>
/// The one ZPIPES codec (Zpipes.Protocol, which zbroker and the client library bind to) speaks the
/// 2014 selftest's round-trip values and the message table of the spec.
/// </summary>
public sealed class ZpipesCodecTests
{
    public static IEnumerable<object[]> Messages()
    {
        const string text = "Life is short but Now lasts for ever";
        var chunk = Bytes.Ascii("Captcha Diem");
        yield return new object[] { new Public.Input { Pipename = text } };
        yield return new object[] { new Public.Output { Pipename = text } };
        yield return new object[] { new Public.Read { Size = 123, Timeout = 123 } };
        yield return new object[] { new Public.ReadOk { Chunk = chunk } };
        yield return new object[] { new Public.Write { Chunk = chunk, Timeout = 123 } };
        yield return new object[] { new Public.InputFailed { Reason = text } };
        yield return new object[] { new Public.Invalid() };
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Selftest_values_round_trip(Public.Message message)
    {
        var bytes = Public.EncodeFrames(message)[0].ToArray();
        Assert.True(Public.TryDecode(bytes, out var decoded, out _));
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Every_message_id_of_the_table_in_section_3_3_has_its_signature_and_id()
    {
        var expected = new (Public.Message Message, byte Id)[]
        {
            (new Public.Input(), 1), (new Public.InputOk(), 2), (new Public.InputFailed(), 3), (new Public.Output(), 4),
            (new Public.OutputOk(), 5), (new Public.OutputFailed(), 6), (new Public.Read(), 7), (new Public.ReadOk(), 8),
            (new Public.ReadEnd(), 9), (new Public.ReadTimeout(), 10), (new Public.ReadFailed(), 11), (new Public.Write(), 12),
            (new Public.WriteOk(), 13), (new Public.WriteTimeout(), 14), (new Public.WriteFailed(), 15), (new Public.Close(), 16),
            (new Public.CloseOk(), 17), (new Public.CloseFailed(), 18), (new Public.Ping(), 19), (new Public.PingOk(), 20),
            (new Public.Invalid(), 21),
        };
        foreach (var (message, id) in expected)
        {
            var frame = Public.EncodeFrames(message)[0].ToArray();
            Assert.Equal(new byte[] { 0xAA, 0xA0, id }, frame[..3]);
        }
        Assert.Equal(Bytes.Hex("AA A0 07 00 00 00 0C 00 00 00 64"), Public.EncodeFrames(new Public.Read { Size = 12, Timeout = 100 })[0].ToArray());
        Assert.Equal(Bytes.Hex("AA A0 03 00"), Public.EncodeFrames(new Public.InputFailed())[0].ToArray());
    }
}
