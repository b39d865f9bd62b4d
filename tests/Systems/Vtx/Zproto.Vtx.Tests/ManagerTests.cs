using System;
using Xunit;
using Zproto.Vtx.Udp;

namespace Zproto.Vtx.Tests;

/// <summary>The driver layer's control calls and their typed errors (§5.2, VX-15).</summary>
public class ManagerTests
{
    [Fact]
    public void VX15_unknown_scheme_is_VtxUnknownSchemeException()
    {
        using var vtx = new UdpVtx();
        var socket = vtx.Socket(VtxSocketType.Req);
        var e = Assert.Throws<VtxUnknownSchemeException>(() => vtx.Manager.Connect(socket, "foo://x:1"));
        Assert.Equal("foo", e.Scheme);
    }

    [Theory]
    [InlineData("udp:x")]
    [InlineData("://x:1")]
    [InlineData("udp://")]
    public void VX15_endpoint_without_scheme_separator_is_VtxInvalidEndpointException(string endpoint)
    {
        using var vtx = new UdpVtx();
        var socket = vtx.Socket(VtxSocketType.Rep);
        Assert.Throws<VtxInvalidEndpointException>(() => vtx.Manager.Bind(socket, endpoint));
    }

    [Theory]
    [InlineData("udp://127.0.0.1")]
    [InlineData("udp://127.0.0.1:70000")]
    [InlineData("udp://127.0.0.1:-1")]
    public void Udp_address_without_valid_port_is_VtxInvalidEndpointException(string endpoint)
    {
        using var vtx = new UdpVtx();
        var socket = vtx.Socket(VtxSocketType.Rep);
        Assert.Throws<VtxInvalidEndpointException>(() => vtx.Manager.Bind(socket, endpoint));
    }

    [Fact]
    public void VX15_registering_udp_twice_is_VtxDuplicateSchemeException()
    {
        using var vtx = new UdpVtx();
        var e = Assert.Throws<VtxDuplicateSchemeException>(() => vtx.Manager.RegisterUdp());
        Assert.Equal("udp", e.Scheme);
        Assert.Same(vtx.Driver, vtx.Manager.GetDriver("udp"));
    }

    [Fact]
    public void A_socket_from_another_manager_is_VtxForeignSocketException()
    {
        using var vtx = new UdpVtx();
        using var other = new UdpVtx();
        var foreign = other.Socket(VtxSocketType.Req);
        Assert.Throws<VtxForeignSocketException>(() => vtx.Manager.Connect(foreign, "udp://127.0.0.1:1"));
        Assert.Throws<VtxForeignSocketException>(() => vtx.Manager.GetMeta(foreign, "sender"));
        Assert.Throws<VtxForeignSocketException>(() => vtx.Manager.Close(foreign));
    }

    [Fact]
    public void A_closed_socket_is_VtxForeignSocketException()
    {
        using var vtx = new UdpVtx();
        var socket = vtx.Socket(VtxSocketType.Pull);
        vtx.Bind(socket);
        vtx.Manager.Close(socket);
        Assert.Throws<VtxForeignSocketException>(() => vtx.Manager.Bind(socket, "udp://127.0.0.1:0"));
    }

    [Fact]
    public void A_socket_tied_to_one_driver_cannot_use_another_VtxDriverMismatchException()
    {
        using var vtx = new UdpVtx();
        vtx.Manager.Register((context, loggers) => new SecondUdpDriver(context, loggers));
        var socket = vtx.Socket(VtxSocketType.Dealer);
        vtx.Bind(socket);
        Assert.Throws<VtxDriverMismatchException>(() => vtx.Manager.Connect(socket, "udp2://127.0.0.1:1"));
    }

    [Fact]
    public void A_bind_the_system_refuses_is_VtxDriverException()
    {
        using var vtx = new UdpVtx();
        var first = vtx.Socket(VtxSocketType.Rep);
        int port = vtx.Bind(first);
        var second = vtx.Socket(VtxSocketType.Rep);
        Assert.Throws<VtxDriverException>(() => vtx.Manager.Bind(second, $"udp://127.0.0.1:{port}"));
    }

    [Fact]
    public void Repeated_bind_and_connect_to_one_address_are_idempotent()
    {
        using var vtx = new UdpVtx();
        var server = vtx.Socket(VtxSocketType.Pair);
        string endpoint = vtx.Manager.Bind(server, "udp://127.0.0.1:0");
        string address = endpoint["udp://".Length..];
        Assert.Equal(endpoint, vtx.Manager.Bind(server, endpoint));
        var client = vtx.Socket(VtxSocketType.Pair);
        vtx.Manager.Connect(client, endpoint);
        vtx.Manager.Connect(client, endpoint); // a PAIR allows one peering: a second, different one would throw
        Assert.StartsWith("127.0.0.1:", address, StringComparison.Ordinal);
    }

    [Fact]
    public void VX15_getmeta_sender_is_the_last_senders_ip_and_other_names_are_null()
    {
        using var vtx = new UdpVtx();
        var server = vtx.Socket(VtxSocketType.Pull);
        int port = vtx.Bind(server);
        Assert.Null(vtx.Manager.GetMeta(server, "sender"));
        var client = vtx.Socket(VtxSocketType.Push);
        vtx.Manager.Connect(client, $"udp://127.0.0.1:{port}");
        UdpVtx.Send(client, "x");
        Assert.Equal(["x"], UdpVtx.Receive(server));
        Assert.Equal("127.0.0.1", vtx.Manager.GetMeta(server, "sender"));
        Assert.Null(vtx.Manager.GetMeta(server, "colour"));
    }

    [Fact]
    public void Subscribe_needs_a_bound_or_connected_SUB()
    {
        using var vtx = new UdpVtx();
        var pull = vtx.Socket(VtxSocketType.Pull);
        Assert.Throws<InvalidOperationException>(() => vtx.Manager.Subscribe(pull, ""));
        var sub = vtx.Socket(VtxSocketType.Sub);
        Assert.Throws<InvalidOperationException>(() => vtx.Manager.Subscribe(sub, ""));
        vtx.Bind(sub);
        vtx.Manager.Subscribe(sub, "");
        Assert.Equal(VtxSocketType.Sub, vtx.Manager.GetSocketType(sub));
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        using var manager = new VtxManager();
        Assert.Throws<ArgumentOutOfRangeException>(() => manager.RegisterUdp(new UdpDriverOptions { DropRate = 1.5 }));
        Assert.Throws<ArgumentException>(() => manager.RegisterUdp(new UdpDriverOptions { BroadcastAddress = System.Net.IPAddress.IPv6Loopback }));
        Assert.Null(manager.GetDriver("udp"));
    }

    /// <summary>A second UDP driver under another scheme, to have two drivers in one manager.</summary>
    private sealed class SecondUdpDriver(Runtime.Zmq.ZmqContext context, Microsoft.Extensions.Logging.ILoggerFactory loggers)
        : VtxDriver("udp2", context, Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<SecondUdpDriver>(loggers))
    {
        protected internal override void OpenVocket(int id, VtxSocketType type) { }

        protected internal override string Bind(int id, string address) => $"udp2://{address}";

        protected internal override void Connect(int id, string address) { }

        protected internal override string? GetMeta(int id, string name) => null;

        protected internal override void Subscribe(int id, byte[] prefix) { }

        protected internal override void CloseVocket(int id) { }

        protected override bool TryFlush(int id) => true;

        protected override void OnApplicationMessage(int id, System.Collections.Generic.List<byte[]> frames) { }
    }
}
