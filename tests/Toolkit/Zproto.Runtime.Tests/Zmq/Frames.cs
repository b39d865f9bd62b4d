using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Zproto.Runtime.Tests.Zmq;

/// <summary>Builds and reads UTF-8 frames so tests read as the messages they exchange.</summary>
internal static class Frames
{
    /// <summary>How long a test waits for something that should arrive almost at once; only a
    /// failing test ever waits this long.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public static ReadOnlyMemory<byte>[] Of(params string[] texts) =>
        texts.Select(text => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(text)).ToArray();

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    public static string[] Texts(IEnumerable<byte[]> frames) => frames.Select(Text).ToArray();
}
