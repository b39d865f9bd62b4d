using System;
using System.Collections.Generic;
using System.Text;

namespace Zccp.Tests.Infrastructure;

internal static class Bytes
{
    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>Hex with optional spaces and "quoted" ASCII runs, as the spec writes frames: <c>AA AA 01 06 "step 1" 00 00 00 00</c>.</summary>
    public static byte[] Hex(string spec)
    {
        var result = new List<byte>();
        for (var i = 0; i < spec.Length;)
        {
            if (spec[i] == ' ')
            {
                i++;
            }
            else if (spec[i] == '"')
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
