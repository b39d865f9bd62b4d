using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Zproto.Vtx.Tls;

/// <summary>
/// Decides whether a peer's certificate is trusted: a pinned fingerprint first, then the configured
/// authorities (the system store is not consulted then), else the system's own verdict.
/// </summary>
internal sealed class TlsTrust(TlsDriverOptions options)
{
    private readonly HashSet<string> _pins = options.PinnedCertificates.Select(Normalize).ToHashSet(StringComparer.Ordinal);

    /// <summary>The SHA-256 fingerprint of <paramref name="certificate"/> as the pin list expects it (upper-case hex).</summary>
    public static string Fingerprint(X509Certificate certificate) => Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>Validates a server's certificate (connect side): its name is checked unless pinned.</summary>
    public bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && Validate(certificate, errors, checkName: true);

    /// <summary>Validates a client's certificate (bind side); none is fine unless one is required.</summary>
    public bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is null ? !options.RequireClientCertificate : Validate(certificate, errors, checkName: false);

    private bool Validate(X509Certificate certificate, SslPolicyErrors errors, bool checkName)
    {
        if (_pins.Count > 0 && _pins.Contains(Fingerprint(certificate)))
            return true;
        if (options.TrustedAuthorities.Count == 0)
            return _pins.Count == 0 && (errors & ~(checkName ? SslPolicyErrors.None : SslPolicyErrors.RemoteCertificateNameMismatch)) == SslPolicyErrors.None;
        if (checkName && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(options.TrustedAuthorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (certificate is X509Certificate2 leaf)
            return custom.Build(leaf);
        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(copy);
    }

    private static string Normalize(string fingerprint) =>
        fingerprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
}
