using System;
using Xunit;
using Zproto.Vtx.Tls;

namespace Zproto.Vtx.Tests;

/// <summary>Who the tls driver trusts: a CA, a pinned certificate, and client certificates when the server requires them.</summary>
public class TlsTrustTests
{
    private static TestCertificates Certificates => TestCertificates.Shared;

    /// <summary>One REQ/REP exchange attempt; true when the request arrived within <paramref name="wait"/> (default 2 s) and the reply came back.</summary>
    private static bool Exchange(TlsVtx server, TlsVtx client, TimeSpan? wait = null)
    {
        var rep = server.Socket(VtxSocketType.Rep);
        var req = client.Socket(VtxSocketType.Req);
        client.Manager.Connect(req, server.Bind(rep));
        UdpVtx.Send(req, "hello?");
        if (UdpVtx.Receive(rep, wait ?? TimeSpan.FromSeconds(2)) is not { } request)
            return false;
        Assert.Equal(["hello?"], request);
        UdpVtx.Send(rep, "ack");
        Assert.Equal(["ack"], UdpVtx.Receive(req));
        return true;
    }

    /// <summary>Asserts that the connection never opened, and that <paramref name="refuser"/> logged a refusal.</summary>
    private static void AssertRefused(TlsVtx server, TlsVtx client, TlsVtx refuser)
    {
        Assert.False(Exchange(server, client));
        UdpVtx.WaitUntil(() => refuser.Driver.Statistics.HandshakesFailed >= 1, "the refusal to be counted");
        Assert.Equal(0, server.Driver.Statistics.MessagesDelivered);
        Assert.Equal(0, client.Driver.Statistics.MessagesDelivered);
    }

    [Fact]
    public void A_server_certificate_from_the_trusted_CA_is_accepted()
    {
        using var server = new TlsVtx(Certificates.ServerOptions());
        using var client = new TlsVtx(Certificates.ClientOptions());
        Assert.True(Exchange(server, client, UdpVtx.Long), $"refused {server.Driver.Statistics.HandshakesFailed} times by the server, {client.Driver.Statistics.HandshakesFailed} by the client");
        Assert.Equal(0, client.Driver.Statistics.HandshakesFailed);
    }

    [Fact]
    public void A_server_certificate_from_an_untrusted_CA_is_refused()
    {
        using var server = new TlsVtx(Certificates.ServerOptions(Certificates.StrangerServer));
        using var client = new TlsVtx(Certificates.ClientOptions());
        AssertRefused(server, client, client);
    }

    [Fact]
    public void A_trusted_server_certificate_for_another_name_is_refused()
    {
        using var server = new TlsVtx(Certificates.ServerOptions(Certificates.WrongNameServer));
        using var client = new TlsVtx(Certificates.ClientOptions());
        AssertRefused(server, client, client);
    }

    [Fact]
    public void A_pinned_certificate_is_accepted_whoever_issued_it()
    {
        using var server = new TlsVtx(Certificates.ServerOptions(Certificates.StrangerServer));
        using var client = new TlsVtx(new TlsDriverOptions { PinnedCertificates = [TlsDriver.Fingerprint(Certificates.StrangerServer)] });
        Assert.True(Exchange(server, client, UdpVtx.Long), $"refused {server.Driver.Statistics.HandshakesFailed} times by the server, {client.Driver.Statistics.HandshakesFailed} by the client");
    }

    [Fact]
    public void With_only_a_pin_any_other_certificate_is_refused_even_one_the_system_might_trust()
    {
        using var server = new TlsVtx(Certificates.ServerOptions());
        using var client = new TlsVtx(new TlsDriverOptions { PinnedCertificates = [TlsDriver.Fingerprint(Certificates.StrangerServer)] });
        AssertRefused(server, client, client);
    }

    [Fact]
    public void A_missing_client_certificate_is_refused_when_the_server_requires_one()
    {
        using var server = new TlsVtx(Certificates.ServerOptions(requireClientCertificate: true));
        using var client = new TlsVtx(Certificates.ClientOptions());
        AssertRefused(server, client, server);
    }

    [Fact]
    public void A_client_certificate_from_an_untrusted_CA_is_refused_when_the_server_requires_one()
    {
        using var server = new TlsVtx(Certificates.ServerOptions(requireClientCertificate: true));
        using var client = new TlsVtx(Certificates.ClientOptions(Certificates.StrangerClient));
        AssertRefused(server, client, server);
    }

    [Fact]
    public void A_client_certificate_from_the_trusted_CA_is_accepted_when_the_server_requires_one()
    {
        using var server = new TlsVtx(Certificates.ServerOptions(requireClientCertificate: true));
        using var client = new TlsVtx(Certificates.ClientOptions(Certificates.Client));
        Assert.True(Exchange(server, client, UdpVtx.Long), $"refused {server.Driver.Statistics.HandshakesFailed} times by the server, {client.Driver.Statistics.HandshakesFailed} by the client");
        Assert.Equal(0, server.Driver.Statistics.HandshakesFailed);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_an_options_error()
    {
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Certificates.Server.RawData);
        using var vtx = new VtxManager();
        Assert.Throws<ArgumentException>(() => vtx.RegisterTls(new TlsDriverOptions { ServerCertificate = publicOnly }));
    }
}
