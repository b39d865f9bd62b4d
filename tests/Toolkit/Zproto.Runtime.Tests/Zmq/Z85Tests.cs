using System;
using Xunit;
using Zproto.Runtime.Zmq;

namespace Zproto.Runtime.Tests.Zmq;

public sealed class Z85Tests
{
    /// <summary>The test vector of ZeroMQ RFC 32 (Z85).</summary>
    private static readonly byte[] s_helloWorldBytes = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];

    [Fact]
    public void Encode_and_decode_match_the_rfc_32_test_vector()
    {
        Assert.Equal("HelloWorld", Z85.Encode(s_helloWorldBytes));
        Assert.Equal(s_helloWorldBytes, Z85.Decode("HelloWorld"));
    }

    [Fact]
    public void Round_trip_preserves_every_byte_value()
    {
        byte[] data = new byte[256];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)i;
        }

        Assert.Equal(data, Z85.Decode(Z85.Encode(data)));
        Assert.Equal("", Z85.Encode([]));
        Assert.Empty(Z85.Decode(""));
    }

    [Fact]
    public void Encode_rejects_a_length_that_is_not_a_multiple_of_4()
    {
        Assert.Throws<ArgumentException>(() => Z85.Encode([1, 2, 3]));
    }

    [Theory]
    [InlineData("Hell")]
    [InlineData("Hello Worl")]
    [InlineData("Héllo")]
    [InlineData("%%%%%")]
    public void Decode_rejects_text_that_is_not_z85(string text)
    {
        var error = Assert.Throws<FormatException>(() => Z85.Decode(text));

        Assert.DoesNotContain(text, error.Message);
    }
}
