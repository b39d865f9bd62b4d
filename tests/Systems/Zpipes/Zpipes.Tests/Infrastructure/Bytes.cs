using System;
using System.Text;

namespace Zpipes.Tests.Infrastructure;

internal static class Bytes
{
    /// <summary>The selftests' chunk.</summary>
    public static readonly byte[] HelloWorld = Encoding.ASCII.GetBytes("Hello, World");

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.ASCII.GetString(bytes.Span);

    /// <summary>Hex with optional spaces, and "quoted" ASCII runs: <c>AA A0 04 09 "test pipe"</c>.</summary>
    public static byte[] Hex(string spec)
    {
        var result = new System.Collections.Generic.List<byte>();
        var i = 0;
        while (i < spec.Length)
        {
            var c = spec[i];
            if (c == ' ')
            {
                i++;
            }
            else if (c == '"')
            {
                var end = spec.IndexOf('"', i + 1);
                result.AddRange(Encoding.ASCII.GetBytes(spec[(i + 1)..end]));
                i = end + 1;
            }
            else
            {
                result.Add(Convert.ToByte(spec.Substring(i, 2), 16));
                i += 2;
            }
        }
        return result.ToArray();
    }
}
