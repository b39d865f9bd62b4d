using System;
using System.IO;
using Zproto.Runtime.Zmq;

namespace Zp.Client;

/// <summary>
/// A CURVE key pair kept in a directory as two text files, <c>key.pub</c> (Z85 public key) and
/// <c>key</c> (Z85 secret key, mode 0600), like ssh's id files. Used for zpd's host key and for
/// client identities.
/// </summary>
public static class KeyFiles
{
    /// <summary>File name of the public key inside a key directory.</summary>
    public const string PublicKeyFile = "key.pub";

    /// <summary>File name of the secret key inside a key directory.</summary>
    public const string SecretKeyFile = "key";

    /// <summary>Writes a new key pair into <paramref name="directory"/> (created 0700); refuses to overwrite an existing pair.</summary>
    public static ZmqCurveKeyPair Generate(string directory)
    {
        var secretPath = Path.Combine(directory, SecretKeyFile);
        if (File.Exists(secretPath))
            throw new IOException($"{secretPath} already exists; remove it first to make a new key");
        CreatePrivateDirectory(directory);
        var keys = ZmqCurve.GenerateKeyPair();
        WritePrivate(secretPath, keys.SecretKey + "\n");
        File.WriteAllText(Path.Combine(directory, PublicKeyFile), keys.PublicKey + "\n");
        return keys;
    }

    /// <summary>Reads the pair in <paramref name="directory"/>; the public key is derived from the secret one, so a stale key.pub cannot mislead.</summary>
    public static ZmqCurveKeyPair Load(string directory)
    {
        var secretPath = Path.Combine(directory, SecretKeyFile);
        var secret = File.ReadAllText(secretPath).Trim();
        if (secret.Length != 40)
            throw new InvalidDataException($"{secretPath}: not a Z85 CURVE secret key (40 characters)");
        return new ZmqCurveKeyPair(ZmqCurve.DerivePublicKey(secret), secret);
    }

    /// <summary>Loads the pair, generating it first when the directory holds none (zpd's first start).</summary>
    public static ZmqCurveKeyPair LoadOrGenerate(string directory) =>
        File.Exists(Path.Combine(directory, SecretKeyFile)) ? Load(directory) : Generate(directory);

    /// <summary>True when <paramref name="key"/> is a well-formed Z85 CURVE key (40 characters decoding to 32 bytes).</summary>
    public static bool IsKey(string key)
    {
        if (key.Length != 40)
            return false;
        try
        {
            return Z85.Decode(key).Length == 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Creates <paramref name="directory"/> readable by its owner only (on Unix).</summary>
    public static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(text);
    }
}
