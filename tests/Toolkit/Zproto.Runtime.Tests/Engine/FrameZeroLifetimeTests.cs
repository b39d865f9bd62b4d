using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Zproto.Runtime.Engine;
using Zproto.Runtime.Zmq;
using Zproto.Wire;

namespace Zproto.Runtime.Tests.Engine;

/// <summary>
/// The receiver lends frame 0 to the codec for the decode only, unless the protocol says its messages keep
/// views into it (<see cref="IFrameProtocol{TMessage}.ValuesShareFrameZero"/>, a <c>strings = "utf8"</c>
/// model): then a message decoded earlier still holds its own bytes after later receives.
/// </summary>
public sealed class FrameZeroLifetimeTests : IDisposable
{
    private readonly ZmqContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void A_protocol_whose_values_share_frame_zero_keeps_its_bytes_across_later_receives()
    {
        string endpoint = $"inproc://frame-zero-{Guid.NewGuid():N}";
        using var receiver = new ZmqSocket(_context, ZmqSocketType.Pair);
        receiver.Bind(endpoint);
        using var sender = new ZmqSocket(_context, ZmqSocketType.Pair);
        sender.Connect(endpoint);
        using var frames = new FrameReceiver<ViewProtocol, View>(NullLogger.Instance, "views", routed: false);

        var kept = new List<View>();
        for (int i = 0; i < 50; i++)
        {
            sender.Send(Encoding.ASCII.GetBytes($"message {i:D3}"));
            View? message = null;
            var deadline = Environment.TickCount64 + 10_000;
            while (message is null && Environment.TickCount64 < deadline)
            {
                if (!frames.TryReceive(receiver, out _, out message))
                    System.Threading.Thread.Sleep(1);
            }
            Assert.NotNull(message);
            kept.Add(message);
        }

        Assert.Equal(50, kept.Count);
        for (int i = 0; i < kept.Count; i++)
            Assert.Equal($"message {i:D3}", Encoding.ASCII.GetString(kept[i].Octets.Span));
    }

    [Fact]
    public void Lending_frame_zero_is_the_default()
    {
        Assert.True(ViewProtocol.SharesFrameZero);
        Assert.False(CopyingProtocol.SharesFrameZero);
    }

    /// <summary>A message that keeps a view into the frame it was decoded from, as Utf8Text values do.</summary>
    private sealed record View(ReadOnlyMemory<byte> Octets);

    private sealed class ViewProtocol : IFrameProtocol<View>
    {
        public static bool SharesFrameZero => Shares<ViewProtocol, View>();

        static bool IFrameProtocol<View>.ValuesShareFrameZero => true;

        public static bool TryDecode(IReadOnlyList<ReadOnlyMemory<byte>> frames, [NotNullWhen(true)] out View? message, out DecodeError error)
        {
            message = new View(frames[0]);
            error = default;
            return true;
        }

        public static int GetEncodedLength(View message) => message.Octets.Length;

        public static int Encode(View message, Span<byte> destination)
        {
            message.Octets.Span.CopyTo(destination);
            return message.Octets.Length;
        }

        public static void AddExtraFrames(View message, ICollection<ReadOnlyMemory<byte>> frames)
        {
        }

        public static string GetName(View message) => "VIEW";
    }

    /// <summary>The same protocol without the declaration: frame 0 is lent.</summary>
    private sealed class CopyingProtocol : IFrameProtocol<View>
    {
        public static bool SharesFrameZero => Shares<CopyingProtocol, View>();

        public static bool TryDecode(IReadOnlyList<ReadOnlyMemory<byte>> frames, [NotNullWhen(true)] out View? message, out DecodeError error) =>
            ViewProtocol.TryDecode(frames, out message, out error);

        public static int GetEncodedLength(View message) => ViewProtocol.GetEncodedLength(message);

        public static int Encode(View message, Span<byte> destination) => ViewProtocol.Encode(message, destination);

        public static void AddExtraFrames(View message, ICollection<ReadOnlyMemory<byte>> frames)
        {
        }

        public static string GetName(View message) => "VIEW";
    }

    private static bool Shares<TProtocol, TMessage>()
        where TProtocol : IFrameProtocol<TMessage>
        where TMessage : class => TProtocol.ValuesShareFrameZero;
}
