using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Zproto.Runtime.Zmq;

namespace Zp.Client;

/// <summary>How a client trusts server keys, ssh-style: known_hosts first; a host not in it is
/// trusted on first use only with <see cref="AcceptNew"/> or the user's answer to <see cref="Confirm"/>.</summary>
public sealed record HostKeyPolicy
{
    /// <summary>The known_hosts file (<c>HOST:PORT Z85-SERVER-KEY</c> lines).</summary>
    public required string KnownHostsFile { get; init; }

    /// <summary>Trust and record the key an unknown host shows, without asking (ssh's <c>StrictHostKeyChecking=accept-new</c>).</summary>
    public bool AcceptNew { get; init; }

    /// <summary>The port zpd serves its public key on; null for the zp port + 1 (zpd's default).</summary>
    public int? KeyPort { get; init; }

    /// <summary>Asks the user whether to trust (authority, fingerprint); null when nobody can be asked (not a terminal).</summary>
    public Func<string, string, bool>? Confirm { get; init; }

    /// <summary>Receives notices for stderr, e.g. that a key was added to known_hosts.</summary>
    public Action<string>? Notice { get; init; }
}

/// <summary>
/// Trust on first use of zpd's CURVE key. CURVE needs the server key before connecting, so zpd also
/// serves its public key, unauthenticated, on a plain TCP port (zp's port + 1 by default): one line
/// <c>ZPD-KEY Z85-KEY</c>. A client that does not know the host fetches it there and, when the user
/// accepts (or <c>--accept-new</c>), records it in known_hosts. Like ssh, the first contact trusts
/// whatever it is shown; every later connection must present the recorded key, and a key that
/// differs is always refused.
/// </summary>
public static class HostKeys
{
    /// <summary>The one line zpd's key endpoint sends starts with this word.</summary>
    public const string LinePrefix = "ZPD-KEY ";

    /// <summary>What every trust failure says, as systems.md §1.6 asks.</summary>
    public const string Failure = "server not reachable or key mismatch";

    private const int MaxLine = 128;

    /// <summary>ssh's fingerprint form: <c>SHA256:</c> and the unpadded base64 of the key's SHA-256.</summary>
    public static string Fingerprint(string key) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(Z85.Decode(key))).TrimEnd('=');

    /// <summary>The server key for <paramref name="target"/>: known_hosts' entry, else (when the policy allows) the key the host shows, recorded.</summary>
    /// <exception cref="ZpTransportException">Unknown host that may not be trusted, or its key could not be fetched.</exception>
    public static async Task<string> ResolveAsync(ZpTarget target, HostKeyPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(policy);
        if (ClientIdentity.KnownServerKey(policy.KnownHostsFile, target.Authority) is { } known)
            return known;
        if (!policy.AcceptNew && policy.Confirm is null)
            throw new ZpTransportException($"{Failure}: {target.Authority} is not in {policy.KnownHostsFile}; use --accept-new to trust the key it shows on first contact, or add the line '{target.Authority} SERVER-KEY'");
        var key = await FetchAsync(target.Host, KeyPort(target, policy), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false)
            ?? throw new ZpTransportException($"{Failure}: {target.Host} serves no key on port {KeyPort(target, policy)} (zpd's key endpoint; see --key-port)");
        if (!policy.AcceptNew && !policy.Confirm!(target.Authority, Fingerprint(key)))
            throw new ZpTransportException($"{Failure}: the key of {target.Authority} was not accepted");
        Record(policy.KnownHostsFile, target.Authority, key);
        policy.Notice?.Invoke($"added {target.Authority} ({Fingerprint(key)}) to {policy.KnownHostsFile}");
        return key;
    }

    /// <summary>
    /// After a failed connection with a known key: the explanation when the host now shows another key
    /// (then the failure is a mismatch, never to be trusted), or null when it shows the same one or none.
    /// </summary>
    public static async Task<string?> ExplainMismatchAsync(ZpTarget target, HostKeyPolicy policy, string knownKey, CancellationToken cancellationToken = default)
    {
        var shown = await FetchAsync(target.Host, KeyPort(target, policy), TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        if (shown is null || shown == knownKey)
            return null;
        return $"{Failure}: {target.Authority} shows the key {Fingerprint(shown)}, but {policy.KnownHostsFile} has {Fingerprint(knownKey)}; refusing. "
            + "Someone may be impersonating the host; if its key really changed, remove its line from known_hosts.";
    }

    /// <summary>Reads the key zpd serves on <paramref name="host"/>:<paramref name="port"/>; null when nothing usable answers in time.</summary>
    public static async Task<string?> FetchAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
            var stream = tcp.GetStream();
            var buffer = new byte[MaxLine];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), limit.Token).ConfigureAwait(false)) > 0)
                length += read;
            var line = Encoding.ASCII.GetString(buffer, 0, length).TrimEnd('\r', '\n');
            if (!line.StartsWith(LinePrefix, StringComparison.Ordinal))
                return null;
            var key = line[LinePrefix.Length..];
            return KeyFiles.IsKey(key) ? key : null;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Appends <c>AUTHORITY KEY</c> to known_hosts, creating it (and its directory, private) when missing.</summary>
    public static void Record(string knownHostsFile, string authority, string key)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(knownHostsFile));
        if (directory is not null && !Directory.Exists(directory))
            KeyFiles.CreatePrivateDirectory(directory);
        File.AppendAllText(knownHostsFile, $"{authority} {key}\n");
    }

    /// <summary>Connects as a CLI does: the server key from known_hosts or first-use trust, the identity's keys and client id; a failure with a known key is checked for a changed host key.</summary>
    public static async Task<ZpConnection> ConnectAsync(ZpTarget target, HostKeyPolicy policy, string identityDirectory, TimeSpan connectTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var serverKey = await ResolveAsync(target, policy, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ZpConnection.ConnectAsync(new ZpConnectOptions
            {
                Endpoint = target.Endpoint,
                User = target.User,
                ClientId = ClientIdentity.ClientId(identityDirectory),
                ServerKey = serverKey,
                ClientKeys = ClientIdentity.LoadKeys(identityDirectory),
                ConnectTimeout = connectTimeout,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ZpTransportException e) when (e.Message == Failure)
        {
            // A wrong server key looks exactly like silence in CURVE; the key endpoint tells the two apart.
            throw new ZpTransportException(await ExplainMismatchAsync(target, policy, serverKey, cancellationToken).ConfigureAwait(false) ?? Failure);
        }
    }

    private static int KeyPort(ZpTarget target, HostKeyPolicy policy) => policy.KeyPort ?? target.Port + 1;
}
