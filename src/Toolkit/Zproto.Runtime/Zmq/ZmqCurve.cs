using System;
using System.Text;
using Zproto.Runtime.Zmq.Interop;

namespace Zproto.Runtime.Zmq;

/// <summary>CURVE key generation (<c>zmq_curve_keypair</c>, <c>zmq_curve_public</c>). Thread-safe.</summary>
public static class ZmqCurve
{
    /// <summary>Length of a Z85 key; libzmq's buffers take one more byte for the terminating NUL.</summary>
    private const int KeyZ85Length = 40;

    /// <summary>Whether the loaded libzmq was built with CURVE support.</summary>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than 4.3.</exception>
    public static bool IsSupported => ZmqLibrary.Has("curve");

    /// <summary>Generates a new random key pair.</summary>
    /// <exception cref="ZmqException">libzmq was built without CURVE (ENOTSUP).</exception>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than 4.3.</exception>
    public static unsafe ZmqCurveKeyPair GenerateKeyPair()
    {
        LibZmq.EnsureAvailable();
        byte* publicKey = stackalloc byte[KeyZ85Length + 1];
        byte* secretKey = stackalloc byte[KeyZ85Length + 1];
        if (LibZmq.zmq_curve_keypair(publicKey, secretKey) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), "Generating a CURVE key pair");
        }

        return new ZmqCurveKeyPair(ToKey(publicKey), ToKey(secretKey));
    }

    /// <summary>Computes the public key that belongs to <paramref name="secretKey"/>.</summary>
    /// <param name="secretKey">A secret key in Z85.</param>
    /// <returns>The public key in Z85.</returns>
    /// <exception cref="FormatException"><paramref name="secretKey"/> is not a 40-character Z85 key.</exception>
    /// <exception cref="ZmqException">libzmq was built without CURVE (ENOTSUP).</exception>
    /// <exception cref="ZmqNotFoundException">libzmq is missing or older than 4.3.</exception>
    public static unsafe string DerivePublicKey(string secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        if (secretKey.Length != KeyZ85Length || !Z85.IsValid(secretKey))
        {
            throw new FormatException($"A Z85 CURVE key is {KeyZ85Length} Z85 characters.");
        }

        LibZmq.EnsureAvailable();
        byte* secret = stackalloc byte[KeyZ85Length + 1];
        Encoding.ASCII.GetBytes(secretKey, new Span<byte>(secret, KeyZ85Length));
        secret[KeyZ85Length] = 0;
        byte* publicKey = stackalloc byte[KeyZ85Length + 1];
        if (LibZmq.zmq_curve_public(publicKey, secret) != 0)
        {
            throw ZmqException.FromErrno(LibZmq.LastErrno(), "Deriving a CURVE public key");
        }

        return ToKey(publicKey);
    }

    private static unsafe string ToKey(byte* z85) => Encoding.ASCII.GetString(z85, KeyZ85Length);
}
