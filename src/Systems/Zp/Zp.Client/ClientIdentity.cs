using System;
using System.IO;
using System.Linq;
using Zproto.Runtime.Zmq;

namespace Zp.Client;

/// <summary>
/// A client's files, ssh-style: an identity directory with the CURVE key pair (<see cref="KeyFiles"/>)
/// and the persistent <c>client_id</c>, and a known_hosts file of <c>host:port Z85-SERVER-KEY</c>
/// lines. Defaults live under <c>$HOME/.config/zp/</c>.
/// </summary>
public static class ClientIdentity
{
    /// <summary><c>$HOME/.config/zp</c>.</summary>
    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "zp");

    /// <summary><c>$HOME/.config/zp/known_hosts</c>.</summary>
    public static string DefaultKnownHosts => Path.Combine(DefaultDirectory, "known_hosts");

    /// <summary>The key pair in <paramref name="directory"/>; a missing one is an error that names <c>zp keygen</c>.</summary>
    public static ZmqCurveKeyPair LoadKeys(string directory)
    {
        if (!File.Exists(Path.Combine(directory, KeyFiles.SecretKeyFile)))
            throw new FileNotFoundException($"no identity in {directory}; create one with 'zp keygen {directory}' and add its public key to the server's authorized_keys");
        return KeyFiles.Load(directory);
    }

    /// <summary>The persistent client id stored in <paramref name="directory"/>, created on first use.</summary>
    public static string ClientId(string directory)
    {
        var path = Path.Combine(directory, "client_id");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
            return existing;
        KeyFiles.CreatePrivateDirectory(directory);
        var id = Guid.NewGuid().ToString("N");
        File.WriteAllText(path, id + "\n");
        return id;
    }

    /// <summary>The server key known for <paramref name="authority"/> (<c>host:port</c>), or null.</summary>
    public static string? KnownServerKey(string knownHostsFile, string authority)
    {
        if (!File.Exists(knownHostsFile))
            return null;
        foreach (var line in File.ReadLines(knownHostsFile))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && !parts[0].StartsWith('#') && parts[0].Split(',').Contains(authority, StringComparer.OrdinalIgnoreCase))
                return parts[1];
        }
        return null;
    }
}
