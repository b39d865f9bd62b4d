using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Xunit;
using Zproto.Runtime.Zmq;
using Zproto.Vtx.Tls;

namespace Zproto.Vtx.Tests;

/// <summary>
/// Certificates made at run time (no private key is committed): a CA, and leaf certificates it
/// signs for 127.0.0.1 and localhost. A second, unrelated CA plays the untrusted issuer.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Lazy<TestCertificates> s_shared = new(() => new TestCertificates());

    // One validity period for every certificate, taken once: a leaf whose "now + 7 days" was read a
    // second after its CA's would end after the CA, which CertificateRequest.Create refuses.
    private readonly DateTimeOffset _notBefore = DateTimeOffset.UtcNow.AddDays(-1);
    private readonly DateTimeOffset _notAfter = DateTimeOffset.UtcNow.AddDays(7);

    private TestCertificates()
    {
        Authority = CreateAuthority("CN=VTX test CA");
        Server = Issue(Authority, "CN=127.0.0.1", serverAuth: true);
        Client = Issue(Authority, "CN=vtx test client", serverAuth: false);
        var stranger = CreateAuthority("CN=VTX stranger CA");
        StrangerServer = Issue(stranger, "CN=127.0.0.1", serverAuth: true);
        StrangerClient = Issue(stranger, "CN=vtx stranger client", serverAuth: false);
        WrongNameServer = Issue(Authority, "CN=elsewhere.invalid", serverAuth: true, sanHost: "elsewhere.invalid");
    }

    /// <summary>One set for the whole test run: making keys is slow on a busy machine.</summary>
    public static TestCertificates Shared => s_shared.Value;

    public X509Certificate2 Authority { get; }

    /// <summary>For 127.0.0.1 and localhost, signed by <see cref="Authority"/>.</summary>
    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    /// <summary>For 127.0.0.1, signed by a CA nobody trusts.</summary>
    public X509Certificate2 StrangerServer { get; }

    public X509Certificate2 StrangerClient { get; }

    /// <summary>Signed by <see cref="Authority"/>, but for another host name.</summary>
    public X509Certificate2 WrongNameServer { get; }

    /// <summary>The options of a bound side presenting <paramref name="certificate"/> (default: <see cref="Server"/>).</summary>
    public TlsDriverOptions ServerOptions(X509Certificate2? certificate = null, bool requireClientCertificate = false) => new()
    {
        ServerCertificate = certificate ?? Server,
        TrustedAuthorities = [Authority],
        RequireClientCertificate = requireClientCertificate,
    };

    /// <summary>The options of a connecting side trusting <see cref="Authority"/>, with fast reconnects.</summary>
    public TlsDriverOptions ClientOptions(X509Certificate2? clientCertificate = null) => new()
    {
        ClientCertificate = clientCertificate,
        TrustedAuthorities = [Authority],
        ReconnectInterval = TimeSpan.FromMilliseconds(50),
        ReconnectIntervalMax = TimeSpan.FromMilliseconds(400),
    };

    /// <summary>Writes <paramref name="certificate"/> and its key as PEM files into <paramref name="directory"/>; returns their paths.</summary>
    public static (string Cert, string Key) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        string cert = Path.Combine(directory, $"{name}.crt");
        string key = Path.Combine(directory, $"{name}.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        using var ecdsa = certificate.GetECDsaPrivateKey();
        if (ecdsa is not null)
            File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    private X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(_notBefore, _notAfter);
    }

    private X509Certificate2 Issue(X509Certificate2 authority, string name, bool serverAuth, string sanHost = "localhost")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(sanHost);
        if (sanHost == "localhost")
            san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        using var issued = request.Create(authority, _notBefore, _notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
        StrangerServer.Dispose();
        StrangerClient.Dispose();
        WrongNameServer.Dispose();
    }
}

/// <summary>A manager with the tls driver, as one side (or both) of a test.</summary>
internal sealed class TlsVtx : IDisposable
{
    public TlsVtx(TlsDriverOptions options)
    {
        Manager = new VtxManager();
        Driver = Manager.RegisterTls(options);
    }

    public VtxManager Manager { get; }

    public TlsDriver Driver { get; }

    public ZmqSocket Socket(VtxSocketType type)
    {
        var socket = Manager.CreateSocket(type);
        socket.ReceiveTimeout = UdpVtx.Long;
        return socket;
    }

    /// <summary>Binds on 127.0.0.1 at an ephemeral port; returns the bound endpoint.</summary>
    public string Bind(ZmqSocket socket) => Manager.Bind(socket, "tls://127.0.0.1:0");

    public int Connections(ZmqSocket socket) =>
        int.Parse(Manager.GetMeta(socket, "peerings") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Waits until <paramref name="socket"/> has <paramref name="count"/> open connections.</summary>
    public void WaitForConnections(ZmqSocket socket, int count)
    {
        var clock = Stopwatch.StartNew();
        while (Connections(socket) < count)
        {
            Assert.True(clock.Elapsed < UdpVtx.Long, $"{count} connections did not come up; {Connections(socket)} open");
            Thread.Sleep(10);
        }
    }

    public static int Port(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    public void Dispose() => Manager.Dispose();
}
