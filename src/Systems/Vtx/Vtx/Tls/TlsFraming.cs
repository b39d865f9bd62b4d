using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Zproto.Vtx.Tls;

/// <summary>A peer broke the tls driver's greeting or framing; its connection is closed.</summary>
internal sealed class TlsProtocolException(string message) : IOException(message);

/// <summary>
/// The bytes the tls driver exchanges inside TLS (docs/vtx.md, "The tls driver"): an 8-octet greeting
/// each way, then ZMTP/3.x data frames. A frame is a flags octet (bit 0 MORE, bit 1 LONG, every other
/// bit zero), a size (one octet, or eight big-endian octets when LONG), and the body.
/// </summary>
internal static class TlsFraming
{
    public const byte More = 0x01;
    public const byte Long = 0x02;
    public const int GreetingSize = 8;
    public const byte Version = 1;

    private static ReadOnlySpan<byte> Signature => "VTXTLS"u8;

    /// <summary>The greeting: <c>"VTXTLS"</c>, the version, and the ZMTP number of the socket type.</summary>
    public static byte[] Greeting(VtxSocketType type)
    {
        var greeting = new byte[GreetingSize];
        Signature.CopyTo(greeting);
        greeting[6] = Version;
        greeting[7] = ZmtpNumber(type);
        return greeting;
    }

    /// <summary>Checks a peer's greeting and returns its socket type.</summary>
    /// <exception cref="TlsProtocolException">Not a greeting, another version, an unknown type, or a type that cannot talk to <paramref name="local"/>.</exception>
    public static VtxSocketType ParseGreeting(ReadOnlySpan<byte> greeting, VtxSocketType local)
    {
        if (greeting.Length != GreetingSize || !greeting[..6].SequenceEqual(Signature))
            throw new TlsProtocolException("not a VTXTLS greeting");
        if (greeting[6] != Version)
            throw new TlsProtocolException($"greeting version {greeting[6]}, expected {Version}");
        var peer = FromZmtpNumber(greeting[7]) ?? throw new TlsProtocolException($"unknown socket type {greeting[7]}");
        if (!Compatible(local, peer))
            throw new TlsProtocolException($"a {peer} socket cannot talk to a {local} socket");
        return peer;
    }

    /// <summary>
    /// The socket-type pairs ZMTP allows (RFC 23/37), plus REQ with DEALER, which the 2011 tests pair
    /// and which works here because no envelope delimiter is framed.
    /// </summary>
    public static bool Compatible(VtxSocketType a, VtxSocketType b) => a switch
    {
        VtxSocketType.Req => b is VtxSocketType.Rep or VtxSocketType.Router or VtxSocketType.Dealer,
        VtxSocketType.Rep => b is VtxSocketType.Req or VtxSocketType.Dealer,
        VtxSocketType.Dealer => b is VtxSocketType.Req or VtxSocketType.Rep or VtxSocketType.Dealer or VtxSocketType.Router,
        VtxSocketType.Router => b is VtxSocketType.Req or VtxSocketType.Dealer or VtxSocketType.Router,
        VtxSocketType.Pub => b is VtxSocketType.Sub,
        VtxSocketType.Sub => b is VtxSocketType.Pub,
        VtxSocketType.Push => b is VtxSocketType.Pull,
        VtxSocketType.Pull => b is VtxSocketType.Push,
        VtxSocketType.Pair => b is VtxSocketType.Pair,
        _ => false,
    };

