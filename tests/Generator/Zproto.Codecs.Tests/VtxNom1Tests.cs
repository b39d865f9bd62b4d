using System;
using System.Linq;
using System.Text;
using Xunit;
using Zproto.Codecs.Tests.Protocols;
using Zproto.Wire;
using static Zproto.Wire.DecodeErrorKind;

namespace Zproto.Codecs.Tests;

/// <summary>
/// VTX NOM-1 datagrams byte for byte (systems.md §5.4, §5.10): the 2-octet bit-field header
/// (version 1, 3 reserved flag bits, RESEND, command, sequence), rest-of-datagram bodies, the
/// 2011 zmsg_encode frame packing, and the 512-octet datagram limit.
/// </summary>
public class VtxNom1Tests
{
    private static byte[] Datagram(string hexHeader, string body = "", string hexTail = "") =>
        [.. Convert.FromHexString(hexHeader.Replace(" ", "", StringComparison.Ordinal)), .. Encoding.ASCII.GetBytes(body), .. Convert.FromHexString(hexTail.Replace(" ", "", StringComparison.Ordinal))];

    private static VtxNom1.Message Decode(byte[] datagram)
    {
        Assert.True(VtxNom1.TryDecode(datagram, out var message, out var error), error.ToString());
        // Both overloads agree, and the datagram is the message's canonical encoding.
        Assert.True(VtxNom1.TryDecode([datagram], out var viaFrames, out error), error.ToString());
        Assert.Equal(message, viaFrames);
        Assert.Equal(Convert.ToHexStringLower(datagram), Convert.ToHexStringLower(VtxNom1.EncodeFrames(message).Single().Span));
        return message;
    }

    private static ReadOnlyMemory<byte>[] Content(params string[] frames) => frames.Select(f => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(f)).ToArray();

    // ---- §5.4 examples and VX-01 .. VX-03, VX-10 --------------------------------------------------

    [Fact]
    public void OHAI_10_10_X1_is_an_OHAI_with_the_address_as_rest_of_datagram()
    {
        Assert.Equal(new VtxNom1.Ohai { Address = "X:1" }, Decode(Datagram("10 10", "X:1")));
        Assert.Equal(new VtxNom1.Ohai { Address = "127.0.0.1:32000" }, Decode(Datagram("10 10", "127.0.0.1:32000")));
        Assert.Equal(new VtxNom1.Ohai { Address = "*:32005" }, Decode(Datagram("10 10", "*:32005")));
    }

    [Fact]
    public void OHAI_OK_10_20_echoes_the_address()
    {
        Assert.Equal(new VtxNom1.OhaiOk { Address = "X:1" }, Decode(Datagram("10 20", "X:1")));
        Assert.Equal(new VtxNom1.OhaiOk { Address = "X:1", Sequence = 7 }, Decode(Datagram("10 27", "X:1")));
    }

    [Fact]
    public void HUGZ_10_30_and_HUGZ_OK_10_4s_carry_the_sequence_nibble()
    {
        Assert.Equal(new VtxNom1.Hugz(), Decode(Datagram("10 30")));
        for (byte s = 0; s < 16; s++)
        {
            Assert.Equal(new VtxNom1.HugzOk { Sequence = s }, Decode([0x10, (byte)(0x40 | s)]));
            Assert.Equal(new VtxNom1.Hugz { Sequence = s }, Decode([0x10, (byte)(0x30 | s)]));
        }
    }

    [Fact]
    public void NOM_10_51_06_hello_is_request_1_with_one_frame()
    {
        var nom = Assert.IsType<VtxNom1.Nom>(Decode(Datagram("10 51 06", "hello?")));
        Assert.Equal(new VtxNom1.Nom { Sequence = 1, Content = Content("hello?") }, nom);
        Assert.False(nom.Resend);
        Assert.Equal(new VtxNom1.Nom { Sequence = 1, Content = Content("ack") }, Decode(Datagram("10 51 03", "ack")));
        Assert.Equal(new VtxNom1.Nom { Sequence = 2, Content = Content("hello?") }, Decode(Datagram("10 52 06", "hello?")));
    }

    [Fact]
    public void RESEND_11_51_06_hello_sets_resend_and_keeps_the_sequence()
    {
        var nom = Assert.IsType<VtxNom1.Nom>(Decode(Datagram("11 51 06", "hello?")));
        Assert.True(nom.Resend);
        Assert.Equal(new VtxNom1.Nom { Resend = true, Sequence = 1, Content = Content("hello?") }, nom);
    }

