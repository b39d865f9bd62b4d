using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace Zproto.Codecs.Tests;

/// <summary>Small helpers for building and comparing frame lists.</summary>
internal static class Frames
{
    /// <summary>Frames from hex strings.</summary>
    public static ReadOnlyMemory<byte>[] FromHex(params string[] hex) =>
        hex.Select(h => (ReadOnlyMemory<byte>)Convert.FromHexString(h.Replace(" ", "", StringComparison.Ordinal))).ToArray();

    /// <summary>Frames from text, '|' separating frames (the spec's notation); "\n" in the text is a newline.</summary>
    public static ReadOnlyMemory<byte>[] FromText(string text) =>
        text.Split('|').Select(s => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(s)).ToArray();

    public static ReadOnlyMemory<byte> Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static bool SameFrames(IReadOnlyList<ReadOnlyMemory<byte>> a, IReadOnlyList<ReadOnlyMemory<byte>> b)
    {
        if (a.Count != b.Count)
            return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!a[i].Span.SequenceEqual(b[i].Span))
                return false;
        }
        return true;
    }

    public static void Equal(IReadOnlyList<ReadOnlyMemory<byte>> expected, IReadOnlyList<ReadOnlyMemory<byte>> actual)
    {
        if (!SameFrames(expected, actual))
            Assert.Equal(WireGen.Hex(expected), WireGen.Hex(actual));
        if (!SameFrames(expected, actual))
            Assert.Fail("frames differ (in the middle of a long frame)");
    }

    /// <summary>The frames as the spec writes them: text frames joined by '|'.</summary>
    public static string Show(IEnumerable<ReadOnlyMemory<byte>> frames) =>
        string.Join("|", frames.Select(f => Encoding.UTF8.GetString(f.Span)));
}