    /// <summary>libzmq's numbers (ZMQ_PAIR = 0 … ZMQ_PUSH = 8), so the greeting reads like ZMTP's.</summary>
    private static byte ZmtpNumber(VtxSocketType type) => type switch
    {
        VtxSocketType.Pair => 0,
        VtxSocketType.Pub => 1,
        VtxSocketType.Sub => 2,
        VtxSocketType.Req => 3,
        VtxSocketType.Rep => 4,
        VtxSocketType.Dealer => 5,
        VtxSocketType.Router => 6,
        VtxSocketType.Pull => 7,
        VtxSocketType.Push => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static VtxSocketType? FromZmtpNumber(byte number) => number switch
    {
        0 => VtxSocketType.Pair,
        1 => VtxSocketType.Pub,
        2 => VtxSocketType.Sub,
        3 => VtxSocketType.Req,
        4 => VtxSocketType.Rep,
        5 => VtxSocketType.Dealer,
        6 => VtxSocketType.Router,
        7 => VtxSocketType.Pull,
        8 => VtxSocketType.Push,
        _ => null,
    };

    /// <summary>Appends <paramref name="frames"/> as one message.</summary>
    public static void Encode(IReadOnlyList<byte[]> frames, IBufferWriter<byte> output)
    {
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            byte more = i + 1 < frames.Count ? More : (byte)0;
            if (frame.Length <= byte.MaxValue)
            {
                var header = output.GetSpan(2);
                header[0] = more;
                header[1] = (byte)frame.Length;
                output.Advance(2);
            }
            else
            {
                var header = output.GetSpan(9);
                header[0] = (byte)(more | Long);
                BinaryPrimitives.WriteUInt64BigEndian(header[1..], (ulong)frame.Length);
                output.Advance(9);
            }
            output.Write(frame);
        }
    }
}

/// <summary>Reads whole messages off a stream, enforcing the driver's frame, message and frame-count limits.</summary>
internal sealed class TlsFrameReader(Stream stream, TlsDriverOptions options)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next message, or null when the peer closed the stream between messages.</summary>
    /// <exception cref="TlsProtocolException">The peer broke the framing or a limit.</exception>
    public async ValueTask<List<byte[]>?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var frames = new List<byte[]>();
        long total = 0;
        while (true)
        {
            if (!await FillAsync(1, cancellationToken).ConfigureAwait(false))
            {
                return frames.Count == 0 ? null : throw new TlsProtocolException("the stream ended inside a message");
            }
            byte flags = _buffer[_start];
            if ((flags & ~(TlsFraming.More | TlsFraming.Long)) != 0)
                throw new TlsProtocolException($"invalid frame flags 0x{flags:x2}");
            int header = (flags & TlsFraming.Long) != 0 ? 9 : 2;
            if (!await FillAsync(header, cancellationToken).ConfigureAwait(false))
                throw new TlsProtocolException("the stream ended inside a frame header");
            ulong size = header == 9 ? BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_start + 1)) : _buffer[_start + 1];
            if (size > (ulong)options.MaxFrameSize)
                throw new TlsProtocolException($"a frame of {size} octets is over the limit of {options.MaxFrameSize}");
            total += (long)size;
            if (total > options.MaxMessageSize)
                throw new TlsProtocolException($"a message over the limit of {options.MaxMessageSize} octets");
            if (frames.Count == options.MaxFramesPerMessage)
                throw new TlsProtocolException($"a message over the limit of {options.MaxFramesPerMessage} frames");
            _start += header;
            var frame = new byte[(int)size];
            int buffered = Math.Min(frame.Length, _end - _start);
            _buffer.AsSpan(_start, buffered).CopyTo(frame);
            _start += buffered;
            if (buffered < frame.Length)
            {
                try
                {
                    await stream.ReadExactlyAsync(frame.AsMemory(buffered), cancellationToken).ConfigureAwait(false);
                }
                catch (EndOfStreamException)
                {
                    throw new TlsProtocolException("the stream ended inside a frame");
                }
            }
            frames.Add(frame);
            if ((flags & TlsFraming.More) == 0)
                return frames;
        }
    }

    /// <summary>
    /// Whether a whole message is already buffered, so that <see cref="ReadMessageAsync"/> returns it
    /// without waiting for the network. Broken framing says true: the read then reports it at once.
    /// </summary>
    public bool HasBufferedMessage()
    {
        int at = _start;
        while (at < _end)
        {
            byte flags = _buffer[at];
            if ((flags & ~(TlsFraming.More | TlsFraming.Long)) != 0)
                return true;
            int header = (flags & TlsFraming.Long) != 0 ? 9 : 2;
            if (_end - at < header)
                return false;
            ulong size = header == 9 ? BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(at + 1)) : _buffer[at + 1];
            if (size > (ulong)(_end - at - header))
                return size > (ulong)options.MaxFrameSize; // an over-long frame fails at once; a long one needs the network
            at += header + (int)size;
            if ((flags & TlsFraming.More) == 0)
                return true;
        }
        return false;
    }

    /// <summary>Reads until <paramref name="count"/> octets are buffered; false at the end of the stream.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
            return true;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end < count)
        {
            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return false;
            _end += read;
        }
        return true;
    }
}