    [Fact]
    public void ROTFL_10_00_carries_the_reason_text()
    {
        Assert.Equal(new VtxNom1.Rotfl { Reason = "Max peerings reached for socket" }, Decode(Datagram("10 00", "Max peerings reached for socket")));
    }

    [Fact]
    public void Reserved_flag_bits_are_kept_apart_from_RESEND()
    {
        // byte 0 = version(4) | flags(3) | resend(1): 0x1E is flags 7 without resend, 0x13 flags 1 with resend.
        Assert.Equal(new VtxNom1.Hugz { Flags = 7 }, Decode(Datagram("1E 30")));
        Assert.Equal(new VtxNom1.Hugz { Flags = 1, Resend = true }, Decode(Datagram("13 30")));
    }

    [Fact]
    public void Every_in_range_header_combination_round_trips_and_out_of_range_values_are_EncodeExceptions()
    {
        var codec = BinaryCodecs.VtxNom1;
        foreach (var type in codec.MessageTypes)
        {
            var empty = Activator.CreateInstance(type)!;
            for (byte flags = 0; flags < 8; flags++)
            {
                for (byte sequence = 0; sequence < 16; sequence++)
                {
                    foreach (var resend in new[] { false, true })
                    {
                        var m = RoundTripPropertyTests.WithField(RoundTripPropertyTests.WithField(RoundTripPropertyTests.WithField(empty, "flags", flags), "sequence", sequence), "resend", resend);
                        var datagram = codec.EncodeFrames(m).Single().Span;
                        Assert.Equal(0x10 | flags << 1 | (resend ? 1 : 0), datagram[0]);
                        Assert.Equal((int)(type.GetCustomAttributes(typeof(ZprotoMessageAttribute), false).Cast<ZprotoMessageAttribute>().Single().Id << 4 | sequence), datagram[1]);
                        RoundTripPropertyTests.AssertRoundTrip(codec, m);
                    }
                }
            }
            foreach (var flags in new byte[] { 8, 9, 15, 16, 0x7F, 0x80, 0xFE, 0xFF })
                RoundTripPropertyTests.AssertEncodeFails(codec, RoundTripPropertyTests.WithField(empty, "flags", flags), "flags");
            foreach (var sequence in new byte[] { 16, 17, 31, 32, 0x7F, 0x80, 0xF0, 0xFF })
                RoundTripPropertyTests.AssertEncodeFails(codec, RoundTripPropertyTests.WithField(empty, "sequence", sequence), "sequence");
        }
    }

    // ---- VX-04 garbage ---------------------------------------------------------------------------

    [Fact]
    public void Version_other_than_1_is_a_ConstantMismatch()
    {
        Assert.False(VtxNom1.TryDecode(Datagram("20 10", "X:1"), out var message, out var error));
        Assert.Null(message);
        Assert.Equal(new DecodeError(ConstantMismatch, "version", 0, 0, 2), error);
        Assert.False(VtxNom1.TryDecode(Datagram("00 30"), out _, out error));
        Assert.Equal(new DecodeError(ConstantMismatch, "version", 0, 0, 0), error);
        Assert.False(VtxNom1.TryDecode(Datagram("F0 30"), out _, out error));
        Assert.Equal(new DecodeError(ConstantMismatch, "version", 0, 0, 15), error);
    }

    [Fact]
    public void Command_6_or_more_is_an_UnknownMessageId_at_the_command_octet()
    {
        Assert.False(VtxNom1.TryDecode(Datagram("10 60"), out _, out var error));
        Assert.Equal(new DecodeError(UnknownMessageId, "id", 0, 1, 6), error);
        for (var command = 6; command < 16; command++)
        {
            Assert.False(VtxNom1.TryDecode([0x10, (byte)(command << 4 | 5), 0x41], out _, out error));
            Assert.Equal(new DecodeError(UnknownMessageId, "id", 0, 1, command), error);
        }
    }

    [Fact]
    public void Header_cut_short_is_Truncated()
    {
        Assert.False(VtxNom1.TryDecode(ReadOnlySpan<byte>.Empty, out _, out var error));
        Assert.Equal(new DecodeError(Truncated, "version", 0, 0), error);
        Assert.False(VtxNom1.TryDecode([0x10], out _, out error));
        Assert.Equal(new DecodeError(Truncated, "command", 0, 1), error);
    }

