using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Zproto.Vtx.Tests;

/// <summary>vtx-hello over tls:// as two real processes, with PEM files written from the run-time test certificates.</summary>
public sealed class TlsHelloProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vtx-hello-tls-").FullName;
    private readonly string _caFile;
    private readonly (string Cert, string Key) _server;
    private readonly (string Cert, string Key) _stranger;
    private readonly (string Cert, string Key) _client;

    public TlsHelloProcessTests()
    {
        var certificates = TestCertificates.Shared;
        _caFile = Path.Combine(_directory, "ca.crt");
        File.WriteAllText(_caFile, certificates.Authority.ExportCertificatePem());
        _server = TestCertificates.WritePem(certificates.Server, _directory, "server");
        _stranger = TestCertificates.WritePem(certificates.StrangerServer, _directory, "stranger");
        _client = TestCertificates.WritePem(certificates.Client, _directory, "client");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the server requires a client certificate from the CA
    public async Task Client_and_server_exchange_hello_and_ack_three_times_over_tls_and_exit_0(bool clientCertificate)
    {
        string[] serverArgs = ["server", "--bind", "tls://127.0.0.1:0", "--cert", _server.Cert, "--key", _server.Key, "--count", "3"];
        if (clientCertificate)
            serverArgs = [.. serverArgs, "--ca", _caFile, "--require-client-cert"];
        using var server = HelloProcessTests.Start(serverArgs);
        try
        {
            string port = await ListeningPort(server);
            string[] clientArgs = ["client", "--connect", $"tls://127.0.0.1:{port}", "--ca", _caFile, "--count", "3", "--interval", "100", "--give-up", "30000"];
            if (clientCertificate)
                clientArgs = [.. clientArgs, "--cert", _client.Cert, "--key", _client.Key];
            using var client = HelloProcessTests.Start(clientArgs);
            var (clientCode, clientOut, clientErr) = await HelloProcessTests.Finish(client);
            var (serverCode, serverOut, _) = await HelloProcessTests.Finish(server);

            Assert.True(clientCode == 0, clientErr);
            Assert.Equal(0, serverCode);
            var clientLines = HelloProcessTests.Lines(clientOut);
            Assert.Equal(3, clientLines.Count(l => l == "ack"));
            Assert.All(clientLines, l => Assert.Contains(l, new[] { "hello?", "ack" }));
            Assert.Equal(["hello?", "hello?", "hello?"], HelloProcessTests.Lines(serverOut));
        }
        finally
        {
            if (!server.HasExited)
                server.Kill();
        }
    }

    [Fact]
    public async Task A_client_refuses_a_server_certificate_its_CA_did_not_sign_and_gives_up_with_exit_1()
    {
        using var server = HelloProcessTests.Start("server", "--bind", "tls://127.0.0.1:0", "--cert", _stranger.Cert, "--key", _stranger.Key);
        try
        {
            string port = await ListeningPort(server);
            using var client = HelloProcessTests.Start("client", "--connect", $"tls://127.0.0.1:{port}", "--ca", _caFile, "--count", "1", "--give-up", "3000");
            var (code, output, error) = await HelloProcessTests.Finish(client);
            Assert.Equal(1, code);
            Assert.DoesNotContain("ack", output, StringComparison.Ordinal);
            Assert.Contains("gave up after 0 of 1 answers", error, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill();
        }
    }

    [Fact]
    public async Task A_tls_server_without_a_certificate_is_a_usage_error_with_exit_2()
    {
        using var server = HelloProcessTests.Start("server", "--bind", "tls://127.0.0.1:0", "--count", "1");
        var (code, _, error) = await HelloProcessTests.Finish(server);
        Assert.Equal(2, code);
        Assert.Contains("no server certificate", error, StringComparison.Ordinal);
    }

    private static async Task<string> ListeningPort(System.Diagnostics.Process server)
    {
        string? first = await server.StandardOutput.ReadLineAsync().WaitAsync(HelloProcessTests.s_processLimit);
        Assert.NotNull(first);
        Assert.StartsWith("listening on tls://127.0.0.1:", first, StringComparison.Ordinal);
        return first[(first.LastIndexOf(':') + 1)..];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
