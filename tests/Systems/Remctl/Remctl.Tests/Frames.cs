using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Remctl.Tests;

/// <summary>Frame lists written the way the spec writes them: parts separated by '|'.</summary>
internal static class Frames
{
    /// <summary>Splits <paramref name="text"/> on '|' into UTF-8 frames.</summary>
    public static byte[][] Of(string text) => text.Split('|').Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>The frames as memory, for the codec and the client.</summary>
    public static ReadOnlyMemory<byte>[] Memory(IEnumerable<byte[]> frames) => frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray();

    /// <summary>Joins frames back into the '|' notation, for readable assertions.</summary>
    public static string Show(IEnumerable<byte[]> frames) => string.Join("|", frames.Select(f => Encoding.UTF8.GetString(f)));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