    [Fact]
    public void Rest_of_datagram_text_must_be_UTF8_and_a_heartbeat_has_no_body()
    {
        Assert.False(VtxNom1.TryDecode(Datagram("10 10", "", "C3 28"), out _, out var error));
        Assert.Equal(new DecodeError(InvalidUtf8, "address", 0, 2), error);
        Assert.False(VtxNom1.TryDecode(Datagram("10 30", "x"), out _, out error));
        Assert.Equal(new DecodeError(TrailingBytes, "HUGZ", 0, 2, 1), error);
    }

    [Fact]
    public void A_datagram_is_one_frame()
    {
        Assert.False(VtxNom1.TryDecode([Datagram("10 30"), Datagram("10 30")], out _, out var error));
        Assert.Equal(new DecodeError(TrailingFrames, "HUGZ", 1, 0, 1), error);
    }

    // ---- VX-13 frame packing -----------------------------------------------------------------------

    [Fact]
    public void Three_frames_a_empty_and_300_octets_pack_as_01_61_00_FE_01_2C()
    {
        var big = WireGen.Fill(300, 3);
        var nom = new VtxNom1.Nom { Sequence = 1, Content = [Encoding.ASCII.GetBytes("a"), ReadOnlyMemory<byte>.Empty, big] };
        var datagram = VtxNom1.EncodeFrames(nom).Single().ToArray();
        Assert.Equal("1051" + "0161" + "00" + "fe012c", Convert.ToHexStringLower(datagram.AsSpan(0, 8)));
        Assert.True(datagram.AsSpan(8).SequenceEqual(big));
        Assert.Equal(2 + 2 + 1 + 3 + 300, datagram.Length);
        Assert.Equal(nom, Decode(datagram));
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(1, "01")]
    [InlineData(253, "fd")]
    [InlineData(254, "fe00fe")]
    [InlineData(255, "fe00ff")]
    [InlineData(300, "fe012c")]
    [InlineData(65535, "feffff")]
    [InlineData(65536, "ff00010000")]
    [InlineData(70000, "ff00011170")]
    public void Packed_frame_length_uses_one_octet_below_254_then_FE_and_two_then_FF_and_four(int length, string prefix)
    {
        // Through the wire layer directly: frames over 510 octets cannot be in a NOM datagram.
        var frame = WireGen.Fill(length, length);
        ReadOnlyMemory<byte>[] frames = [frame];
        var size = WireSize.PackedFrames(frames);
        Assert.Equal(prefix.Length / 2 + length, size);
        var buffer = new byte[size];
        var writer = new ZprotoWriter(buffer);
        writer.WritePackedFrames(frames);
        Assert.Equal(size, writer.Position);
        Assert.Equal(prefix, Convert.ToHexStringLower(buffer.AsSpan(0, prefix.Length / 2)));
        var reader = new ZprotoReader(buffer);
        Assert.True(reader.TryReadPackedFrames("content", out var decoded), reader.Error.ToString());
        Assert.True(Frames.SameFrames(frames, decoded.ToArray()));
    }

    [Fact]
    public void Packed_frame_running_past_the_datagram_is_Truncated_at_its_length()
    {
        Assert.False(VtxNom1.TryDecode(Datagram("10 50 05", "a"), out _, out var error));
        Assert.Equal(new DecodeError(Truncated, "content", 0, 2, 5), error);
        Assert.False(VtxNom1.TryDecode(Datagram("10 50 01 61 FE 00"), out _, out error));
        Assert.Equal(new DecodeError(Truncated, "content", 0, 4), error);
        Assert.False(VtxNom1.TryDecode(Datagram("10 50 FF 00 00"), out _, out error));
        Assert.Equal(new DecodeError(Truncated, "content", 0, 2), error);
        Assert.False(VtxNom1.TryDecode(Datagram("10 50 FF 00 00 01 00", "x"), out _, out error));
        Assert.Equal(new DecodeError(Truncated, "content", 0, 2, 256), error);
    }

