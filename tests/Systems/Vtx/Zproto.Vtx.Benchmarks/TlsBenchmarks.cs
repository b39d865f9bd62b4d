using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Zproto.Runtime.Zmq;
using Zproto.Vtx.Tls;

namespace Zproto.Vtx.Benchmarks;

/// <summary>
/// PUSH/PULL throughput of the tls driver next to libzmq's own <c>tcp://</c> for the same socket
/// pair, on 127.0.0.1, 100-octet messages. Every operation is one message (OperationsPerInvoke), so
/// 1 / Mean is the rate. The certificate is self-signed at setup and pinned by the client.
/// </summary>
[MemoryDiagnoser]
public class TlsBenchmarks
{
    private const int Messages = 20_000;
    private const int Batch = 500; // within the queues' limits, so that nothing is dropped

    private static readonly ReadOnlyMemory<byte>[] s_message = [new byte[100]];

    private readonly List<byte[]> _frames = [];
    private X509Certificate2 _certificate = null!;
    private ZmqContext _context = null!;
    private VtxManager _server = null!, _client = null!;
    private ZmqSocket _tlsPush = null!, _tlsPull = null!, _tcpPush = null!, _tcpPull = null!;

    [GlobalSetup]
    public void Setup()
    {
        _certificate = SelfSigned();
        _server = new VtxManager();
        _server.RegisterTls(new TlsDriverOptions { ServerCertificate = _certificate });
        _client = new VtxManager();
        _client.RegisterTls(new TlsDriverOptions { PinnedCertificates = [TlsDriver.Fingerprint(_certificate)] });
        _tlsPush = _server.CreateSocket(VtxSocketType.Push);
        string endpoint = _server.Bind(_tlsPush, "tls://127.0.0.1:0");
        _tlsPull = _client.CreateSocket(VtxSocketType.Pull);
        _client.Connect(_tlsPull, endpoint);

        _context = new ZmqContext();
        _tcpPush = new ZmqSocket(_context, ZmqSocketType.Push) { Linger = TimeSpan.Zero };
        _tcpPush.Bind("tcp://127.0.0.1:*");
        _tcpPull = new ZmqSocket(_context, ZmqSocketType.Pull) { Linger = TimeSpan.Zero };
        _tcpPull.Connect(_tcpPush.LastEndpoint);
        _tlsPull.ReceiveTimeout = _tcpPull.ReceiveTimeout = TimeSpan.FromSeconds(10);

        // One message each, so that the connections are up before measuring.
        Pump(_tlsPush, _tlsPull, 1);
        Pump(_tcpPush, _tcpPull, 1);
    }

    private void Pump(ZmqSocket push, ZmqSocket pull, int count)
    {
        for (int i = 0; i < count; i++)
            push.SendMultipart(s_message);
        for (int i = 0; i < count; i++)
        {
            if (!pull.TryReceiveMultipart(_frames))
                throw new InvalidOperationException("message lost");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "libzmq tcp:// PUSH/PULL (message)")]
    public void TcpPushPull()
    {
        for (int sent = 0; sent < Messages; sent += Batch)
            Pump(_tcpPush, _tcpPull, Batch);
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "tls driver PUSH/PULL (message)")]
    public void TlsPushPull()
    {
        for (int sent = 0; sent < Messages; sent += Batch)
            Pump(_tlsPush, _tlsPull, Batch);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server.Dispose();
        _client.Dispose();
        _tcpPush.Dispose();
        _tcpPull.Dispose();
        _context.Dispose();
        _certificate.Dispose();
    }
}
