using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Xunit;
using Zproto.Runtime.Zmq;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Tests;

/// <summary>A plain UDP socket on loopback playing the remote peer in raw NOM-1 scenarios.</summary>
internal sealed class RawPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    /// <summary>Binds 127.0.0.1 on an ephemeral port, or <paramref name="bindTo"/>.</summary>
    public RawPeer(IPEndPoint? bindTo = null)
    {
        _socket.Bind(bindTo ?? new IPEndPoint(IPAddress.Loopback, 0));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public int Port => LocalEndPoint.Port;

    public void Send(IPEndPoint to, byte[] datagram) => _socket.SendTo(datagram, to);

    /// <summary>The next datagram within <paramref name="timeout"/>, or null.</summary>
    public byte[]? Receive(TimeSpan timeout) => Receive(timeout, out _);

    public byte[]? Receive(TimeSpan timeout, out IPEndPoint? from)
    {
        from = null;
        if (!_socket.Poll(timeout, SelectMode.SelectRead))
            return null;
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        int n = _socket.ReceiveFrom(buffer, ref any);
        from = (IPEndPoint)any;
        return buffer[..n];
    }

    /// <summary>The first datagram within <paramref name="timeout"/> that <paramref name="match"/> accepts, skipping others.</summary>
    public byte[]? ReceiveMatching(TimeSpan timeout, Func<byte[], bool> match) => ReceiveMatching(timeout, match, out _);

    public byte[]? ReceiveMatching(TimeSpan timeout, Func<byte[], bool> match, out IPEndPoint? from)
    {
        var clock = Stopwatch.StartNew();
        // The time left is read once per pass: read twice, it can turn negative in between.
        for (var left = timeout; left > TimeSpan.Zero; left = timeout - clock.Elapsed)
        {
            var datagram = Receive(left, out from);
            if (datagram is not null && match(datagram))
                return datagram;
        }
        from = null;
        return null;
    }

    /// <summary>Everything that arrives during <paramref name="window"/>.</summary>
    public List<byte[]> ReceiveFor(TimeSpan window)
    {
        var all = new List<byte[]>();
        var clock = Stopwatch.StartNew();
        for (var left = window; left > TimeSpan.Zero; left = window - clock.Elapsed)
        {
            if (Receive(left) is { } datagram)
                all.Add(datagram);
        }
        return all;
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>NOM-1 datagrams written as the spec writes them: hex header, then ASCII body.</summary>
internal static class Nom1
{
    public static byte[] Datagram(string hex, string body = "") =>
        [.. Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), .. Encoding.ASCII.GetBytes(body)];

    /// <summary>A NOM with one frame shorter than 254 octets.</summary>
    public static byte[] Nom(byte flags, byte seq, string frame) =>
        [(byte)(0x10 | flags), (byte)(0x50 | seq), (byte)frame.Length, .. Encoding.ASCII.GetBytes(frame)];

    public static int Command(byte[] datagram) => datagram[1] >> 4;

    public static bool IsCommand(byte[] datagram, int command) => datagram.Length >= 2 && Command(datagram) == command;

    public static string Body(byte[] datagram) => Encoding.ASCII.GetString(datagram, 2, datagram.Length - 2);

    public static string Hex(byte[] datagram) => Convert.ToHexString(datagram);
}

/// <summary>A manager with the udp driver, and the socket helpers the tests share.</summary>
internal sealed class UdpVtx : IDisposable
{
    public static readonly TimeSpan Short = TimeSpan.FromMilliseconds(400);
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    public UdpVtx(UdpDriverOptions? options = null)
    {
        Manager = new VtxManager();
        Driver = Manager.RegisterUdp(options ?? new UdpDriverOptions());
    }

    public VtxManager Manager { get; }

    public UdpDriver Driver { get; }

    public ZmqSocket Socket(VtxSocketType type)
    {
        var socket = Manager.CreateSocket(type);
        socket.ReceiveTimeout = Long;
        return socket;
    }

    /// <summary>Binds on 127.0.0.1 (or <paramref name="host"/>) at an ephemeral port; returns the port.</summary>
    public int Bind(ZmqSocket socket, string host = "127.0.0.1")
    {
        string endpoint = Manager.Bind(socket, $"udp://{host}:0");
        return int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public int LivePeerings(ZmqSocket socket) =>
        int.Parse(Manager.GetMeta(socket, "peerings") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until <paramref name="socket"/> has <paramref name="count"/> live peerings.</summary>
    public void WaitForPeerings(ZmqSocket socket, int count)
    {
        var clock = Stopwatch.StartNew();
        while (LivePeerings(socket) < count)
        {
            Assert.True(clock.Elapsed < Long, $"{count} peerings did not come up; {LivePeerings(socket)} live");
            Thread.Sleep(10);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after a few seconds.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Long, $"timed out waiting for {what}");
            Thread.Sleep(5);
        }
    }

    public static void Send(ZmqSocket socket, params string[] frames) =>
        socket.SendMultipart(frames.Select(f => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(f)).ToArray());

    /// <summary>The next message as strings, or null when none arrives within <paramref name="timeout"/>.</summary>
    public static string[]? Receive(ZmqSocket socket, TimeSpan timeout)
    {
        var saved = socket.ReceiveTimeout;
        socket.ReceiveTimeout = timeout;
        try
        {
            var frames = new List<byte[]>();
            return socket.TryReceiveMultipart(frames) ? frames.Select(f => Encoding.UTF8.GetString(f)).ToArray() : null;
        }
        finally
        {
            socket.ReceiveTimeout = saved;
        }
    }

    public static string[] Receive(ZmqSocket socket) =>
        Receive(socket, Long) ?? throw new Xunit.Sdk.XunitException("no message arrived");

    public void Dispose() => Manager.Dispose();
}