    [Fact]
    public void Non_minimal_packed_lengths_are_accepted_and_normalised_on_re_encoding()
    {
        // CZMQ's zmsg_decode takes FE or FF with any length; zmsg_encode never writes them for short
        // frames. We accept them (as the C receiver did) and always write the shortest form, so this
        // is the one place where decode-then-encode changes NOM-1 bytes.
        foreach (var hex in new[] { "10 51 FE 00 01 61", "10 51 FF 00 00 00 01 61" })
        {
            Assert.True(VtxNom1.TryDecode(Datagram(hex), out var message, out var error), error.ToString());
            Assert.Equal(new VtxNom1.Nom { Sequence = 1, Content = Content("a") }, message);
            Assert.Equal("10510161", Convert.ToHexStringLower(VtxNom1.EncodeFrames(message).Single().Span));
        }
    }

    [Fact]
    public void Unset_NOM_content_packs_as_one_empty_frame_and_empty_content_as_none()
    {
        // The msg rule of every model: null (unset) is one empty frame, an empty list is no frames.
        Assert.Equal("105000", Convert.ToHexStringLower(VtxNom1.EncodeFrames(new VtxNom1.Nom()).Single().Span));
        Assert.Equal(new VtxNom1.Nom { Content = [ReadOnlyMemory<byte>.Empty] }, Decode(Datagram("10 50 00")));
        Assert.Equal(new VtxNom1.Nom { Content = [] }, Decode(Datagram("10 50")));
    }

    // ---- the 512-octet limit ------------------------------------------------------------------------

    [Fact]
    public void NOM_of_exactly_512_octets_encodes_and_one_octet_more_is_an_EncodeException()
    {
        // 2 header + FE + 2 length + 507 = 512.
        var atLimit = new VtxNom1.Nom { Content = [WireGen.Fill(507, 1)] };
        Assert.Equal(512, VtxNom1.GetEncodedLength(atLimit));
        Assert.Equal(atLimit, Decode(VtxNom1.EncodeFrames(atLimit).Single().ToArray()));

        var over = new VtxNom1.Nom { Content = [WireGen.Fill(508, 1)] };
        Assert.Equal("NOM", Assert.Throws<EncodeException>(() => VtxNom1.GetEncodedLength(over)).Field);
        RoundTripPropertyTests.AssertEncodeFails(BinaryCodecs.VtxNom1, over, "NOM");

        // A payload of many small frames over 510 octets is refused the same way.
        var many = new VtxNom1.Nom { Content = Enumerable.Range(0, 52).Select(i => (ReadOnlyMemory<byte>)WireGen.Fill(9, i)).ToArray() }; // 52 × 10 = 520
        RoundTripPropertyTests.AssertEncodeFails(BinaryCodecs.VtxNom1, many, "NOM");
    }

    [Fact]
    public void Rest_of_datagram_text_of_510_octets_fits_and_511_does_not()
    {
        var codec = BinaryCodecs.VtxNom1;
        foreach (var (type, field) in new[] { (typeof(VtxNom1.Rotfl), "reason"), (typeof(VtxNom1.Ohai), "address"), (typeof(VtxNom1.OhaiOk), "address") })
        {
            var fits = RoundTripPropertyTests.WithField(Activator.CreateInstance(type)!, field, new string('\u20ac', 170)); // 510 octets
            Assert.Equal(512, codec.GetEncodedLength(fits));
            RoundTripPropertyTests.AssertRoundTrip(codec, fits);
            var over = RoundTripPropertyTests.WithField(fits, field, new string('\u20ac', 170) + "x");
            RoundTripPropertyTests.AssertEncodeFails(codec, over, BinaryCodecs.MessageName(type));
        }
    }

    [Fact]
    public void Datagram_over_512_octets_is_TooLarge_before_anything_is_read()
    {
        var datagram = new byte[513];
        datagram[0] = 0x10;
        datagram[1] = 0x50;
        datagram[2] = 0xFE;
        datagram[3] = 0x01;
        datagram[4] = 0xFC; // a well-formed 508-octet frame, but the datagram is too large
        Assert.False(VtxNom1.TryDecode(datagram, out var message, out var error));
        Assert.Null(message);
        Assert.Equal(new DecodeError(TooLarge, "datagram", 0, 0, 513), error);
        Assert.False(VtxNom1.TryDecode(new byte[70_000], out _, out error));
        Assert.Equal(TooLarge, error.Kind);
        // 512 octets of the same shape decode.
        var fits = datagram.AsSpan(0, 512).ToArray();
        fits[4] = 0xFB;
        Assert.True(VtxNom1.TryDecode(fits, out _, out error), error.ToString());
    }
}
