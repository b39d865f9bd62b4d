using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Zproto.Codecs.Tests.Protocols;

namespace Zproto.Codecs.Tests;

/// <summary>
/// Decoders never throw, whatever they are fed: random frames, and systematic mutations of every
/// golden vector frame (every bit flip, every truncation and every insertion point for frames under
/// 300 octets, sampled for larger ones and for the opaque frames after frame 0, which hold frame
/// and msg values no decoder looks into; length fields overwritten with hostile values at every
/// offset; frames dropped, duplicated, swapped and added). When a decoder accepts an input, the
/// input is the canonical encoding of what it decoded: re-encoding gives the same frames. The only
/// normalisations, checked precisely where they apply:
/// - NOM-1: a packed frame length written longer than needed (FE for a length under 254, FF for
///   one under 65536) is accepted, as CZMQ accepted it, and re-encoded in the shortest form;
/// - remctl: short and long tags both decode, so a tag frame may come back in the other spelling,
///   and a request without its optional ENVIRONMENT section re-encodes with ENVIRONMENT|0.
/// </summary>
public class RobustnessTests
{
    private const int SmallFrame = 300;
    private static readonly byte[] s_hostileOctets = [0x00, 0x01, 0x7F, 0x80, 0xFD, 0xFE, 0xFF];
    private static readonly uint[] s_hostileLengths = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x00010000, 0x0000FFFF, 0x01000000];

    // ---- seeds -------------------------------------------------------------------------------

    private static IEnumerable<ReadOnlyMemory<byte>[]> VectorFrames(string protocol)
    {
        foreach (var file in new[] { protocol + ".json", protocol + ".invalid.json" })
        {
            foreach (var v in JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Vectors, file)))!.AsArray())
                yield return v!["frames"]!.AsArray().Select(f => (ReadOnlyMemory<byte>)Convert.FromHexString((string)f!)).ToArray();
        }
    }

    /// <summary>Seeds for the models without C vectors: one message of each kind, with values.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>[]> GeneratedSeeds(IBinaryCodec codec, int perMessage)
    {
        var seed = 7UL;
        foreach (var type in codec.MessageTypes)
        {
            var gen = WireGen.Message(codec, type);
            foreach (var m in gen.Sample(20, new Rnd(seed++, 0x9E3779B97F4A7C15UL), perMessage))
            {
                // Small messages only: large frames are covered by the golden vectors' "max" variants.
                var frames = codec.EncodeFrames(m);
                if (frames.Sum(f => f.Length) < 1024)
                    yield return frames;
            }
        }
    }

    private static readonly string[] s_vtxExamples =
    [
        "1010" + Hex("X:1"), "1020" + Hex("X:1"), "1030", "1043", "1051" + "06" + Hex("hello?"), "1151" + "06" + Hex("hello?"),
        "1000" + Hex("Max peerings reached for socket"), "1010" + Hex("127.0.0.1:32000"), "1050", "105000",
        "1051" + "0161" + "00" + "fe012c" + new string('5', 600),
    ];

    private static string Hex(string ascii) => Convert.ToHexStringLower(Encoding.ASCII.GetBytes(ascii));

    // ---- mutations ---------------------------------------------------------------------------

    /// <summary>
    /// Byte-level mutations of one frame: exhaustive under 300 octets, sampled above (and for opaque
    /// frames, which no decoder looks into: <c>frame</c> and <c>msg</c> values).
    /// </summary>
    internal static IEnumerable<byte[]> Mutations(byte[] frame, int seed, bool opaque = false)
    {
        var random = new Random(seed);
        var small = frame.Length < SmallFrame && !opaque;
        var samples = opaque ? 4 : 24;
        IEnumerable<int> Offsets(int count) => small || count == 0
            ? Enumerable.Range(0, count)
            : Enumerable.Range(0, samples).Select(i => i < samples / 2 ? Math.Min(i, count - 1) : random.Next(count)).Distinct();

        // Bit flips.
        foreach (var i in Offsets(frame.Length))
        {
            for (var bit = 0; bit < 8; bit += small ? 1 : 3)
            {
                var m = (byte[])frame.Clone();
                m[i] ^= (byte)(1 << bit);
                yield return m;
            }
        }
        // Truncation at every length (sampled for large frames, always including the last few).
        var lengths = small ? Enumerable.Range(0, frame.Length) : Offsets(frame.Length).Concat(Enumerable.Range(Math.Max(0, frame.Length - 8), Math.Min(8, frame.Length)));
        foreach (var n in lengths.Distinct())
            yield return frame.AsSpan(0, n).ToArray();
        // Insertions of one hostile octet, and of four random octets.
        foreach (var i in Offsets(frame.Length + 1))
        {
            yield return [.. frame.AsSpan(0, i), s_hostileOctets[random.Next(s_hostileOctets.Length)], .. frame.AsSpan(i)];
            if (i % 7 == 0)
                yield return [.. frame.AsSpan(0, i), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), .. frame.AsSpan(i)];
        }
        // Length-field corruption: any offset may hold a 1-octet length or a 2- or 4-octet one.
        foreach (var i in Offsets(frame.Length))
        {
            foreach (var b in s_hostileOctets)
            {
                if (frame[i] == b)
                    continue;
                var m = (byte[])frame.Clone();
                m[i] = b;
                yield return m;
            }
            foreach (var length in s_hostileLengths.Append((uint)(frame.Length - i)).Append((uint)(frame.Length - i - 3)).Append((uint)(frame.Length - i - 5)))
            {
                if (i + 4 <= frame.Length)
                {
                    var m = (byte[])frame.Clone();
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(i), length);
                    yield return m;
                }
                if (i + 2 <= frame.Length && length <= 0xFFFF)
                {
                    var m = (byte[])frame.Clone();
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(i), (ushort)length);
                    yield return m;
                }
            }
        }
    }

    /// <summary>Every mutation of every frame of a message, then frame-list mutations.</summary>
    internal static IEnumerable<ReadOnlyMemory<byte>[]> MessageMutations(ReadOnlyMemory<byte>[] frames, int seed, bool textFrames = false)
    {
        for (var k = 0; k < frames.Length; k++)
        {
            // In zproto messages only frame 0 is parsed; in text-frame messages every frame is.
            foreach (var m in Mutations(frames[k].ToArray(), seed + k, opaque: k > 0 && !textFrames))
            {
                var copy = (ReadOnlyMemory<byte>[])frames.Clone();
                copy[k] = m;
                yield return copy;
            }
        }
        for (var k = 0; k < frames.Length; k++)
        {
            yield return frames.Where((_, i) => i != k).ToArray(); // drop a frame
            yield return [.. frames.Take(k + 1), frames[k], .. frames.Skip(k + 1)]; // duplicate a frame
            if (k + 1 < frames.Length)
                yield return [.. frames.Take(k), frames[k + 1], frames[k], .. frames.Skip(k + 2)]; // swap two
        }
        yield return [.. frames, ReadOnlyMemory<byte>.Empty];
        yield return [.. frames, new byte[] { 0x01, 0x02 }];
        yield return [.. frames, frames[0]];
        yield return [];
    }

    // ---- the property ------------------------------------------------------------------------

    /// <summary>Both overloads: never throw; on success the input is the canonical encoding of the result.</summary>
    internal static void AssertDecodesCanonicallyOrFails(IBinaryCodec codec, ReadOnlyMemory<byte>[] frames)
    {
        object? message;
        bool ok;
        try
        {
            ok = codec.TryDecode(frames, out message, out _);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{codec.Name}: TryDecode(frames) threw on [{string.Join(", ", WireGen.Hex(frames))}]: {e}");
        }
        if (ok)
            AssertCanonical(codec, frames, message!);

        if (frames.Length == 0)
            return;
        try
        {
            ok = codec.TryDecode(frames[0].Span, out message, out _);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{codec.Name}: TryDecode(span) threw on {WireGen.Hex([frames[0]])[0]}: {e}");
        }
        if (ok)
            AssertCanonical(codec, [frames[0]], message!);
    }

    private static void AssertCanonical(IBinaryCodec codec, ReadOnlyMemory<byte>[] input, object message)
    {
        var again = codec.EncodeFrames(message);
        if (Frames.SameFrames(input, again))
            return;
        if (codec.Name == "vtx_nom1" && input.Length == 1 && HasNonMinimalPackedLength(input[0].Span))
        {
            Assert.True(codec.TryDecode(again, out var redecoded, out var error), error.ToString());
            Assert.Equal(message, redecoded);
            return;
        }
        Assert.Fail($"{codec.Name}: accepted [{string.Join(", ", WireGen.Hex(input))}] as {message}, which re-encodes as [{string.Join(", ", WireGen.Hex(again))}]");
    }

    /// <summary>True when a NOM datagram (which decoded) writes a frame length in a longer form than needed.</summary>
    private static bool HasNonMinimalPackedLength(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 2 || datagram[1] >> 4 != 5)
            return false;
        var i = 2;
        while (i < datagram.Length)
        {
            uint length = datagram[i++];
            if (length == 0xFE)
            {
                length = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(datagram[i..]);
                i += 2;
                if (length < 0xFE)
                    return true;
            }
            else if (length == 0xFF)
            {
                length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagram[i..]);
                i += 4;
                if (length <= 0xFFFF)
                    return true;
            }
            i += (int)length;
        }
        return false;
    }

    // ---- tests ---------------------------------------------------------------------------------

    private static readonly string[] s_vectorProtocols = ["zproto_example", "zpipes_msg", "zccp_msg"];

    public static TheoryData<string> VectorProtocols() => new(s_vectorProtocols);

    [Theory]
    [MemberData(nameof(VectorProtocols))]
    public void Mutated_golden_vectors_never_throw_and_what_decodes_re_encodes_identically(string protocol)
    {
        var codec = BinaryCodecs.Get(protocol);
        var seed = 0;
        var count = 0;
        foreach (var vector in VectorFrames(protocol))
        {
            foreach (var mutated in MessageMutations(vector, seed++ * 31))
            {
                AssertDecodesCanonicallyOrFails(codec, mutated);
                // A datagram decoder fed zproto frames must cope just as well.
                if (count++ % 4 == 0)
                    AssertDecodesCanonicallyOrFails(BinaryCodecs.VtxNom1, mutated);
            }
        }
        Assert.True(count > 10_000, $"only {count} mutations");
    }

    /// <summary>Frame protocols without C vectors (zp_msg, and any model added later): generated seeds stand in for vectors.</summary>
    public static TheoryData<string> ProtocolsWithoutVectors()
    {
        var data = new TheoryData<string>();
        foreach (var codec in BinaryCodecs.All.Where(c => c.Facts.Framing == "frames" && !s_vectorProtocols.Contains(c.Name)))
            data.Add(codec.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(ProtocolsWithoutVectors))]
    public void Mutated_generated_messages_never_throw_and_what_decodes_re_encodes_identically(string protocol)
    {
        var codec = BinaryCodecs.Get(protocol);
        var seed = 1;
        foreach (var frames in GeneratedSeeds(codec, 3))
        {
            foreach (var mutated in MessageMutations(frames, seed++ * 17))
                AssertDecodesCanonicallyOrFails(codec, mutated);
        }
    }

    [Fact]
    public void Mutated_NOM1_datagrams_never_throw_and_what_decodes_re_encodes_identically_or_normalises_a_packed_length()
    {
        var codec = BinaryCodecs.VtxNom1;
        var seeds = s_vtxExamples.Select(h => new[] { (ReadOnlyMemory<byte>)Convert.FromHexString(h) }).Concat(GeneratedSeeds(codec, 6));
        var seed = 2;
        var count = 0;
        foreach (var frames in seeds)
        {
            foreach (var mutated in MessageMutations(frames, seed++ * 13))
            {
                AssertDecodesCanonicallyOrFails(codec, mutated);
                count++;
            }
        }
        Assert.True(count > 10_000, $"only {count} mutations");
    }

    [Fact]
    public void Random_frames_never_make_any_decoder_throw()
    {
        // Biased towards looking valid: a real signature and id often, a NOM-1 header sometimes.
        var prefix = Gen.Frequency(
            (2, Gen.Constant(Array.Empty<byte>())),
            (3, Gen.Elements(new byte[] { 0xAA, 0xA0 }, new byte[] { 0xAA, 0xAA })
                .SelectMany(sig => Gen.Choose(0, 25).Select(id => (byte[])[.. sig, (byte)id]))),
            (2, Gen.Choose(0, 255).Select(b => new byte[] { 0x10, (byte)b })));
        var body = Gen.Frequency((4, Gen.Choose(0, 24)), (2, Gen.Choose(0, 300)), (1, Gen.Choose(0, 3000)))
            .SelectMany(n => Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0, 255)), (1, Gen.Elements(0, 1, 0xFE, 0xFF))).Select(b => (byte)b), n));
        var frame = Gen.Zip(prefix, body).Select(t => (ReadOnlyMemory<byte>)(byte[])[.. t.Item1, .. t.Item2]);
        var frames = Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(frame, n));
        Check.One(RoundTripPropertyTests.Quick.WithMaxTest(3000), Prop.ForAll(frames.ToArbitrary(), (ReadOnlyMemory<byte>[] input) =>
        {
            foreach (var codec in BinaryCodecs.All)
                AssertDecodesCanonicallyOrFails(codec, input);
            AssertRemctlDecodesCanonicallyOrFails(input);
        }));
    }

    // ---- remctl ----------------------------------------------------------------------------------

    private static readonly string[] s_remctlSeeds =
    [
        "ARGUMENT|3|foo|bar|baz|ENVIRONMENT|4|REMOTE_USER|kula@TPROA.NET|REMOTE_ADDR|204.11.35.93|REMOTE_HOST|keymaster.tproa.net|REMCTL_COMMAND|test",
        "OUTPUT|1|Here is some sample output\n|OUTPUT|2|Error output\n|OUTPUT|2|More err\n|OUTPUT|1|Another line\n|RETURNCODE|23",
        "A|1|foo|E|1|REMCTL_COMMAND|test", "O|1|hi\n|R|0", "E|6", "A|1|E|E|1|X|E", "OUTPUT|1|RETURNCODE|OUTPUT|2|E|RETURNCODE|0",
        "ARGUMENT|0|ENVIRONMENT|0", "ARGUMENT|2|x|y", "O|1|partial\n|E|1", "ERRORCODE|5",
    ];

    private static readonly string[] s_remctlReplacements =
    [
        "", "0", "1", "2", "3", "-1", "-0", "01", "+1", " 1", "9223372036854775807", "9223372036854775808", "99999999999999999999",
        "A", "E", "O", "R", "ARGUMENT", "ENVIRONMENT", "OUTPUT", "RETURNCODE", "ERRORCODE", "argument", "Output",
    ];

    [Fact]
    public void Mutated_remctl_messages_never_throw_and_what_decodes_re_encodes_to_the_same_frames_up_to_tag_spelling()
    {
        var count = 0;
        var seed = 5;
        foreach (var text in s_remctlSeeds)
        {
            var frames = Frames.FromText(text);
            foreach (var mutated in RemctlMutations(frames).Concat(MessageMutations(frames, seed++, textFrames: true)))
            {
                AssertRemctlDecodesCanonicallyOrFails(mutated);
                count++;
            }
        }
        Assert.True(count > 10_000, $"only {count} mutations");
    }

    private static IEnumerable<ReadOnlyMemory<byte>[]> RemctlMutations(ReadOnlyMemory<byte>[] frames)
    {
        for (var n = 0; n < frames.Length; n++)
            yield return frames[..n]; // cut the message short at every frame
        for (var k = 0; k < frames.Length; k++)
        {
            foreach (var r in s_remctlReplacements)
            {
                var copy = (ReadOnlyMemory<byte>[])frames.Clone();
                copy[k] = Encoding.ASCII.GetBytes(r);
                yield return copy;
                yield return [.. frames.Take(k), Encoding.ASCII.GetBytes(r), .. frames.Skip(k)]; // insert
            }
        }
    }

    /// <summary>
    /// Both remctl decoders: never throw; on success, re-encoding gives the same frames, where a tag
    /// frame may be the other spelling of the same tag (long and short encodings differ only in tag
    /// frames, so the input must match one of them frame by frame), and a request without
    /// ENVIRONMENT gains ENVIRONMENT|0.
    /// </summary>
    internal static void AssertRemctlDecodesCanonicallyOrFails(ReadOnlyMemory<byte>[] input)
    {
        if (RemctlMsg.TryDecodeRequest(input, out var request, out _))
        {
            var longForm = RemctlMsg.EncodeFrames(request);
            var shortForm = RemctlMsg.EncodeFrames(request, RemctlMsg.TagStyle.Short);
            if (input.Length == longForm.Length - 2 && request.Environment.Count == 0)
            {
                longForm = longForm[..^2];
                shortForm = shortForm[..^2];
            }
            AssertSameUpToTagSpelling(input, longForm, shortForm, request);
        }
        if (RemctlMsg.TryDecodeReply(input, out var reply, out _))
            AssertSameUpToTagSpelling(input, RemctlMsg.EncodeFrames(reply), RemctlMsg.EncodeFrames(reply, RemctlMsg.TagStyle.Short), reply);
    }

    private static void AssertSameUpToTagSpelling(ReadOnlyMemory<byte>[] input, ReadOnlyMemory<byte>[] longForm, ReadOnlyMemory<byte>[] shortForm, object message)
    {
        var ok = input.Length == longForm.Length && shortForm.Length == longForm.Length;
        for (var i = 0; ok && i < input.Length; i++)
            ok = input[i].Span.SequenceEqual(longForm[i].Span) || input[i].Span.SequenceEqual(shortForm[i].Span);
        Assert.True(ok, $"accepted {Frames.Show(input)} as {message}, which re-encodes as {Frames.Show(longForm)}");
    }
}
